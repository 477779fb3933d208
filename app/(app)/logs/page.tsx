import type { Metadata } from "next";
import { LogsPageView } from "../../_components/logs/logs-page-view";

export const metadata: Metadata = { title: "Logs" };

export default function LogsPage() {
  return <LogsPageView />;
}
