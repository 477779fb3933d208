import type { ReactNode } from "react";
import { AppShell } from "../_components/shell";
import { requireActor } from "../_lib/session";

export const dynamic = "force-dynamic";

export default async function SignedInLayout({ children }: { children: ReactNode }) {
  const actor = await requireActor();
  return <AppShell user={{ id: actor.id, email: actor.email, name: actor.name, role: actor.role }}>{children}</AppShell>;
}
