import { TRPCError, initTRPC } from "@trpc/server";
import { z } from "zod";
import type { Actor } from "../auth/resolve-actor";
import { can, type Permission } from "../auth/permissions";
import { isAppError } from "../errors";
import type { Services } from "../services";

// ---- context ----

export type Context = { services: Services; actor: Actor | null; sourceIp: string | null; requestOrigin: string | null };

// ---- init ----

/** Procedure metadata: the permission it needs, or "public"/"authenticated". Checked by one middleware. */
export type Meta = { permission: Permission | "public" | "authenticated" };

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
};

/** AppErrors become tRPC errors with the same meaning; anything else is logged in full and hidden. */
const errorMapping = t.middleware(async ({ ctx, next, path }) => {
  const result = await next();
  if (!result.ok) {
    const cause = result.error.cause;
    if (isAppError(cause)) {
      throw new TRPCError({ code: APP_TO_TRPC[cause.code] ?? "BAD_REQUEST", message: cause.message, cause });
    }
    if (result.error.code === "INTERNAL_SERVER_ERROR") ctx.services.log.error({ err: cause ?? result.error, path }, "procedure failed");
  }
  return result;
});

/** Deny by default: a procedure without permission metadata cannot be called at all. */
const authorization = t.middleware(async ({ ctx, meta, next, path }) => {
  const permission = meta?.permission;
  if (!permission) throw new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: `procedure ${path} declares no permission` });
  if (permission === "public") return next({ ctx: { ...ctx, actor: ctx.actor } });
  if (!ctx.actor) throw new TRPCError({ code: "UNAUTHORIZED", message: "sign in or send an API token" });
  if (permission !== "authenticated" && !can(ctx.actor.role, permission)) {
    throw new TRPCError({ code: "FORBIDDEN", message: `your role (${ctx.actor.role}) lacks ${permission}` });
  }
  return next({ ctx: { ...ctx, actor: ctx.actor } });
});

// ---- procedures ----

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

const base = t.procedure.use(errorMapping).use(authorization);

/** Anyone, signed in or not (login status, first-run setup). */
export const publicProcedure = base.meta({ permission: "public" });

/** A signed-in user or API token, narrowed so handlers see a non-null actor. */
export function procedure(permission: Permission | "authenticated") {
  return base.meta({ permission }).use(({ ctx, next }) => {
    if (!ctx.actor) throw new TRPCError({ code: "UNAUTHORIZED" });
    return next({ ctx: { ...ctx, actor: ctx.actor } });
  });
}
