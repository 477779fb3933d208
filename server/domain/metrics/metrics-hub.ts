import { EventEmitter } from "node:events";
import type { MetricsTick } from "../../../agents/protocol";
import type { Db } from "../../db/client";
import type { Log } from "../../log";
import type { MetricFeed, MetricSample } from "./metric-feed";
import { METRIC_COUNT, containerValues, hostValues, metricIndex, type MetricName, type MetricValues } from "./metric-names";
import { LatestReading } from "./latest-reading";
import { MetricRing } from "./ring-buffer";
import { SampleSlabs } from "./sample-slabs";
import { MinuteBuckets, type BucketSlot } from "./rollup-buckets";
import { applyRetention, rollUpHours, writeMinutes, type ClosedBucket } from "./rollup-store";

/** The live window kept at full resolution. */
export const LIVE_WINDOW_MS = 15 * 60_000;
const RING_CAPACITY = 960; // 15 min at 1 s, with room for jitter
const FLUSH_MS = 10_000;
// Every series closes its minute at the same moment (40,000+ rows at 2,000 hosts): written a few
// hundred rows per transaction with a pause between, so the event loop keeps serving agents.
const FLUSH_CHUNK_ROWS = 400;
const FLUSH_PAUSE_MS = 25;
/** Containers have no swap or load: their rings keep only the metrics up to pids. */
const CONTAINER_WIDTH = metricIndex("pids") + 1;
const MEMORY_PERCENT = metricIndex("memoryPercent");
const HOURLY_MS = 5 * 60_000; // refresh the open hour's rollup and apply retention

/** A tick as accepted: the host it came from and the server's time of receipt (history is keyed on it). */
export type AcceptedTick = MetricsTick & { hostId: string; receivedAt: number };
/** What a browser receives for a host it subscribed to: the tick, with detail only for its containers. */
export type LiveMetricsTick = AcceptedTick;

const seriesKey = (hostId: string, containerId: string) => `${hostId}|${containerId}`;

/** One series (a host's totals: containerId "", or one container): its ring and its open minute bucket. */
type Series = { containerId: string; ring: MetricRing; bucket: BucketSlot };

/**
 * Where every accepted metrics tick goes: the live rings (15 min per host and per container), the
 * minute buckets (written in batches, rolled up into hours), and the metric feed (alerts listen).
 * Emits "tick" with each AcceptedTick for live subscribers.
 */
