import { TRPCError, initTRPC } from "@trpc/server";
import { z } from "zod";
import { can } from "../auth/access";
import type { GlobalPermission, HostPermission, Permission } from "../auth/permissions";
import type { Actor } from "../auth/resolve-actor";
import { recordAudit, type AuditEntry } from "../domain/audit/record-audit";
import { databaseUnavailable } from "../domain/db-errors";
import { isAppError } from "../errors";
import type { Services } from "../services";
import { resolveTarget, type ResolvedTarget } from "./resolve-target";

// ---- context ----

export type Context = { services: Services; actor: Actor | null; sourceIp: string | null; requestOrigin: string | null };

// ---- metadata ----

/**
 * How a procedure is authorised. Every procedure declares one; the authorization middleware is the
 * only place that reads it.
 * - public / authenticated: no permission (login status, the caller's own account)
 * - global: a global permission (users, roles, audit…)
 * - host: a host permission on `input.hostId`
 * - container: a host permission on the host the server finds `input.containerId` on
 * - list: across hosts, the handler filters by `ctx.actor.access`; narrowed to `input.hostId`, the
 *   permission must hold on that host
 */
export type Meta =
  | { scope: "public" | "authenticated" }
  | { scope: "global"; permission: GlobalPermission }
  | { scope: "host" | "container" | "list"; permission: HostPermission | ByAction };

/** For procedures taking an `action` input: the permission each action needs (unknown actions are refused). */
export type ByAction = { byAction: Readonly<Record<string, HostPermission>> };

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    errorFormatter({ shape, error }) {
      return {
        ...shape,
        data: { ...shape.data, zodError: error.cause instanceof z.ZodError ? z.flattenError(error.cause) : null },
      };
    },
  });

const APP_TO_TRPC: Record<string, TRPCError["code"]> = {
  BAD_REQUEST: "BAD_REQUEST",
  UNAUTHORIZED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  UNAVAILABLE: "SERVICE_UNAVAILABLE",
};

/** AppErrors become tRPC errors with the same meaning; anything else is logged in full and hidden. */
const errorMapping = t.middleware(async ({ ctx, next, path }) => {
  const result = await next();
  if (!result.ok) {
    const cause = result.error.cause;
    if (isAppError(cause)) {
      throw new TRPCError({ code: APP_TO_TRPC[cause.code] ?? "BAD_REQUEST", message: cause.message, cause });
    }
    const unavailable = databaseUnavailable(cause);
    if (unavailable) {
      ctx.services.log.warn({ path, reason: unavailable.message }, "procedure refused: database unavailable");
      throw new TRPCError({ code: "SERVICE_UNAVAILABLE", message: unavailable.message, cause });
    }
    const prismaCode = (cause as { code?: unknown } | undefined)?.code;
    if (prismaCode === "P2025") throw new TRPCError({ code: "NOT_FOUND", message: "no such record", cause });
    if (prismaCode === "P2002") throw new TRPCError({ code: "CONFLICT", message: "that name is already taken", cause });
    if (prismaCode === "P2003") throw new TRPCError({ code: "BAD_REQUEST", message: "a referenced record does not exist", cause });
    if (result.error.code === "INTERNAL_SERVER_ERROR") ctx.services.log.error({ err: cause ?? result.error, path }, "procedure failed");
  }
  return result;
});

/** Deny by default: a procedure without metadata cannot be called; every refusal is audited. */
const authorization = t.middleware(async ({ ctx, meta, next, path, getRawInput }) => {
  if (!meta) throw new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: `procedure ${path} declares no permission` });
  if (meta.scope === "public") return next({ ctx: { ...ctx, target: null as ResolvedTarget | null } });
  const actor = ctx.actor;
  if (!actor) throw new TRPCError({ code: "UNAUTHORIZED", message: "sign in or send an API token" });
  if (meta.scope === "authenticated") return next({ ctx: { ...ctx, target: null as ResolvedTarget | null } });

  const scoped = meta as Exclude<Meta, { scope: "public" | "authenticated" }>;
  const raw = await getRawInput();
  const permission = scoped.scope === "global" ? scoped.permission : pickPermission(scoped.permission, raw);
  const target = meta.scope === "host" || meta.scope === "container" ? await resolveTarget(ctx.services, meta.scope, raw)
    : meta.scope === "list" ? listTarget(raw)
    : null;
  // A list across hosts needs no permission up front: its handler returns only what the caller may read.
  const allowed = meta.scope === "list" && !target ? true : can(actor.access, permission, target?.hostId);
  if (!allowed) {
    await recordAudit(ctx.services.db, {
      ...auditActor(ctx), hostId: target?.hostId ?? null, action: "authz.denied", target: path, params: { permission }, result: "denied",
    });
    const where = target ? ` on host ${target.hostId}` : "";
    throw new TRPCError({ code: "FORBIDDEN", message: `you lack ${permission}${where}` });
  }
  // A container named by the caller must be on the host the caller named (checked after the permission
  // on its real host, so the answer never reveals containers of hosts the caller cannot see).
  if (target?.mismatch) throw new TRPCError({ code: "NOT_FOUND", message: target.mismatch });
  return next({ ctx: { ...ctx, target } });
});

/** A list narrowed to one host is authorised on that host. */
function listTarget(raw: unknown): ResolvedTarget | null {
  const hostId = (raw as { hostId?: unknown } | null)?.hostId;
  return typeof hostId === "string" ? { hostId, container: null, mismatch: null } : null;
}

function pickPermission(p: HostPermission | ByAction, raw: unknown): HostPermission {
  if (typeof p === "string") return p;
  const action = (raw as { action?: unknown } | null)?.action;
  const permission = typeof action === "string" && Object.hasOwn(p.byAction, action) ? p.byAction[action] : undefined;
  if (!permission) throw new TRPCError({ code: "BAD_REQUEST", message: `action must be one of ${Object.keys(p.byAction).join(", ")}` });
  return permission;
}

/** Who to write into an audit entry for this request. */
export function auditActor(ctx: Context): Pick<AuditEntry, "actorId" | "actor" | "sourceIp"> {
  const a = ctx.actor;
  return { actorId: a?.id ?? null, actor: a ? (a.via === "token" ? `${a.email} (token)` : a.email) : "anonymous", sourceIp: ctx.sourceIp };
}

// ---- procedures ----

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

const base = t.procedure.use(errorMapping).use(authorization);

/** Handlers of non-public procedures see a non-null actor. */
function authed(meta: Meta) {
  return base.meta(meta).use(({ ctx, next }) => {
    if (!ctx.actor) throw new TRPCError({ code: "UNAUTHORIZED" });
    return next({ ctx: { ...ctx, actor: ctx.actor } });
  });
}

/** Anyone, signed in or not (login status, first-run setup). */
export const publicProcedure = base.meta({ scope: "public" });
/** Any signed-in caller, acting on their own account. */
export const authenticatedProcedure = authed({ scope: "authenticated" });
export const globalProcedure = (permission: GlobalPermission) => authed({ scope: "global", permission });
/** Input must carry `hostId`; the permission must hold on that host. */
export const hostProcedure = (permission: HostPermission | ByAction) => authed({ scope: "host", permission });
/** Input must carry `containerId` (and may carry `hostId`); the server finds the container's host. */
export const containerProcedure = (permission: HostPermission | ByAction) =>
  authed({ scope: "container", permission }).use(({ ctx, next }) => next({ ctx: { ...ctx, target: ctx.target! } }));
/** Lists across hosts: the handler must filter with `ctx.actor.access`. */
export const listProcedure = (permission: HostPermission) => authed({ scope: "list", permission });

export type { Permission };
