import { z } from "zod";
import { setPassword, verifyPassword } from "../../auth/create-user";
import { PASSWORD_MAX, PASSWORD_MIN } from "../../auth/auth";
import { recordAudit, withAudit } from "../../domain/audit/record-audit";
import { AppError } from "../../errors";
import { auditActor, authenticatedProcedure, router } from "../init";
import { ZId } from "../zod-common";

/** The signed-in user's own password and sessions. */
export const accountRouter = router({
  sessions: authenticatedProcedure.query(async ({ ctx }) => {
    const rows = await ctx.services.db.session.findMany({ where: { userId: ctx.actor.id, expiresAt: { gt: new Date() } }, orderBy: { updatedAt: "desc" } });
    return rows.map((s) => ({
      id: s.id,
      current: ctx.actor.via === "session" && s.id === ctx.actor.credentialId,
      createdAt: s.createdAt.toISOString(),
      lastActiveAt: s.updatedAt.toISOString(),
      expiresAt: s.expiresAt.toISOString(),
      ipAddress: s.ipAddress,
      userAgent: s.userAgent,
    }));
  }),

  /** Ends one of the caller's sessions, or all but the current one when sessionId is omitted. */
  revokeSessions: authenticatedProcedure
    .input(z.object({ sessionId: ZId.optional() }))
    .mutation(async ({ ctx, input }) => {
      const keep = ctx.actor.via === "session" ? ctx.actor.credentialId : null;
      const revoked = await withAudit(ctx.services.db, (n: number) => ({ ...auditActor(ctx), action: "account.revoke-sessions", target: ctx.actor.email, params: { sessionId: input.sessionId ?? "others", count: n }, result: "ok" }), async (tx) => {
        const where = input.sessionId ? { userId: ctx.actor.id, id: input.sessionId } : { userId: ctx.actor.id, ...(keep ? { id: { not: keep } } : {}) };
        return (await tx.session.deleteMany({ where })).count;
      });
      ctx.services.accessChanges.notify("account.revoke-sessions");
      return { revoked };
    }),

  /** Needs the current password; ends every other session of the user. */
  changePassword: authenticatedProcedure
    .input(z.object({ currentPassword: z.string().min(1).max(PASSWORD_MAX), newPassword: z.string().min(PASSWORD_MIN).max(PASSWORD_MAX) }))
    .mutation(async ({ ctx, input }) => {
      const { services, actor } = ctx;
      if (actor.via !== "session") throw new AppError("FORBIDDEN", "sign in to change your password; API tokens cannot");
      if (!(await verifyPassword(services, actor.id, input.currentPassword))) {
        await recordAudit(services.db, { ...auditActor(ctx), action: "account.change-password", target: actor.email, result: "denied: wrong current password" });
        throw new AppError("FORBIDDEN", "the current password is wrong");
      }
      await recordAudit(services.db, { ...auditActor(ctx), action: "account.change-password", target: actor.email, result: "ok" });
      await setPassword(services, actor.id, input.newPassword);
      await services.db.session.deleteMany({ where: { userId: actor.id, id: { not: actor.credentialId } } });
      services.accessChanges.notify("account.change-password");
      return { ok: true as const };
    }),
});
