import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { can } from "../../auth/access";
import { fleetTop } from "../../domain/metrics/fleet-top";
import { ZMetricName } from "../../domain/metrics/metric-names";
import { metricsHub } from "../../domain/metrics/metrics-hub-registry";
import { queryHistory, queryMetric, sparklines } from "../../domain/metrics/query-metrics";
import type { Services } from "../../services";
import { hostProcedure, listProcedure, router } from "../init";
import { ZId } from "../zod-common";

/** A time as milliseconds since the epoch or an ISO-8601 string. */
const ZTime = z.union([z.number().int().nonnegative(), z.iso.datetime({ offset: true }).transform((s) => Date.parse(s))]);
const ZFullContainerId = z.string().regex(/^[a-f0-9]{64}$/, "a full container id");
const MAX_SPAN_MS = 400 * 86_400_000;

const ZRange = z
  .object({ hostId: ZId, containerId: ZFullContainerId.optional(), from: ZTime, to: ZTime })
  .refine((r) => r.from < r.to, { message: "from must be before to", path: ["from"] })
  .refine((r) => r.to - r.from <= MAX_SPAN_MS, { message: "a range of at most 400 days", path: ["from"] });

/** A container named with a host must be on that host now (or have history there). */
async function checkContainer(services: Services, hostId: string, containerId: string | undefined): Promise<void> {
  if (!containerId) return;
  if (services.registry.get(hostId)?.containers.has(containerId)) return;
  const history = await services.db.metricRollup.findFirst({ where: { hostId, containerId }, select: { bucket: true } });
  if (!history) throw new TRPCError({ code: "NOT_FOUND", message: `no container ${containerId.slice(0, 12)} on host ${hostId}` });
}

export const metricsRouter = router({
  /** One metric of a host (or one of its containers) over [from, to]; the tier is picked by the range. */
  query: hostProcedure("host:read")
    .input(ZRange.and(z.object({ metric: ZMetricName })))
    .query(async ({ ctx, input }) => {
      await checkContainer(ctx.services, input.hostId, input.containerId);
      return queryMetric({ db: ctx.services.db, hub: metricsHub(ctx.services) }, { ...input, containerId: input.containerId ?? null });
    }),

  /** Several metrics of one series at once (a chart panel), same tiers as `query`. */
  history: hostProcedure("host:read")
    .input(ZRange.and(z.object({ metrics: z.array(ZMetricName).min(1).max(10) })))
    .query(async ({ ctx, input }) => {
      await checkContainer(ctx.services, input.hostId, input.containerId);
      return queryHistory({ db: ctx.services.db, hub: metricsHub(ctx.services) }, { ...input, containerId: input.containerId ?? null });
    }),

  /** CPU and memory of each container on the host over the last minutes, thinned for sparklines. */
  sparklines: hostProcedure("host:read")
    .input(z.object({ hostId: ZId, minutes: z.number().int().min(1).max(15).default(5), points: z.number().int().min(2).max(300).default(60) }))
    .query(({ ctx, input }) => {
      const ids = [...(ctx.services.registry.get(input.hostId)?.containers.keys() ?? [])];
      return sparklines(metricsHub(ctx.services), input.hostId, ids, Date.now(), input.minutes * 60_000, input.points);
    }),

  /** The fleet's top consumers now (containers by CPU and by memory, host totals), readable hosts only. */
  fleetTop: listProcedure("host:read")
    .input(z.object({ limit: z.number().int().min(1).max(50).default(10) }).default({ limit: 10 }))
    .query(({ ctx, input }) =>
      fleetTop(
        { db: ctx.services.db, hub: metricsHub(ctx.services), registry: ctx.services.registry },
        { mayRead: (hostId) => can(ctx.actor.access, "host:read", hostId), limit: input.limit, now: Date.now() },
      ),
    ),
});
