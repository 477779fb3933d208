import type { Metadata } from "next";
import { Suspense } from "react";
import { LogsPageView } from "../../_components/logs/logs-page-view";

export const metadata: Metadata = { title: "Logs" };

export default function LogsPage() {
  return (
    <Suspense>
      <LogsPageView />
    </Suspense>
  );
}
