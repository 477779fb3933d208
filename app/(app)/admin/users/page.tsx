import type { Metadata } from "next";
import { RequirePermission } from "../../../_components/admin/require-permission";
import { UsersView } from "../../../_components/admin/users-view";

export const metadata: Metadata = { title: "Users" };

export default function Page() {
  return (
    <RequirePermission permission="user:manage">
      <UsersView />
    </RequirePermission>
  );
}
