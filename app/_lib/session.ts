import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { resolveActor, type Actor } from "../../server/auth/resolve-actor";
import { getServices } from "../../server/services";

/** The signed-in user for a server component, or null. */
export async function currentActor(): Promise<Actor | null> {
  return resolveActor(getServices(), await headers());
}

/** The signed-in user; anonymous visitors are sent to the sign-in page. */
export async function requireActor(): Promise<Actor> {
  const actor = await currentActor();
  if (!actor) redirect("/login");
  return actor;
}

export async function needsSetup(): Promise<boolean> {
  return getServices().firstRun.needsSetup();
}
