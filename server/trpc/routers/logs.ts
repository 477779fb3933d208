import { z } from "zod";
import { ZContainerRef, ZLogTs } from "../../../agents/protocol";
import { can } from "../../auth/access";
import { withAudit } from "../../domain/audit/record-audit";
import type { ControlError } from "../../domain/commands/control-error";
import { queryAgent } from "../../domain/queries/query-agent";
import { searchRetained } from "../../domain/logs/search-retained";
import { AppError } from "../../errors";
import { auditActor, globalProcedure, hostProcedure, listProcedure, router } from "../init";
import { ZId } from "../zod-common";
import { mapControlErrors } from "./control";
import { ignoringCase } from "../../db/dialect";

const ZTime = z.string().max(40).regex(/^(\d{1,12}(\.\d{1,9})?|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:\d\d))$/, "expected RFC3339 or unix seconds");
const ZLabelSelector = z.string().trim().min(1).max(256).regex(/^[^=\s]+(=.*)?$/, 'a label as "key" or "key=value"');

/** Retained lines of a container the engine no longer has (removed, or its host is offline). */
async function retainedRead(db: Parameters<typeof searchRetained>[0], hostId: string, containerId: string, tail: number) {
  const rows = await db.retainedLogLine.findMany({
    where: { hostId, OR: [{ containerId: ignoringCase(db, { startsWith: containerId }) }, { containerName: containerId }] },
    orderBy: { id: "desc" },
    take: tail,
    select: { ts: true, stream: true, text: true },
  });
  return rows.reverse().map((r) => ({ ts: r.ts, stream: r.stream as "stdout" | "stderr", text: r.text }));
}

export const logsRouter = router({
  /**
   * A finite read of one container's log for automation: the newest `tail` lines (default 500,
   * at most 10,000) between since and until, in time order. Live viewers use the socket stream.
   * When the engine no longer has the container but the server retained its logs, those are read.
   */
  read: hostProcedure("logs:read")
    .use(mapControlErrors)
    .input(z.object({ hostId: ZId, containerId: ZContainerRef, tail: z.number().int().min(0).max(10_000).default(500), since: ZTime.optional(), until: ZTime.optional() }))
    .query(async ({ ctx, input }) => {
      try {
        const { lines, truncated } = await queryAgent({ db: ctx.services.db, links: ctx.services.commands.links }, input.hostId, {
          query: "container.logs",
          params: { containerId: input.containerId, tail: input.tail, since: input.since, until: input.until },
        });
        return { lines: lines.map(({ ts, stream, text }) => ({ ts, stream, text })), truncated, source: "engine" as const };
      } catch (err) {
        const code = err instanceof Error ? (err as Partial<ControlError>).code : undefined;
        const gone = code === "NO_SUCH_CONTAINER" || code === "HOST_OFFLINE";
        if (!gone) throw err;
        const lines = await retainedRead(ctx.services.db, input.hostId, input.containerId, input.tail);
        if (!lines.length) throw err;
        return { lines, truncated: false, source: "retained" as const };
      }
    }),

  /** Searches the logs the server retained (of live and removed containers) on hosts where the caller may read logs. */
  search: listProcedure("logs:read")
    .input(
      z.object({
        hostIds: z.array(ZId).max(1000).optional(),
        containerIds: z.array(z.string().min(1).max(64)).max(1000).optional(),
        query: z.string().max(500).default(""),
        regex: z.boolean().default(false),
        caseSensitive: z.boolean().default(false),
        from: ZLogTs.optional(),
        to: ZLogTs.optional(),
        limit: z.number().int().min(1).max(5_000).default(500),
      }),
    )
    .query(({ ctx, input }) => searchRetained(ctx.services.db, ctx.actor.access, input)),

  retention: router({
    /** The rules, with how much each retained container holds now. */
    list: listProcedure("logs:read").query(async ({ ctx }) => {
      const { db } = ctx.services;
      const [rules, usage, hosts] = await Promise.all([
        db.logRetentionRule.findMany({ orderBy: { createdAt: "asc" } }),
        db.retainedLogLine.groupBy({ by: ["hostId", "containerId", "containerName", "ruleId"], _sum: { bytes: true }, _count: { _all: true }, _min: { ts: true }, _max: { ts: true } }),
        db.host.findMany({ select: { id: true, name: true } }),
      ]);
      const hostName = new Map(hosts.map((h) => [h.id, h.name]));
      const visible = (hostId: string | null) => (hostId ? can(ctx.actor.access, "logs:read", hostId) : true);
      return {
        rules: rules.filter((r) => visible(r.hostId)).map((r) => ({ id: r.id, hostId: r.hostId, hostName: r.hostId ? hostName.get(r.hostId) ?? r.hostId : null, label: r.label, maxMb: r.maxMb, maxDays: r.maxDays })),
        containers: usage
          .filter((u) => visible(u.hostId))
          .map((u) => ({ hostId: u.hostId, hostName: hostName.get(u.hostId) ?? u.hostId, containerId: u.containerId, containerName: u.containerName, ruleId: u.ruleId, bytes: u._sum.bytes ?? 0, lines: u._count._all, oldest: u._min.ts, newest: u._max.ts })),
      };
    }),

    /** Keeps the logs of every container of a host, or of containers with a label (fleet-wide). */
    set: globalProcedure("logs:retention")
      .input(
        z
          .object({ hostId: ZId.optional(), label: ZLabelSelector.optional(), maxMb: z.number().int().min(1).max(100_000), maxDays: z.number().int().min(1).max(3650) })
          .refine((r) => r.hostId || r.label, "name a host, a label, or both"),
      )
      .mutation(async ({ ctx, input }) => {
        const { db } = ctx.services;
        if (input.hostId && !(await db.host.findUnique({ where: { id: input.hostId } }))) throw new AppError("NOT_FOUND", "no such host");
        const rule = await withAudit(db, { ...auditActor(ctx), hostId: input.hostId ?? null, action: "logs.retention.set", target: input.label ?? input.hostId!, params: input, result: "ok" }, async (tx) => {
          const existing = await tx.logRetentionRule.findFirst({ where: { hostId: input.hostId ?? null, label: input.label ?? null } });
          const data = { maxMb: input.maxMb, maxDays: input.maxDays };
          return existing
            ? tx.logRetentionRule.update({ where: { id: existing.id }, data })
            : tx.logRetentionRule.create({ data: { ...data, hostId: input.hostId ?? null, label: input.label ?? null } });
        });
        await ctx.services.logs.retention.reload();
        return { id: rule.id };
      }),

    /** Stops keeping logs under a rule and deletes what it kept. */
    remove: globalProcedure("logs:retention")
      .input(z.object({ ruleId: ZId }))
      .mutation(async ({ ctx, input }) => {
        await withAudit(ctx.services.db, { ...auditActor(ctx), action: "logs.retention.remove", target: input.ruleId, result: "ok" }, (tx) => tx.logRetentionRule.delete({ where: { id: input.ruleId } }));
        await ctx.services.logs.retention.reload();
        return { ok: true as const };
      }),
  }),
});
