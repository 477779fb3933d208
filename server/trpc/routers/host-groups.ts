import { z } from "zod";
import { can } from "../../auth/access";
import { withAudit } from "../../domain/audit/record-audit";
import { AppError } from "../../errors";
import { auditActor, authenticatedProcedure, globalProcedure, router } from "../init";
import { ZDescription, ZId, ZName } from "../zod-common";
import type { Tx } from "../../db/client";

const ZHostIds = z.array(ZId).max(10_000).transform((ids) => [...new Set(ids)]);

async function editableGroup(tx: Tx, groupId: string) {
  const group = await tx.hostGroup.findUnique({ where: { id: groupId } });
  if (!group) throw new AppError("NOT_FOUND", "no such host group");
  if (group.allHosts) throw new AppError("BAD_REQUEST", `"${group.name}" always contains every host`);
  return group;
}

export const hostGroupsRouter = router({
  /** Every group, with only the member hosts the caller can see. */
  list: authenticatedProcedure.query(async ({ ctx }) => {
    const groups = await ctx.services.db.hostGroup.findMany({
      orderBy: [{ allHosts: "desc" }, { name: "asc" }],
      include: { hosts: { select: { hostId: true } }, _count: { select: { grants: true } } },
    });
    return groups.map((g) => ({
      id: g.id,
      name: g.name,
      description: g.description,
      allHosts: g.allHosts,
      hostIds: g.hosts.map((h) => h.hostId).filter((id) => can(ctx.actor.access, "host:read", id)),
      grants: g._count.grants,
    }));
  }),

  create: globalProcedure("hostgroup:manage")
    .input(z.object({ name: ZName, description: ZDescription.default(""), hostIds: ZHostIds.default([]) }))
    .mutation(async ({ ctx, input }) => {
      const group = await withAudit(ctx.services.db, { ...auditActor(ctx), action: "hostgroup.create", target: input.name, params: { hostIds: input.hostIds }, result: "ok" }, (tx) =>
        tx.hostGroup.create({ data: { name: input.name, description: input.description, hosts: { create: input.hostIds.map((hostId) => ({ hostId })) } } }),
      );
      return { id: group.id, name: group.name };
    }),

  update: globalProcedure("hostgroup:manage")
    .input(z.object({ groupId: ZId, name: ZName.optional(), description: ZDescription.optional() }))
    .mutation(async ({ ctx, input }) => {
      await withAudit(ctx.services.db, { ...auditActor(ctx), action: "hostgroup.update", target: input.groupId, params: { name: input.name }, result: "ok" }, async (tx) => {
        await editableGroup(tx, input.groupId);
        await tx.hostGroup.update({ where: { id: input.groupId }, data: { name: input.name, description: input.description } });
      });
      return { ok: true as const };
    }),

  /** Replaces the group's hosts. Grants on the group follow at once. */
  setHosts: globalProcedure("hostgroup:manage")
    .input(z.object({ groupId: ZId, hostIds: ZHostIds }))
    .mutation(async ({ ctx, input }) => {
      await withAudit(ctx.services.db, { ...auditActor(ctx), action: "hostgroup.set-hosts", target: input.groupId, params: { hostIds: input.hostIds }, result: "ok" }, async (tx) => {
        await editableGroup(tx, input.groupId);
        await tx.hostGroupMember.deleteMany({ where: { groupId: input.groupId } });
        if (input.hostIds.length) await tx.hostGroupMember.createMany({ data: input.hostIds.map((hostId) => ({ groupId: input.groupId, hostId })) });
      });
      ctx.services.accessChanges.notify("hostgroup.set-hosts");
      return { ok: true as const };
    }),

  delete: globalProcedure("hostgroup:manage")
    .input(z.object({ groupId: ZId }))
    .mutation(async ({ ctx, input }) => {
      await withAudit(ctx.services.db, { ...auditActor(ctx), action: "hostgroup.delete", target: input.groupId, result: "ok" }, async (tx) => {
        await editableGroup(tx, input.groupId);
        await tx.hostGroup.delete({ where: { id: input.groupId } });
      });
      ctx.services.accessChanges.notify("hostgroup.delete");
      return { ok: true as const };
    }),
});
