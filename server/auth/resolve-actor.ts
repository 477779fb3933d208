import type { Db } from "../db/client";
import type { Auth } from "./auth";
import { verifyApiToken } from "./api-tokens";
import type { Role } from "./create-user";

export type Actor = { id: string; email: string; name: string; role: Role; via: "session" | "token" };

/**
 * Who is calling: a Bearer API token, else the better-auth session cookie. Tokens are read from the
 * Authorization header only, never from the URL. Returns null for anonymous callers.
 */
export async function resolveActor(deps: { db: Db; auth: Auth }, headers: Headers): Promise<Actor | null> {
  const authorization = headers.get("authorization");
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match) return null;
    const { user } = await verifyApiToken(deps.db, match[1]!);
    return toActor(user, "token");
  }
  const session = await deps.auth.api.getSession({ headers });
  if (!session) return null;
  const user = await deps.db.user.findUnique({ where: { id: session.user.id } });
  if (!user || user.disabled) return null;
  return toActor(user, "session");
}

function toActor(user: { id: string; email: string; name: string; role: string }, via: Actor["via"]): Actor {
  const role: Role = user.role === "admin" || user.role === "operator" ? user.role : "viewer";
  return { id: user.id, email: user.email, name: user.name, role, via };
}
