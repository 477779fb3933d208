import { EventEmitter } from "node:events";
import type { MetricsTick } from "../../../agents/protocol";
import type { Db } from "../../db/client";
import type { Log } from "../../log";
import type { MetricFeed, MetricSample } from "./metric-feed";
import { containerValues, hostValues, metricIndex, type MetricName, type MetricValues } from "./metric-names";
import { MetricRing } from "./ring-buffer";
import { MinuteBuckets } from "./rollup-buckets";
import { applyRetention, rollUpHours, writeMinutes, type ClosedBucket } from "./rollup-store";

/** The live window kept at full resolution. */
export const LIVE_WINDOW_MS = 15 * 60_000;
const RING_CAPACITY = 960; // 15 min at 1 s, with room for jitter
const FLUSH_MS = 10_000;
const HOURLY_MS = 5 * 60_000; // refresh the open hour's rollup and apply retention

/** A tick as accepted: the host it came from and the server's time of receipt (history is keyed on it). */
export type AcceptedTick = MetricsTick & { hostId: string; receivedAt: number };
/** What a browser receives for a host it subscribed to: the tick, with detail only for its containers. */
export type LiveMetricsTick = AcceptedTick;

const seriesKey = (hostId: string, containerId: string) => `${hostId}|${containerId}`;

/**
 * Where every accepted metrics tick goes: the live rings (15 min per host and per container), the
 * minute buckets (written in batches, rolled up into hours), and the metric feed (alerts listen).
 * Emits "tick" with each AcceptedTick for live subscribers.
 */
export class MetricsHub extends EventEmitter<{ tick: [AcceptedTick] }> {
  private readonly rings = new Map<string, MetricRing>();
  private readonly latest = new Map<string, AcceptedTick>();
  private readonly lastSweep = new Map<string, number>();
  private readonly buckets = new MinuteBuckets();
  private pending: ClosedBucket[] = [];
  private readonly timers: NodeJS.Timeout[] = [];
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly deps: { db: Db; feed: MetricFeed; log: Log; now?: () => number }) {
    super();
    this.setMaxListeners(0);
    const flush = setInterval(() => void this.flush(), FLUSH_MS);
    const hourly = setInterval(() => void this.maintain(), HOURLY_MS);
    flush.unref();
    hourly.unref();
    this.timers.push(flush, hourly);
  }

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }

  ingest(hostId: string, tick: MetricsTick): AcceptedTick {
    const receivedAt = this.now();
    const accepted: AcceptedTick = { ...tick, hostId, receivedAt };
    this.latest.set(hostId, accepted);
    const samples: MetricSample[] = [];
    const hostMem = tick.host.memTotal;
    this.record(hostId, "", receivedAt, hostValues(tick.host));
    samples.push({ hostId, containerId: null, t: receivedAt, cpuPercent: tick.host.cpuPercent, memoryBytes: tick.host.memUsed, memoryPercent: hostMem > 0 ? (tick.host.memUsed / hostMem) * 100 : null });
    for (const c of tick.containers) {
      const values = containerValues(c, hostMem);
      this.record(hostId, c.id, receivedAt, values);
      const pct = values[metricIndex("memoryPercent")]!;
      samples.push({ hostId, containerId: c.id, t: receivedAt, cpuPercent: c.cpuPercent, memoryBytes: c.memBytes, memoryPercent: Number.isNaN(pct) ? null : pct });
    }
    this.deps.feed.publish(samples);
    this.emit("tick", accepted);
    if (receivedAt - (this.lastSweep.get(hostId) ?? 0) > 60_000) this.sweep(hostId, receivedAt);
    return accepted;
  }

  private record(hostId: string, containerId: string, t: number, values: MetricValues): void {
    const key = seriesKey(hostId, containerId);
    let ring = this.rings.get(key);
    if (!ring) this.rings.set(key, (ring = new MetricRing(RING_CAPACITY)));
    ring.push(t, values);
    const closed = this.buckets.add(key, t, values);
    if (closed) this.pending.push(toClosed(closed));
  }

  /** The host's newest tick (host metrics, every container's summary). */
  latestTick(hostId: string): AcceptedTick | null {
    return this.latest.get(hostId) ?? null;
  }

  /** Full-resolution readings of one metric of a series within the live window. */
  live(hostId: string, containerId: string | null, metric: MetricName, from: number, to: number): { t: number; v: number }[] {
    return this.rings.get(seriesKey(hostId, containerId ?? ""))?.range(metricIndex(metric), from, to) ?? [];
  }

  /** Drops the rings of this host's containers that have not reported for the whole live window. */
  private sweep(hostId: string, now: number): void {
    this.lastSweep.set(hostId, now);
    for (const [key, ring] of this.rings) {
      if (key.startsWith(`${hostId}|`) && (ring.last()?.t ?? 0) < now - LIVE_WINDOW_MS) this.rings.delete(key);
    }
  }

  /** Forgets the rings of containers that are gone (called with the ids still present on the host). */
  prune(hostId: string, keep: ReadonlySet<string>): void {
    for (const key of this.rings.keys()) {
      const [h, c] = key.split("|");
      if (h === hostId && c && !keep.has(c)) this.rings.delete(key);
    }
  }

  /** Writes closed minute buckets (and those of series that went quiet). Serialised: one write at a time. */
  flush(): Promise<void> {
    for (const b of this.buckets.closeStale(this.now())) this.pending.push(toClosed(b));
    const batch = this.pending;
    this.pending = [];
    if (!batch.length) return this.writing;
    this.writing = this.writing
      .then(() => writeMinutes(this.deps.db, batch))
      .catch((err) => this.deps.log.error({ err, rows: batch.length }, "metrics rollup write failed"));
    return this.writing;
  }

  /** Rolls the last two hours' minutes up into hours and applies retention. */
  async maintain(): Promise<void> {
    await this.flush();
    const now = this.now();
    try {
      await rollUpHours(this.deps.db, now - 3_600_000, now);
      await applyRetention(this.deps.db, now);
    } catch (err) {
      this.deps.log.error({ err }, "metrics rollup/retention failed");
    }
  }

  stop(): void {
    for (const t of this.timers) clearInterval(t);
  }
}

function toClosed(b: { series: string; minute: number; stats: ClosedBucket["stats"] }): ClosedBucket {
  const bar = b.series.indexOf("|");
  return { hostId: b.series.slice(0, bar), containerId: b.series.slice(bar + 1), minute: b.minute, stats: b.stats };
}
