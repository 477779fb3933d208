import type { Db } from "../db/client";
import type { Auth } from "./auth";
import { loadAccess, parsePermissionList, type Access } from "./access";
import { recordAudit } from "../domain/audit/record-audit";
import { verifyApiToken } from "./api-tokens";

export type Actor = {
  id: string;
  email: string;
  name: string;
  via: "session" | "token";
  /** The session or token the caller presented: revoking it ends their access. */
  credentialId: string;
  access: Access;
};

/**
 * Who is calling: a Bearer API token, else the better-auth session cookie. Tokens are read from the
 * Authorization header only, never from the URL. Returns null for anonymous callers.
 */
export async function resolveActor(deps: { db: Db; auth: Auth }, headers: Headers, sourceIp: string | null = null): Promise<Actor | null> {
  const authorization = headers.get("authorization");
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match) return null;
    const { tokenId, user, token } = await verifyApiToken(deps.db, match[1]!, { sourceIp }).catch(async (err: unknown) => {
      // A refused token is an auth event: audited with the token's public prefix, never the secret.
      const reason = err instanceof Error ? err.message : "refused";
      await recordAudit(deps.db, { actor: "anonymous", sourceIp, action: "auth.token", target: `${match[1]!.slice(0, 10)}…`, result: `denied: ${reason}` });
      throw err;
    });
    const narrowing = {
      permissions: token.permissions === null ? null : parsePermissionList(token.permissions),
      hostGroupIds: token.hostGroupIds === null ? null : parseIdList(token.hostGroupIds),
    };
    return { id: user.id, email: user.email, name: user.name, via: "token", credentialId: tokenId, access: await loadAccess(deps.db, user.id, narrowing) };
  }
  const session = await deps.auth.api.getSession({ headers });
  if (!session) return null;
  const user = await deps.db.user.findUnique({ where: { id: session.user.id } });
  if (!user || user.disabled) return null;
  return { id: user.id, email: user.email, name: user.name, via: "session", credentialId: session.session.id, access: await loadAccess(deps.db, user.id) };
}

export function parseIdList(json: string): string[] {
  try {
    const list: unknown = JSON.parse(json);
    return Array.isArray(list) ? list.filter((x): x is string => typeof x === "string") : [];
  } catch {
    return [];
  }
}
