import type { Metadata } from "next";
import { RequirePermission } from "../../../_components/admin/require-permission";
import { TeamsView } from "../../../_components/admin/teams-view";

export const metadata: Metadata = { title: "Teams" };

export default function Page() {
  return (
    <RequirePermission permission="team:manage">
      <TeamsView />
    </RequirePermission>
  );
}
