import { z } from "zod";
import { assertAdminRemains } from "../../domain/access/admin-guard";
import { withAudit } from "../../domain/audit/record-audit";
import { auditActor, globalProcedure, router } from "../init";
import { ZDescription, ZId, ZName } from "../zod-common";

const ZMember = z.object({ teamId: ZId, userId: ZId });

export const teamsRouter = router({
  list: globalProcedure("team:manage").query(async ({ ctx }) => {
    const teams = await ctx.services.db.team.findMany({
      orderBy: { name: "asc" },
      include: {
        members: { include: { user: { select: { id: true, email: true, name: true, disabled: true } } } },
        grants: { include: { role: { select: { id: true, name: true } }, hostGroup: { select: { id: true, name: true } } } },
      },
    });
    return teams.map((t) => ({
      id: t.id,
      name: t.name,
      description: t.description,
      members: t.members.map((m) => m.user),
      grants: t.grants.map((g) => ({ id: g.id, role: g.role, hostGroup: g.hostGroup })),
    }));
  }),

  /** Users that can be added to a team (for pickers; team managers need not manage users). */
  candidates: globalProcedure("team:manage").query(({ ctx }) =>
    ctx.services.db.user.findMany({ orderBy: { email: "asc" }, select: { id: true, email: true, name: true, disabled: true } }),
  ),

  create: globalProcedure("team:manage")
    .input(z.object({ name: ZName, description: ZDescription.default("") }))
    .mutation(({ ctx, input }) =>
      withAudit(ctx.services.db, { ...auditActor(ctx), action: "team.create", target: input.name, result: "ok" }, async (tx) => {
        const team = await tx.team.create({ data: input });
        return { id: team.id, name: team.name };
      }),
    ),

  update: globalProcedure("team:manage")
    .input(z.object({ teamId: ZId, name: ZName.optional(), description: ZDescription.optional() }))
    .mutation(({ ctx, input }) =>
      withAudit(ctx.services.db, { ...auditActor(ctx), action: "team.update", target: input.teamId, params: { name: input.name, description: input.description }, result: "ok" }, async (tx) => {
        const team = await tx.team.update({ where: { id: input.teamId }, data: { name: input.name, description: input.description } });
        return { id: team.id, name: team.name };
      }),
    ),

  delete: globalProcedure("team:manage")
    .input(z.object({ teamId: ZId }))
    .mutation(async ({ ctx, input }) => {
      await withAudit(ctx.services.db, (name: string) => ({ ...auditActor(ctx), action: "team.delete", target: name, result: "ok" }), async (tx) => {
        const team = await tx.team.delete({ where: { id: input.teamId } });
        await assertAdminRemains(tx);
        return team.name;
      });
      ctx.services.accessChanges.notify("team.delete");
      return { ok: true as const };
    }),

  addMember: globalProcedure("team:manage")
    .input(ZMember)
    .mutation(async ({ ctx, input }) => {
      await withAudit(ctx.services.db, { ...auditActor(ctx), action: "team.add-member", target: input.teamId, params: { userId: input.userId }, result: "ok" }, (tx) =>
        tx.teamMember.upsert({ where: { teamId_userId: input }, create: input, update: {} }),
      );
      ctx.services.accessChanges.notify("team.add-member");
      return { ok: true as const };
    }),

  removeMember: globalProcedure("team:manage")
    .input(ZMember)
    .mutation(async ({ ctx, input }) => {
      await withAudit(ctx.services.db, { ...auditActor(ctx), action: "team.remove-member", target: input.teamId, params: { userId: input.userId }, result: "ok" }, async (tx) => {
        await tx.teamMember.delete({ where: { teamId_userId: input } });
        await assertAdminRemains(tx);
      });
      ctx.services.accessChanges.notify("team.remove-member");
      return { ok: true as const };
    }),
});
