import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ContainerSummary, HostMetrics, MetricsTick } from "../../agents/protocol";
import { MetricsHub } from "../../server/domain/metrics/metrics-hub";
import { queryHistory, queryMetric } from "../../server/domain/metrics/query-metrics";
import { applyRetention, rollUpHours } from "../../server/domain/metrics/rollup-store";
import { createTestServices } from "../support/test-services";

// The persisted tiers on a real SQLite file: minute rows written in batches, hours rolled up from
// them with sample-weighted averages, retention, and queries that pick the tier by range.
type Env = Awaited<ReturnType<typeof createTestServices>>;
let services: Env;
let clock = 0;
let hub: MetricsHub;
const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.UTC(2026, 10, 1, 10, 0, 0); // an hour boundary

const host = (cpu: number): HostMetrics => ({
  cpuPercent: cpu, perCore: [cpu], load: [cpu / 10, 0, 0], memTotal: 1000, memUsed: 250, memAvailable: 750, swapTotal: 0, swapUsed: 0,
  netRxBps: 1, netTxBps: 2, interfaces: [], diskReadBps: 3, diskWriteBps: 4, disks: [], uptimeSeconds: 1,
});
const container = (id: string, cpu: number): ContainerSummary => ({ id, cpuPercent: cpu, memBytes: 100, memLimit: 400, netRxBps: 0, netTxBps: 0, blkReadBps: 0, blkWriteBps: 0, pids: 2 });
const tick = (cpu: number, containers: ContainerSummary[] = []): MetricsTick => ({ t: clock, intervalMs: 1000, source: "cgroup-v1", sourceNote: null, host: host(cpu), containers, details: [] });
const C = "c".repeat(64);

beforeAll(async () => {
  services = await createTestServices();
  hub = new MetricsHub({ db: services.db, feed: services.metrics, log: services.log, now: () => clock });
});
afterAll(async () => {
  hub.stop();
  await services.cleanup();
});

describe("[METRICS][HISTORY] minute and hour tiers on SQLite", () => {
  it("persists min/avg/max per minute and rolls hours up with sample-weighted averages", async () => {
    // Minute 0: cpu 10, 20, 30 (3 samples). Minute 1: cpu 50 (1 sample). Then the next hour.
    for (const [offset, cpu] of [[0, 10], [20_000, 20], [40_000, 30], [MIN + 5_000, 50], [HOUR + 1_000, 70], [HOUR + 2 * MIN, 1]] as const) {
      clock = T0 + offset;
      hub.ingest("h1", tick(cpu, [container(C, cpu / 2)]));
    }
    await hub.flush();
    const minutes = await services.db.metricRollup.findMany({ where: { tier: "1m", hostId: "h1", containerId: "" }, orderBy: { bucket: "asc" } });
    expect(minutes.map((m) => [m.bucket * 1000 - T0, m.samples, m.cpuMin, m.cpuAvg, m.cpuMax])).toEqual([
      [0, 3, 10, 20, 30],
      [MIN, 1, 50, 50, 50],
      [HOUR, 1, 70, 70, 70],
    ]);
    expect(minutes[0]!.pidsAvg).toBeNull(); // a host has no pids metric
    expect(minutes[0]!.memPctAvg).toBe(25);

    await rollUpHours(services.db, T0, T0 + HOUR);
    const hours = await services.db.metricRollup.findMany({ where: { tier: "1h", hostId: "h1", containerId: "" }, orderBy: { bucket: "asc" } });
    expect(hours.map((h) => [h.bucket * 1000 - T0, h.samples, h.cpuMin, h.cpuAvg, h.cpuMax])).toEqual([
      [0, 4, 10, 27.5, 50], // (10+20+30+50)/4, not the mean of the minute means (35)
      [HOUR, 1, 70, 70, 70],
    ]);
    const cont = await services.db.metricRollup.findFirst({ where: { tier: "1h", hostId: "h1", containerId: C, bucket: T0 / 1000 } });
    expect(cont).toMatchObject({ cpuAvg: 13.75, pidsAvg: 2, memPctAvg: 25 });
  });

  it("queries pick the tier by range: raw ≤ 15 min, minutes ≤ 48 h, hours beyond", async () => {
    clock = T0 + HOUR + 3 * MIN;
    const raw = await queryMetric({ db: services.db, hub }, { hostId: "h1", containerId: null, metric: "cpu", from: clock - 10 * MIN, to: clock });
    expect(raw).toEqual({ tier: "raw", points: [{ t: T0 + HOUR + 1_000, min: 70, avg: 70, max: 70 }, { t: T0 + HOUR + 2 * MIN, min: 1, avg: 1, max: 1 }] });
    const minutes = await queryMetric({ db: services.db, hub }, { hostId: "h1", containerId: null, metric: "cpu", from: T0, to: T0 + 2 * HOUR });
    expect(minutes.tier).toBe("1m");
    expect(minutes.points.map((p) => p.avg)).toEqual([20, 50, 70]);
    const hours = await queryHistory({ db: services.db, hub }, { hostId: "h1", containerId: C, metrics: ["cpu", "pids"], from: T0 - 3 * 86_400_000, to: T0 + 2 * HOUR });
    expect(hours.tier).toBe("1h");
    expect(hours.series.cpu!.map((p) => p.avg)).toEqual([13.75, 35]);
    expect(hours.series.pids!.map((p) => p.max)).toEqual([2, 2]);
  });

  it("retention drops minutes after 48 h and hours after 90 days", async () => {
    const removed = await applyRetention(services.db, T0 + 48 * HOUR + MIN + 30_000);
    expect(removed.minutes).toBeGreaterThan(0);
    expect(await services.db.metricRollup.count({ where: { tier: "1m", bucket: { lt: (T0 + 2 * MIN) / 1000 } } })).toBe(0);
    expect(await services.db.metricRollup.count({ where: { tier: "1h" } })).toBeGreaterThan(0);
    await applyRetention(services.db, T0 + 91 * 24 * HOUR);
    expect(await services.db.metricRollup.count()).toBe(0);
  });

  it("keeps up with 50 hosts × 50 containers: one minute of rows written in one batch", async () => {
    const ids = Array.from({ length: 50 }, (_, i) => i.toString(16).padStart(64, "0"));
    clock = T0 + 10 * HOUR;
    for (let h = 0; h < 50; h++) hub.ingest(`host-${h}`, tick(5, ids.map((id) => container(id, 1))));
    clock += MIN + 20_000; // the minute is over and its grace period too
    const started = performance.now();
    await hub.flush();
    const ms = performance.now() - started;
    expect(await services.db.metricRollup.count({ where: { tier: "1m", bucket: (T0 + 10 * HOUR) / 1000 } })).toBe(50 * 51);
    expect(ms).toBeLessThan(5_000); // once a minute: must take a small share of it
  });
});
