import type { ReactNode } from "react";
import { describeAccess } from "../../server/auth/access";
import { AppShell } from "../_components/shell";
import { requireActor } from "../_lib/session";

export const dynamic = "force-dynamic";

export default async function SignedInLayout({ children }: { children: ReactNode }) {
  const actor = await requireActor();
  const user = { id: actor.id, email: actor.email, name: actor.name, via: actor.via, access: describeAccess(actor.access) };
  return <AppShell user={user}>{children}</AppShell>;
}
