import { can } from "../auth/access";
import { CLIENT_IP_HEADER } from "../auth/auth";
import type { GlobalPermission, HostPermission } from "../auth/permissions";
import { resolveActor, type Actor } from "../auth/resolve-actor";
import { recordAudit } from "../domain/audit/record-audit";
import { isAppError } from "../errors";
import type { Services } from "../services";

/**
 * For the few plain HTTP routes outside tRPC (downloads, uploads): the same caller resolution and the
 * same can() as every procedure, refusals audited. A host permission is checked on `hostId`.
 * Returns the actor or the Response to send.
 */
export async function authorizeRequest(
  services: Services,
  req: Request,
  permission: GlobalPermission | HostPermission,
  path: string,
  hostId?: string,
): Promise<Actor | Response> {
  const sourceIp = req.headers.get(CLIENT_IP_HEADER) || null;
  let actor: Actor | null = null;
  try {
    actor = await resolveActor(services, req.headers, sourceIp);
  } catch (err) {
    if (!isAppError(err)) throw err;
    return Response.json({ error: { message: err.message } }, { status: 401 });
  }
  if (!actor) return Response.json({ error: { message: "sign in or send an API token" } }, { status: 401 });
  if (!can(actor.access, permission, hostId)) {
    await recordAudit(services.db, { actorId: actor.id, actor: actor.email, sourceIp, hostId: hostId ?? null, action: "authz.denied", target: path, params: { permission }, result: "denied" });
    return Response.json({ error: { message: `you lack ${permission}${hostId ? ` on host ${hostId}` : ""}` } }, { status: 403 });
  }
  return actor;
}
