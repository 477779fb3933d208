import { z } from "zod";
import { rolePermissions, type Access } from "../../auth/access";
import { assertAdminRemains } from "../../domain/access/admin-guard";
import { missingToGrant } from "../../domain/access/grant-ceiling";
import { withAudit } from "../../domain/audit/record-audit";
import type { Db } from "../../db/client";
import { AppError } from "../../errors";
import { auditActor, globalProcedure, router } from "../init";
import { ZId } from "../zod-common";

/** Refuses a grant (or its removal) that reaches beyond what the actor holds on that group. */
async function assertWithinCeiling(db: Db, access: Access, roleId: string, hostGroupId: string): Promise<string> {
  const role = await db.role.findUnique({ where: { id: roleId } });
  if (!role) throw new AppError("NOT_FOUND", "no such role");
  const missing = await missingToGrant(db, access, rolePermissions(role), hostGroupId);
  if (missing.length) throw new AppError("FORBIDDEN", `you cannot grant or revoke more than you hold on that group: ${missing.join(", ")}`);
  return role.name;
}

export const grantsRouter = router({
  list: globalProcedure("grant:manage").query(async ({ ctx }) => {
    const grants = await ctx.services.db.grant.findMany({
      orderBy: { createdAt: "asc" },
      include: {
        user: { select: { id: true, email: true } },
        team: { select: { id: true, name: true } },
        role: { select: { id: true, name: true } },
        hostGroup: { select: { id: true, name: true, allHosts: true } },
      },
    });
    return grants.map((g) => ({ id: g.id, user: g.user, team: g.team, role: g.role, hostGroup: g.hostGroup, createdAt: g.createdAt.toISOString() }));
  }),

  /** Who can receive a grant: users and teams (for pickers; grant managers need not manage users). */
  subjects: globalProcedure("grant:manage").query(async ({ ctx }) => {
    const { db } = ctx.services;
    const [users, teams] = await Promise.all([
      db.user.findMany({ orderBy: { email: "asc" }, select: { id: true, email: true, name: true, disabled: true } }),
      db.team.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true } }),
    ]);
    return { users, teams };
  }),

  create: globalProcedure("grant:manage")
    .input(
      z
        .object({ userId: ZId.optional(), teamId: ZId.optional(), roleId: ZId, hostGroupId: ZId })
        .refine((g) => Boolean(g.userId) !== Boolean(g.teamId), "name exactly one of userId or teamId"),
    )
    .mutation(async ({ ctx, input }) => {
      const { db } = ctx.services;
      const roleName = await assertWithinCeiling(db, ctx.actor.access, input.roleId, input.hostGroupId);
      const grant = await withAudit(db, { ...auditActor(ctx), action: "grant.create", target: input.userId ?? `team:${input.teamId}`, params: { role: roleName, hostGroupId: input.hostGroupId }, result: "ok" }, async (tx) => {
        const existing = await tx.grant.findFirst({ where: { userId: input.userId ?? null, teamId: input.teamId ?? null, roleId: input.roleId, hostGroupId: input.hostGroupId } });
        if (existing) throw new AppError("CONFLICT", "that grant already exists");
        return tx.grant.create({ data: { ...input, createdById: ctx.actor.id } });
      });
      ctx.services.accessChanges.notify("grant.create");
      return { id: grant.id };
    }),

  delete: globalProcedure("grant:manage")
    .input(z.object({ grantId: ZId }))
    .mutation(async ({ ctx, input }) => {
      const { db } = ctx.services;
      const grant = await db.grant.findUnique({ where: { id: input.grantId } });
      if (!grant) throw new AppError("NOT_FOUND", "no such grant");
      const roleName = await assertWithinCeiling(db, ctx.actor.access, grant.roleId, grant.hostGroupId);
      await withAudit(db, { ...auditActor(ctx), action: "grant.delete", target: grant.userId ?? `team:${grant.teamId}`, params: { role: roleName, hostGroupId: grant.hostGroupId }, result: "ok" }, async (tx) => {
        await tx.grant.delete({ where: { id: grant.id } });
        await assertAdminRemains(tx);
      });
      ctx.services.accessChanges.notify("grant.delete");
      return { ok: true as const };
    }),
});
