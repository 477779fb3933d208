import type { Metadata } from "next";
import { RequirePermission } from "../../../_components/admin/require-permission";
import { RolesView } from "../../../_components/admin/roles-view";

export const metadata: Metadata = { title: "Roles" };

export default function Page() {
  return (
    <RequirePermission permission="role:manage">
      <RolesView />
    </RequirePermission>
  );
}
