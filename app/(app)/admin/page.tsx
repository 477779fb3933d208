import type { Metadata } from "next";
import { AdminIndex } from "../../_components/admin/admin-nav";

export const metadata: Metadata = { title: "Admin" };

export default function AdminPage() {
  return <AdminIndex />;
}
