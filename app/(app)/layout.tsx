import type { ReactNode } from "react";
import { describeAccess } from "../../server/auth/access";
import { AppShell } from "../_components/shell";
import { requireActor } from "../_lib/session";

// Every page below is dynamic, so views reading useSearchParams need no <Suspense> of their own, and
// must not have one: React streams a large boundary apart and reveals it later, and any context change
// during hydration (the live socket connecting) then client-renders it while the server's copy still
// waits, hidden, in the page: two of every form field until the reveal.
export const dynamic = "force-dynamic";

export default async function SignedInLayout({ children }: { children: ReactNode }) {
  const actor = await requireActor();
  const user = { id: actor.id, email: actor.email, name: actor.name, via: actor.via, access: describeAccess(actor.access) };
  return <AppShell user={user}>{children}</AppShell>;
}
