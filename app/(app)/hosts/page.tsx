import type { Metadata } from "next";
import { HostsView } from "../../_components/hosts-view";

export const metadata: Metadata = { title: "Hosts" };

export default function HostsPage() {
  return <HostsView />;
}
