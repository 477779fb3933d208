import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { createAuthMiddleware } from "better-auth/api";
import type { Db } from "../db/client";
import { recordAudit } from "../domain/audit/record-audit";

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 128;

/** better-auth with email + password only; accounts are created by admins, never by sign-up. */
export function createAuth(opts: { db: Db; secret: string; publicUrl: string | null; fallbackUrl: string }) {
  return betterAuth({
    database: prismaAdapter(opts.db, { provider: "sqlite" }),
    secret: opts.secret,
    baseURL: opts.publicUrl ?? opts.fallbackUrl,
    emailAndPassword: {
      enabled: true,
      disableSignUp: true,
      minPasswordLength: PASSWORD_MIN,
      maxPasswordLength: PASSWORD_MAX,
    },
    user: {
      additionalFields: {
        role: { type: "string", input: false, defaultValue: "viewer" },
        disabled: { type: "boolean", input: false, defaultValue: false },
      },
    },
    session: { expiresIn: 60 * 60 * 24 * 7, updateAge: 60 * 60 * 24 },
    // Same-origin only: the Origin of a cookie-bearing mutation must be the origin the request came to.
    trustedOrigins: (request) => [opts.publicUrl, request ? new URL(request.url).origin : null],
    rateLimit: { enabled: true, window: 60, max: 100, customRules: { "/sign-in/email": { window: 60, max: 10 } } },
    telemetry: { enabled: false },
    hooks: {
      // Every sign-in attempt is audited, success or not; the password never is.
      after: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== "/sign-in/email") return;
        const session = ctx.context.newSession;
        const email = typeof ctx.body?.email === "string" ? ctx.body.email.slice(0, 254) : null;
        await recordAudit(opts.db, {
          actorId: session?.user.id ?? null,
          actor: email ?? "anonymous",
          sourceIp: ctx.request?.headers.get("x-portolan-peer") || null,
          action: "auth.login",
          result: session ? "ok" : "denied",
        });
      }),
    },
  });
}

export type Auth = ReturnType<typeof createAuth>;
