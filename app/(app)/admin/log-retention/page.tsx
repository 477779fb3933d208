import type { Metadata } from "next";
import { LogRetentionView } from "../../../_components/admin/log-retention-view";
import { RequirePermission } from "../../../_components/admin/require-permission";

export const metadata: Metadata = { title: "Log retention" };

export default function Page() {
  return (
    <RequirePermission permission="logs:retention">
      <LogRetentionView />
    </RequirePermission>
  );
}
