import { z } from "zod";

/**
 * Metrics read from the kernel's own accounting (cgroup files and /proc), not the Docker stats API.
 * The agent computes rates and sends one batched "metrics:tick" per interval: host totals, a compact
 * summary of every running container, and full detail only for containers someone is watching.
 */

export const MIN_METRICS_INTERVAL_S = 1;
export const MAX_METRICS_INTERVAL_S = 60;
export const MAX_TICK_CONTAINERS = 2_000;

const ZFullId = z.string().regex(/^[a-f0-9]{64}$/, "a full container id");
/** A finite number ≥ 0 (rates, bytes, percentages). */
const n = z.number().finite().nonnegative();
const nOrNull = n.nullable();

/** Where the container numbers came from; "docker-api" only when the cgroup files could not be read. */
export const ZMetricsSource = z.enum(["cgroup-v1", "cgroup-v2", "docker-api", "none"]);
export type MetricsSource = z.infer<typeof ZMetricsSource>;

export const ZInterfaceRates = z.object({
  name: z.string().max(64),
  rxBps: n, txBps: n, rxPps: n, txPps: n,
  /** Errors and drops per second over the interval (receive + transmit). */
  errors: n, drops: n,
});
export type InterfaceRates = z.infer<typeof ZInterfaceRates>;

export const ZDiskUsage = z.object({ mount: z.string().max(512), fsType: z.string().max(64), totalBytes: n, usedBytes: n });

export const ZHostMetrics = z.object({
  /** All cores = 100. */
  cpuPercent: n,
  /** Each core 0-100. */
  perCore: z.array(n).max(1024),
  load: z.tuple([n, n, n]),
  memTotal: n, memUsed: n, memAvailable: n,
  swapTotal: n, swapUsed: n,
  netRxBps: n, netTxBps: n,
  interfaces: z.array(ZInterfaceRates).max(256),
  diskReadBps: n, diskWriteBps: n,
  disks: z.array(ZDiskUsage).max(128),
  uptimeSeconds: n,
});
export type HostMetrics = z.infer<typeof ZHostMetrics>;

/** What every running container reports every tick (also what history stores). */
export const ZContainerSummary = z.object({
  id: ZFullId,
  /** % of the whole host (all cores = 100). */
  cpuPercent: n,
  memBytes: n,
  /** The cgroup's memory limit; null when unlimited. */
  memLimit: nOrNull,
  netRxBps: n, netTxBps: n,
  blkReadBps: n, blkWriteBps: n,
  pids: n,
});
export type ContainerSummary = z.infer<typeof ZContainerSummary>;

/** Full detail, only for watched containers. */
export const ZContainerDetail = ZContainerSummary.extend({
  /** % of its own CPU limit (quota/period or cpuset); null when unlimited. */
  cpuOfLimitPercent: nOrNull,
  cpuLimitCores: nOrNull,
  /** CFS periods in the interval, and how many of them were throttled. */
  cpuPeriods: n, cpuThrottledPeriods: n, cpuThrottledSeconds: n,
  memWorkingSet: n, memRss: n, memCache: n,
  oomKills: n,
  pidsLimit: nOrNull,
  netRxPps: n, netTxPps: n, netErrors: n, netDrops: n,
  source: ZMetricsSource,
});
export type ContainerDetail = z.infer<typeof ZContainerDetail>;

/** Agent → server, once per interval. */
export const ZMetricsTick = z.object({
  /** Agent clock, ms since the epoch. */
  t: z.number().int().positive(),
  intervalMs: z.number().int().min(MIN_METRICS_INTERVAL_S * 1000).max(MAX_METRICS_INTERVAL_S * 1000),
  source: ZMetricsSource,
  /** Why the agent fell back (or could not read), for the host facts. */
  sourceNote: z.string().max(500).nullable(),
  host: ZHostMetrics,
  containers: z.array(ZContainerSummary).max(MAX_TICK_CONTAINERS),
  details: z.array(ZContainerDetail).max(MAX_TICK_CONTAINERS),
});
export type MetricsTick = z.infer<typeof ZMetricsTick>;

/** Server → agent: which containers to send in full, and how often to tick. Replaces the previous set. */
export const ZMetricsWatch = z.object({
  containerIds: z.array(ZFullId).max(MAX_TICK_CONTAINERS),
  /** Send detail for every running container (not just watched ones). */
  allDetail: z.boolean().default(false),
  intervalSeconds: z.number().int().min(MIN_METRICS_INTERVAL_S).max(MAX_METRICS_INTERVAL_S),
});
export type MetricsWatch = z.infer<typeof ZMetricsWatch>;

/** Browser → server: live metrics of a host (with its container summaries), or one container in full. */
export const ZMetricsSubscribe = z.object({ hostId: z.string().min(1).max(64), containerId: ZFullId.optional() }).strict();
export type MetricsSubscribe = z.infer<typeof ZMetricsSubscribe>;
