import { z } from "zod";
import { mintApiToken } from "../../auth/api-tokens";
import { parsePermissionList } from "../../auth/access";
import { parseIdList } from "../../auth/resolve-actor";
import { withAudit } from "../../domain/audit/record-audit";
import { AppError } from "../../errors";
import { auditActor, authenticatedProcedure, router } from "../init";
import { ZId, ZName, ZPermission } from "../zod-common";

type TokenRow = { id: string; name: string; prefix: string; createdAt: Date; expiresAt: Date | null; lastUsedAt: Date | null; revokedAt: Date | null; permissions: string | null; hostGroupIds: string | null };

/** What a token looks like to its owner and to admins: never its hash. */
export function tokenView(t: TokenRow) {
  return {
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    createdAt: t.createdAt.toISOString(),
    expiresAt: t.expiresAt?.toISOString() ?? null,
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
    permissions: t.permissions === null ? null : parsePermissionList(t.permissions),
    hostGroupIds: t.hostGroupIds === null ? null : parseIdList(t.hostGroupIds),
  };
}

/** The caller's own API tokens. A token never holds more than its user: narrowing is intersected at use. */
export const tokensRouter = router({
  list: authenticatedProcedure.query(async ({ ctx }) => {
    const rows = await ctx.services.db.apiToken.findMany({ where: { userId: ctx.actor.id }, orderBy: { createdAt: "desc" } });
    return rows.map(tokenView);
  }),

  /** Returns the secret once; only its SHA-256 is stored. */
  create: authenticatedProcedure
    .input(
      z.object({
        name: ZName,
        expiresInDays: z.number().int().min(1).max(3650).nullable().default(90),
        permissions: z.array(ZPermission).min(1).max(64).nullable().default(null),
        hostGroupIds: z.array(ZId).min(1).max(256).nullable().default(null),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { db } = ctx.services;
      if (ctx.actor.via === "token") throw new AppError("FORBIDDEN", "API tokens cannot mint other tokens; sign in to create one");
      if (input.hostGroupIds) {
        const found = await db.hostGroup.count({ where: { id: { in: input.hostGroupIds } } });
        if (found !== new Set(input.hostGroupIds).size) throw new AppError("BAD_REQUEST", "unknown host group");
      }
      const { token, tokenHash, prefix } = mintApiToken();
      const expiresAt = input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null;
      const row = await withAudit(db, { ...auditActor(ctx), action: "token.create", target: `${input.name} (${prefix}…)`, params: { expiresAt, permissions: input.permissions, hostGroupIds: input.hostGroupIds }, result: "ok" }, (tx) =>
        tx.apiToken.create({
          data: {
            userId: ctx.actor.id, name: input.name, tokenHash, prefix, expiresAt,
            permissions: input.permissions ? JSON.stringify([...new Set(input.permissions)]) : null,
            hostGroupIds: input.hostGroupIds ? JSON.stringify([...new Set(input.hostGroupIds)]) : null,
          },
        }),
      );
      return { id: row.id, token, prefix, expiresAt: expiresAt?.toISOString() ?? null };
    }),

  revoke: authenticatedProcedure
    .input(z.object({ tokenId: ZId }))
    .mutation(async ({ ctx, input }) => {
      await withAudit(ctx.services.db, (name: string) => ({ ...auditActor(ctx), action: "token.revoke", target: name, result: "ok" }), async (tx) => {
        const t = await tx.apiToken.findFirst({ where: { id: input.tokenId, userId: ctx.actor.id } });
        if (!t) throw new AppError("NOT_FOUND", "no such token of yours");
        await tx.apiToken.update({ where: { id: t.id }, data: { revokedAt: t.revokedAt ?? new Date() } });
        return `${t.name} (${t.prefix}…)`;
      });
      ctx.services.accessChanges.notify("token.revoke");
      return { ok: true as const };
    }),
});
