import type { Db } from "../../db/client";
import { LIVE_WINDOW_MS, type MetricsHub } from "./metrics-hub";
import type { MetricName } from "./metric-names";
import { MINUTE_RETENTION_MS, readTier, type HistoryPoint } from "./rollup-store";

export type Tier = "raw" | "1m" | "1h";

/** ≤ 15 min: the live ring at full resolution; ≤ 48 h: minutes; longer: hours. */
export function tierFor(from: number, to: number): Tier {
  const span = to - from;
  if (span <= LIVE_WINDOW_MS) return "raw";
  return span <= MINUTE_RETENTION_MS ? "1m" : "1h";
}

export type SeriesQuery = { hostId: string; containerId: string | null; from: number; to: number };

/** The public `metrics.query`: one metric of a host or container over a range, tier picked by the range. */
export async function queryMetric(deps: { db: Db; hub: MetricsHub }, q: SeriesQuery & { metric: MetricName }): Promise<{ tier: Tier; points: HistoryPoint[] }> {
  const res = await queryHistory(deps, { ...q, metrics: [q.metric] });
  return { tier: res.tier, points: res.series[q.metric] ?? [] };
}

/** Several metrics of one series at once (what a chart panel needs), each as min/avg/max points. */
export async function queryHistory(
  deps: { db: Db; hub: MetricsHub },
  q: SeriesQuery & { metrics: readonly MetricName[] },
): Promise<{ tier: Tier; series: Partial<Record<MetricName, HistoryPoint[]>> }> {
  const tier = tierFor(q.from, q.to);
  const series: Partial<Record<MetricName, HistoryPoint[]>> = {};
  if (tier === "raw") {
    for (const m of q.metrics) series[m] = deps.hub.live(q.hostId, q.containerId, m, q.from, q.to).map(({ t, v }) => ({ t, min: v, avg: v, max: v }));
    return { tier, series };
  }
  const rows = await readTier(deps.db, { tier, hostId: q.hostId, containerId: q.containerId ?? "", metrics: q.metrics, from: q.from, to: q.to });
  for (const m of q.metrics) {
    const points: HistoryPoint[] = [];
    for (const r of rows) {
      const v = r.values[m];
      if (v) points.push({ t: r.t, min: v[0], avg: v[1], max: v[2] });
    }
    series[m] = points;
  }
  return { tier, series };
}

/**
 * The last minutes of CPU and memory of every container on a host, thinned to at most `points` each
 * (every k-th reading), for the sparklines of the containers table.
 */
export function sparklines(hub: MetricsHub, hostId: string, containerIds: readonly string[], now: number, windowMs: number, points: number) {
  const out: Record<string, { t: number[]; cpu: number[]; memory: number[] }> = {};
  for (const id of containerIds) {
    const cpu = hub.live(hostId, id, "cpu", now - windowMs, now);
    const mem = hub.live(hostId, id, "memory", now - windowMs, now);
    if (!cpu.length) continue;
    const step = Math.max(1, Math.ceil(cpu.length / points));
    const pick = <T,>(xs: T[]) => xs.filter((_, i) => (xs.length - 1 - i) % step === 0);
    out[id] = { t: pick(cpu).map((p) => p.t), cpu: pick(cpu).map((p) => p.v), memory: pick(mem).map((p) => p.v) };
  }
  return out;
}
