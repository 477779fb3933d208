import type { Metadata } from "next";
import { RequirePermission } from "../../_components/admin/require-permission";
import { AuditView } from "../../_components/audit/audit-view";

export const metadata: Metadata = { title: "Audit log" };

export default function AuditPage() {
  return (
    <RequirePermission permission="audit:read">
      <AuditView />
    </RequirePermission>
  );
}
