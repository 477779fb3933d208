import { loadAccess } from "../../server/auth/access";
import type { Actor } from "../../server/auth/resolve-actor";
import type { Services } from "../../server/services";

/** The Actor a request by this user would get (grants loaded from the database as in production). */
export async function actorFor(services: Services, user: { id: string; email: string }, via: Actor["via"] = "session"): Promise<Actor> {
  return { id: user.id, email: user.email, name: user.email.split("@")[0]!, via, credentialId: `test-${via}`, access: await loadAccess(services.db, user.id) };
}
