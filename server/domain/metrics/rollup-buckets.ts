import { METRIC_COUNT, type MetricValues } from "./metric-names";

/** min/avg/max of every metric over one bucket; NaN-valued metrics (not applicable) stay null. */
export type BucketStats = { samples: number; min: Float64Array; max: Float64Array; sum: Float64Array; seen: Uint32Array };

export function emptyBucket(): BucketStats {
  return {
    samples: 0,
    min: new Float64Array(METRIC_COUNT).fill(Infinity),
    max: new Float64Array(METRIC_COUNT).fill(-Infinity),
    sum: new Float64Array(METRIC_COUNT),
    seen: new Uint32Array(METRIC_COUNT),
  };
}

export function addSample(b: BucketStats, v: MetricValues): void {
  b.samples++;
  for (let i = 0; i < METRIC_COUNT; i++) {
    const x = v[i]!;
    if (Number.isNaN(x)) continue;
    if (x < b.min[i]!) b.min[i] = x;
    if (x > b.max[i]!) b.max[i] = x;
    b.sum[i]! += x;
    b.seen[i]!++;
  }
}

/** Per metric [min, avg, max] or null when no sample carried it. */
export function bucketRow(b: BucketStats): ([number, number, number] | null)[] {
  const out: ([number, number, number] | null)[] = [];
  for (let i = 0; i < METRIC_COUNT; i++) out.push(b.seen[i] ? [b.min[i]!, b.sum[i]! / b.seen[i]!, b.max[i]!] : null);
  return out;
}

/**
 * Minute buckets being filled, per series. A bucket is closed (handed to `flush`) once a sample of a
 * later minute arrives or the minute has been over for a grace period (a host that went quiet).
 */
export class MinuteBuckets {
  private readonly open = new Map<string, { minute: number; stats: BucketStats }>();

  /** Adds a sample; returns the bucket it closed, if any. */
  add(series: string, t: number, v: MetricValues): { series: string; minute: number; stats: BucketStats } | null {
    const minute = Math.floor(t / 60_000);
    const cur = this.open.get(series);
    let closed: { series: string; minute: number; stats: BucketStats } | null = null;
    if (cur && cur.minute !== minute) {
      if (minute < cur.minute) return null; // a late sample of a closed minute: dropped
      closed = { series, minute: cur.minute, stats: cur.stats };
    }
    const target = cur && cur.minute === minute ? cur : { minute, stats: emptyBucket() };
    addSample(target.stats, v);
    this.open.set(series, target);
    return closed;
  }

  /** Closes buckets whose minute ended before `now - graceMs`. */
  closeStale(now: number, graceMs = 15_000): { series: string; minute: number; stats: BucketStats }[] {
    const out: { series: string; minute: number; stats: BucketStats }[] = [];
    for (const [series, b] of this.open) {
      if ((b.minute + 1) * 60_000 + graceMs > now) continue;
      out.push({ series, minute: b.minute, stats: b.stats });
      this.open.delete(series);
    }
    return out;
  }
}
