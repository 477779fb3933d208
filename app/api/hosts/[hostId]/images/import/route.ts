import { z } from "zod";
import { ZRepository, ZTag } from "../../../../../../agents/protocol";
import { controlErrorKind, isControlError, type ControlErrorKind } from "../../../../../../server/domain/commands/control-error";
import { importImage } from "../../../../../../server/domain/commands/import-image";
import { authorizeRequest } from "../../../../../../server/http/authorize-request";
import { isSameOrigin } from "../../../../../../server/http/same-origin";
import { getServices } from "../../../../../../server/services";

export const dynamic = "force-dynamic";

const ZQuery = z.object({ repository: ZRepository, tag: ZTag.default("latest") });
const STATUS: Record<ControlErrorKind, number> = {
  BAD_REQUEST: 400, NOT_FOUND: 404, CONFLICT: 409, PRECONDITION_FAILED: 412, BAD_GATEWAY: 502, SERVICE_UNAVAILABLE: 503, GATEWAY_TIMEOUT: 504,
};

/** POST /api/hosts/<hostId>/images/import?repository=&tag= with a rootfs tarball as the body → { id }. */
export async function POST(req: Request, { params }: { params: Promise<{ hostId: string }> }) {
  const services = getServices();
  const { hostId } = await params;
  if (!req.headers.get("authorization") && !isSameOrigin(req.headers, req.url)) {
    return Response.json({ error: { message: "cross-origin request refused" } }, { status: 403 });
  }
  const actor = await authorizeRequest(services, req, "image:write", `/api/hosts/${hostId}/images/import`, hostId);
  if (actor instanceof Response) return actor;
  const query = ZQuery.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!query.success) return Response.json({ error: { message: `${query.error.issues[0]?.path.join(".")}: ${query.error.issues[0]?.message}` } }, { status: 400 });
  if (!req.body) return Response.json({ error: { message: "send a rootfs tarball as the request body" } }, { status: 400 });
  if (!(await services.db.host.findUnique({ where: { id: hostId }, select: { id: true } }))) return Response.json({ error: { message: `no host ${hostId}` } }, { status: 404 });
  try {
    const { id } = await importImage(services, {
      hostId,
      ...query.data,
      body: req.body,
      actor: { id: actor.id, email: actor.via === "token" ? `${actor.email} (token)` : actor.email, sourceIp: req.headers.get("x-portolan-peer") || null },
    });
    return Response.json({ id });
  } catch (err) {
    if (isControlError(err)) return Response.json({ error: { code: err.code, message: err.message } }, { status: STATUS[controlErrorKind(err.code)] });
    throw err;
  }
}
