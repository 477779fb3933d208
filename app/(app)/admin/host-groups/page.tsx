import type { Metadata } from "next";
import { RequirePermission } from "../../../_components/admin/require-permission";
import { HostGroupsView } from "../../../_components/admin/host-groups-view";

export const metadata: Metadata = { title: "Host groups" };

export default function Page() {
  return (
    <RequirePermission permission="hostgroup:manage">
      <HostGroupsView />
    </RequirePermission>
  );
}
