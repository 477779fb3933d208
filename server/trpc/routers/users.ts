import { z } from "zod";
import { createUser, setPassword } from "../../auth/create-user";
import { PASSWORD_MAX, PASSWORD_MIN } from "../../auth/auth";
import { assertAdminRemains } from "../../domain/access/admin-guard";
import { recordAudit, withAudit } from "../../domain/audit/record-audit";
import { AppError } from "../../errors";
import { auditActor, globalProcedure, router } from "../init";
import { tokenView } from "./tokens";
import { ZId } from "../zod-common";

const ZUserId = z.object({ userId: ZId });

export const usersRouter = router({
  list: globalProcedure("user:manage").query(async ({ ctx }) => {
    const users = await ctx.services.db.user.findMany({
      orderBy: { email: "asc" },
      include: {
        teams: { include: { team: { select: { id: true, name: true } } } },
        grants: { include: { role: { select: { id: true, name: true } }, hostGroup: { select: { id: true, name: true } } } },
        sessions: { select: { updatedAt: true, expiresAt: true } },
      },
    });
    const now = Date.now();
    return users.map((u) => {
      const live = u.sessions.filter((s) => s.expiresAt.getTime() > now);
      return {
        id: u.id,
        email: u.email,
        name: u.name,
        disabled: u.disabled,
        createdAt: u.createdAt.toISOString(),
        teams: u.teams.map((m) => m.team),
        grants: u.grants.map((g) => ({ id: g.id, role: g.role, hostGroup: g.hostGroup })),
        sessions: live.length,
        lastActiveAt: live.length ? new Date(Math.max(...live.map((s) => s.updatedAt.getTime()))).toISOString() : null,
      };
    });
  }),

  create: globalProcedure("user:manage")
    .input(z.object({ email: z.email().max(254), name: z.string().trim().max(64).optional(), password: z.string().min(PASSWORD_MIN).max(PASSWORD_MAX) }))
    .mutation(async ({ ctx, input }) => {
      const user = await createUser(ctx.services, input);
      try {
        await recordAudit(ctx.services.db, { ...auditActor(ctx), action: "user.create", target: user.email, result: "ok" });
      } catch (err) {
        await ctx.services.db.user.delete({ where: { id: user.id } }); // no audit entry, no user
        throw err;
      }
      return user;
    }),

  update: globalProcedure("user:manage")
    .input(ZUserId.extend({ name: z.string().trim().min(1).max(64).optional(), disabled: z.boolean().optional() }))
    .mutation(async ({ ctx, input }) => {
      if (input.disabled && input.userId === ctx.actor.id) throw new AppError("BAD_REQUEST", "you cannot disable yourself");
      const { db } = ctx.services;
      const user = await withAudit(db, (u: { email: string }) => ({ ...auditActor(ctx), action: "user.update", target: u.email, params: { name: input.name, disabled: input.disabled }, result: "ok" }), async (tx) => {
        const u = await tx.user.update({ where: { id: input.userId }, data: { name: input.name, disabled: input.disabled } });
        if (input.disabled) {
          await tx.session.deleteMany({ where: { userId: u.id } });
          await assertAdminRemains(tx);
        }
        return u;
      });
      ctx.services.accessChanges.notify("user.update");
      return { id: user.id, disabled: user.disabled, name: user.name };
    }),

  delete: globalProcedure("user:manage")
    .input(ZUserId)
    .mutation(async ({ ctx, input }) => {
      if (input.userId === ctx.actor.id) throw new AppError("BAD_REQUEST", "you cannot delete yourself");
      await withAudit(ctx.services.db, (email: string) => ({ ...auditActor(ctx), action: "user.delete", target: email, result: "ok" }), async (tx) => {
        const u = await tx.user.delete({ where: { id: input.userId } });
        await assertAdminRemains(tx);
        return u.email;
      });
      ctx.services.accessChanges.notify("user.delete");
      return { ok: true as const };
    }),

  /** Sets a new password and ends every session of the user. */
  resetPassword: globalProcedure("user:manage")
    .input(ZUserId.extend({ password: z.string().min(PASSWORD_MIN).max(PASSWORD_MAX) }))
    .mutation(async ({ ctx, input }) => {
      const { db } = ctx.services;
      const user = await db.user.findUnique({ where: { id: input.userId } });
      if (!user) throw new AppError("NOT_FOUND", "no such user");
      await recordAudit(db, { ...auditActor(ctx), action: "user.reset-password", target: user.email, result: "ok" });
      await setPassword(ctx.services, user.id, input.password);
      await db.session.deleteMany({ where: { userId: user.id } });
      ctx.services.accessChanges.notify("user.reset-password");
      return { ok: true as const };
    }),

  sessions: globalProcedure("user:manage")
    .input(ZUserId)
    .query(async ({ ctx, input }) => {
      const rows = await ctx.services.db.session.findMany({ where: { userId: input.userId, expiresAt: { gt: new Date() } }, orderBy: { updatedAt: "desc" } });
      return rows.map((s) => ({ id: s.id, createdAt: s.createdAt.toISOString(), lastActiveAt: s.updatedAt.toISOString(), expiresAt: s.expiresAt.toISOString(), ipAddress: s.ipAddress, userAgent: s.userAgent }));
    }),

  revokeSessions: globalProcedure("user:manage")
    .input(ZUserId.extend({ sessionId: ZId.optional() }))
    .mutation(async ({ ctx, input }) => {
      const revoked = await withAudit(ctx.services.db, (n: number) => ({ ...auditActor(ctx), action: "user.revoke-sessions", target: input.userId, params: { sessionId: input.sessionId ?? "all", count: n }, result: "ok" }), async (tx) => {
        const r = await tx.session.deleteMany({ where: { userId: input.userId, ...(input.sessionId ? { id: input.sessionId } : {}) } });
        return r.count;
      });
      ctx.services.accessChanges.notify("user.revoke-sessions");
      return { revoked };
    }),

  tokens: globalProcedure("user:manage")
    .input(ZUserId)
    .query(async ({ ctx, input }) => {
      const rows = await ctx.services.db.apiToken.findMany({ where: { userId: input.userId }, orderBy: { createdAt: "desc" } });
      return rows.map(tokenView);
    }),

  revokeToken: globalProcedure("user:manage")
    .input(z.object({ tokenId: ZId }))
    .mutation(async ({ ctx, input }) => {
      await withAudit(ctx.services.db, (name: string) => ({ ...auditActor(ctx), action: "token.revoke", target: name, result: "ok" }), async (tx) => {
        const t = await tx.apiToken.update({ where: { id: input.tokenId }, data: { revokedAt: new Date() } });
        return `${t.name} (${t.prefix}…)`;
      });
      ctx.services.accessChanges.notify("token.revoke");
      return { ok: true as const };
    }),
});
