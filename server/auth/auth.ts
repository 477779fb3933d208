import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { APIError, createAuthMiddleware } from "better-auth/api";
import type { Db } from "../db/client";
import { dialectOf } from "../db/dialect";
import { recordAudit } from "../domain/audit/record-audit";
import { LoginThrottle } from "./login-throttle";

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 128;
/** Set by server/index.ts from the socket (or a trusted proxy's X-Forwarded-For); never from the client. */
export const CLIENT_IP_HEADER = "x-portolan-peer";

const SIGN_IN = "/sign-in/email";

/** better-auth with email + password only; accounts are created by admins, never by sign-up. */
export function createAuth(opts: { db: Db; secret: string; publicUrl: string | null; fallbackUrl: string; throttle?: LoginThrottle }) {
  const throttle = opts.throttle ?? new LoginThrottle();
  const attempt = (ctx: { body?: unknown; request?: Request; headers?: Headers }) => ({
    email: typeof (ctx.body as { email?: unknown })?.email === "string" ? (ctx.body as { email: string }).email.trim().toLowerCase().slice(0, 254) : "",
    ip: (ctx.request?.headers ?? ctx.headers)?.get(CLIENT_IP_HEADER) || "unknown",
  });
  const audit = (email: string, ip: string, actorId: string | null, result: string) =>
    recordAudit(opts.db, { actorId, actor: email || "anonymous", sourceIp: ip === "unknown" ? null : ip, action: "auth.login", result });

  return betterAuth({
    database: prismaAdapter(opts.db, { provider: dialectOf(opts.db) }),
    secret: opts.secret,
    baseURL: opts.publicUrl ?? opts.fallbackUrl,
    emailAndPassword: {
      enabled: true,
      disableSignUp: true,
      minPasswordLength: PASSWORD_MIN,
      maxPasswordLength: PASSWORD_MAX,
    },
    user: { additionalFields: { disabled: { type: "boolean", input: false, defaultValue: false } } },
    // Cookies: HttpOnly and SameSite=Lax always; Secure whenever the public URL is https.
    session: { expiresIn: 60 * 60 * 24 * 7, updateAge: 60 * 60 * 24 },
    advanced: { useSecureCookies: opts.publicUrl?.startsWith("https://") ?? false, ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] } },
    // Same-origin only: the Origin of a cookie-bearing mutation must be the origin the request came to.
    trustedOrigins: (request) => [opts.publicUrl, request ? new URL(request.url).origin : null].filter((o): o is string => Boolean(o)),
    rateLimit: { enabled: true, window: 60, max: 100, customRules: { [SIGN_IN]: { window: 60, max: 10 } } },
    telemetry: { enabled: false },
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== SIGN_IN) return;
        const { email, ip } = attempt(ctx);
        const verdict = throttle.check(email, ip);
        if (!verdict.allowed) {
          await audit(email, ip, null, "denied: throttled");
          throw new APIError("TOO_MANY_REQUESTS", { message: `${verdict.reason}; try again in ${verdict.retryAfterS} s` });
        }
        if (verdict.delayMs) await new Promise((r) => setTimeout(r, verdict.delayMs));
        const user = email ? await opts.db.user.findUnique({ where: { email }, select: { id: true, disabled: true } }) : null;
        if (user?.disabled) {
          await audit(email, ip, user.id, "denied: disabled");
          throw new APIError("FORBIDDEN", { message: "this account is disabled" });
        }
      }),
      // Every sign-in attempt is audited, success or not; the password never is.
      after: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== SIGN_IN) return;
        const session = ctx.context.newSession;
        const { email, ip } = attempt(ctx);
        if (session) throttle.succeeded(email, ip);
        else throttle.failed(email, ip);
        await audit(email, ip, session?.user.id ?? null, session ? "ok" : "denied");
      }),
    },
  });
}

export type Auth = ReturnType<typeof createAuth>;