export class MetricsHub extends EventEmitter<{ tick: [AcceptedTick] }> {
  /**
   * hostId -> containerId ("" = the host) -> series. Per host, so per-host sweeps do not scan every
   * host's series; nested, so the 40,000 lookups a second at 2,000 hosts build no key strings.
   */
  private readonly seriesOfHost = new Map<string, Map<string, Series>>();
  /** Scratch for one reading: ring and bucket copy it, so one array serves every sample. */
  private readonly scratch = new Float64Array(METRIC_COUNT);
  /** Chunk storage of the hosts' rings and of the containers' (narrower) rings. */
  private readonly hostSlabs = new SampleSlabs(METRIC_COUNT);
  private readonly containerSlabs = new SampleSlabs(CONTAINER_WIDTH);
  private readonly latest = new Map<string, LatestReading>();
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
    const accepted: AcceptedTick = { ...tick, hostId, receivedAt: this.now() };
    this.accept(accepted, true);
    return accepted;
  }

  /**
   * A tick another server replica accepted and stores: kept in the live rings, pushed to live
   * subscribers and to the metric feed here (alerts run on one replica), but not written to history twice.
   */
  mirror(accepted: AcceptedTick): void {
    this.accept(accepted, false);
  }

  private accept(accepted: AcceptedTick, store: boolean): void {
    const { hostId, receivedAt } = accepted;
    let latest = this.latest.get(hostId);
    if (!latest) this.latest.set(hostId, (latest = new LatestReading()));
    latest.setHost(receivedAt, accepted.host);
    const samples: MetricSample[] | null = this.deps.feed.wanted ? [] : null;
    const hostMem = accepted.host.memTotal;
    let series = this.seriesOfHost.get(hostId);
    if (!series) this.seriesOfHost.set(hostId, (series = new Map()));
    this.record(series, hostId, "", receivedAt, hostValues(accepted.host, this.scratch), store);
    samples?.push({ hostId, containerId: null, t: receivedAt, cpuPercent: accepted.host.cpuPercent, memoryBytes: accepted.host.memUsed, memoryPercent: hostMem > 0 ? (accepted.host.memUsed / hostMem) * 100 : null });
    let n = 0;
    for (const c of accepted.containers) {
      const values = containerValues(c, hostMem, this.scratch);
      latest.setContainer(n++, this.record(series, hostId, c.id, receivedAt, values, store).containerId, c);
      const pct = values[MEMORY_PERCENT]!;
      samples?.push({ hostId, containerId: c.id, t: receivedAt, cpuPercent: c.cpuPercent, memoryBytes: c.memBytes, memoryPercent: Number.isNaN(pct) ? null : pct });
    }
    latest.truncate(n);
    if (samples) this.deps.feed.publish(samples);
    this.emit("tick", accepted);
    if (receivedAt - (this.lastSweep.get(hostId) ?? 0) > 60_000) this.sweep(hostId, receivedAt);
  }

  private record(ofHost: Map<string, Series>, hostId: string, containerId: string, t: number, values: MetricValues, store: boolean): Series {
    let series = ofHost.get(containerId);
    if (!series) {
      const ring = new MetricRing(RING_CAPACITY, containerId ? this.containerSlabs : this.hostSlabs);
      ofHost.set(containerId, (series = { containerId, ring, bucket: this.buckets.slot(seriesKey(hostId, containerId)) }));
    }
    series.ring.push(t, values);
    if (store) {
      const closed = this.buckets.addTo(series.bucket, t, values);
      if (closed) this.pending.push(toClosed(closed));
    }
    return series;
  }

  /** The host's newest reading (its totals, every container's headline numbers). */
  latestReading(hostId: string): LatestReading | null {
    return this.latest.get(hostId) ?? null;
  }

  /** Full-resolution readings of one metric of a series within the live window. */
  live(hostId: string, containerId: string | null, metric: MetricName, from: number, to: number): { t: number; v: number }[] {
    return this.seriesOfHost.get(hostId)?.get(containerId ?? "")?.ring.range(metricIndex(metric), from, to) ?? [];
  }

  /** Drops the rings of this host's containers that have not reported for the whole live window. */
  private sweep(hostId: string, now: number): void {
    this.lastSweep.set(hostId, now);
    const ofHost = this.seriesOfHost.get(hostId);
    for (const [containerId, series] of ofHost ?? []) {
      if ((series.ring.lastTime() ?? 0) < now - LIVE_WINDOW_MS) this.drop(ofHost!, containerId, series);
    }
  }

  /** Forgets the rings of containers that are gone (called with the ids still present on the host). */
  prune(hostId: string, keep: ReadonlySet<string>): void {
    const ofHost = this.seriesOfHost.get(hostId);
    for (const [containerId, series] of ofHost ?? []) {
      if (containerId && !keep.has(containerId)) this.drop(ofHost!, containerId, series);
    }
  }

  private drop(ofHost: Map<string, Series>, containerId: string, series: Series): void {
    ofHost.delete(containerId);
    series.ring.release();
  }

  /** Chunks held by live rings and slab bytes allocated (tests, benchmarks). */
  ringUsage(): { chunksInUse: number; bytes: number } {
    const [h, c] = [this.hostSlabs.usage(), this.containerSlabs.usage()];
    return { chunksInUse: h.chunksInUse + c.chunksInUse, bytes: h.bytes + c.bytes };
  }

  /**
   * Writes closed minute buckets (and those of series that went quiet). Serialised: one write at a
   * time, in chunks with a pause between (see FLUSH_CHUNK_ROWS).
   */
  flush(): Promise<void> {
    for (const b of this.buckets.closeStale(this.now())) this.pending.push(toClosed(b));
    const batch = this.pending;
    this.pending = [];
    if (!batch.length) return this.writing;
    this.writing = this.writing.then(() => this.writeInChunks(batch));
    return this.writing;
  }

  private async writeInChunks(batch: readonly ClosedBucket[]): Promise<void> {
    for (let i = 0; i < batch.length; i += FLUSH_CHUNK_ROWS) {
      if (i) await new Promise((r) => setTimeout(r, FLUSH_PAUSE_MS));
      const chunk = batch.slice(i, i + FLUSH_CHUNK_ROWS);
      try {
        await writeMinutes(this.deps.db, chunk);
      } catch (err) {
        this.deps.log.error({ err, rows: chunk.length }, "metrics rollup write failed");
      }
    }
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
