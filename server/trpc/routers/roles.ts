import { z } from "zod";
import { rolePermissions } from "../../auth/access";
import { isHostPermission, PERMISSION_DESCRIPTIONS, PERMISSIONS } from "../../auth/permissions";
import { missingEverywhere } from "../../domain/access/grant-ceiling";
import { withAudit } from "../../domain/audit/record-audit";
import { AppError } from "../../errors";
import { auditActor, authenticatedProcedure, globalProcedure, router } from "../init";
import { ZDescription, ZId, ZName, ZPermission } from "../zod-common";
import type { Access } from "../../auth/access";
import type { Permission } from "../../auth/permissions";

const ZPermissions = z.array(ZPermission).max(PERMISSIONS.length).transform((list) => [...new Set(list)]);

/** Editing a role changes every grant of it, so the editor must hold each permission everywhere. */
function assertCanConfer(access: Access, perms: Permission[]): void {
  const missing = missingEverywhere(access, perms);
  if (missing.length) throw new AppError("FORBIDDEN", `you cannot confer permissions you do not hold on all hosts: ${missing.join(", ")}`);
}

export const rolesRouter = router({
  /** Roles are not secret: anyone signed in may see what each one allows. */
  list: authenticatedProcedure.query(async ({ ctx }) => {
    const roles = await ctx.services.db.role.findMany({ orderBy: [{ builtin: "desc" }, { name: "asc" }], include: { _count: { select: { grants: true } } } });
    return roles.map((r) => ({ id: r.id, name: r.name, description: r.description, builtin: r.builtin, permissions: rolePermissions(r), grants: r._count.grants }));
  }),

  /** The permission catalogue: name, whether it is scoped to host groups, and one line on what it allows. */
  permissions: authenticatedProcedure.query(() =>
    PERMISSIONS.map((name) => ({ name, scope: isHostPermission(name) ? ("host" as const) : ("global" as const), description: PERMISSION_DESCRIPTIONS[name] })),
  ),

  create: globalProcedure("role:manage")
    .input(z.object({ name: ZName, description: ZDescription.default(""), permissions: ZPermissions }))
    .mutation(({ ctx, input }) => {
      assertCanConfer(ctx.actor.access, input.permissions);
      return withAudit(ctx.services.db, { ...auditActor(ctx), action: "role.create", target: input.name, params: { permissions: input.permissions }, result: "ok" }, async (tx) => {
        const role = await tx.role.create({ data: { name: input.name, description: input.description, permissions: JSON.stringify(input.permissions) } });
        return { id: role.id, name: role.name };
      });
    }),

  update: globalProcedure("role:manage")
    .input(z.object({ roleId: ZId, name: ZName.optional(), description: ZDescription.optional(), permissions: ZPermissions.optional() }))
    .mutation(async ({ ctx, input }) => {
      const { db } = ctx.services;
      const role = await db.role.findUnique({ where: { id: input.roleId } });
      if (!role) throw new AppError("NOT_FOUND", "no such role");
      if (role.builtin) throw new AppError("BAD_REQUEST", "built-in roles cannot be changed; create a custom role instead");
      if (input.permissions) assertCanConfer(ctx.actor.access, input.permissions);
      await withAudit(db, { ...auditActor(ctx), action: "role.update", target: role.name, params: { name: input.name, permissions: input.permissions }, result: "ok" }, (tx) =>
        tx.role.update({
          where: { id: role.id },
          data: { name: input.name, description: input.description, permissions: input.permissions ? JSON.stringify(input.permissions) : undefined },
        }),
      );
      ctx.services.accessChanges.notify("role.update");
      return { ok: true as const };
    }),

  delete: globalProcedure("role:manage")
    .input(z.object({ roleId: ZId }))
    .mutation(async ({ ctx, input }) => {
      const { db } = ctx.services;
      const role = await db.role.findUnique({ where: { id: input.roleId } });
      if (!role) throw new AppError("NOT_FOUND", "no such role");
      if (role.builtin) throw new AppError("BAD_REQUEST", "built-in roles cannot be deleted");
      await withAudit(db, { ...auditActor(ctx), action: "role.delete", target: role.name, result: "ok" }, (tx) => tx.role.delete({ where: { id: role.id } }));
      ctx.services.accessChanges.notify("role.delete");
      return { ok: true as const };
    }),
});
