import { METRIC_COUNT, type MetricValues } from "./metric-names";

/**
 * min/avg/max of every metric over one bucket; NaN-valued metrics (not applicable) stay null.
 * `acc` holds, per metric, min, max, sum and the count of samples that carried it, side by side: one
 * array per bucket (every series opens one a minute: 40,000+ a minute at 2,000 hosts).
 */
export type BucketStats = { samples: number; acc: Float64Array };
const MIN = 0;
const MAX = 1;
const SUM = 2;
const SEEN = 3;
const STRIDE = 4;

export function emptyBucket(): BucketStats {
  const acc = new Float64Array(METRIC_COUNT * STRIDE);
  for (let i = 0; i < METRIC_COUNT; i++) {
    acc[i * STRIDE + MIN] = Infinity;
    acc[i * STRIDE + MAX] = -Infinity;
  }
  return { samples: 0, acc };
}

export function addSample(b: BucketStats, v: MetricValues): void {
  b.samples++;
  const acc = b.acc;
  for (let i = 0; i < METRIC_COUNT; i++) {
    const x = v[i]!;
    if (Number.isNaN(x)) continue;
    const at = i * STRIDE;
    if (x < acc[at + MIN]!) acc[at + MIN] = x;
    if (x > acc[at + MAX]!) acc[at + MAX] = x;
    acc[at + SUM]! += x;
    acc[at + SEEN]!++;
  }
}

/** Per metric [min, avg, max] or null when no sample carried it. */
export function bucketRow(b: BucketStats): ([number, number, number] | null)[] {
  const out: ([number, number, number] | null)[] = [];
  for (let i = 0; i < METRIC_COUNT; i++) {
    const at = i * STRIDE;
    const seen = b.acc[at + SEEN]!;
    out.push(seen ? [b.acc[at + MIN]!, b.acc[at + SUM]! / seen, b.acc[at + MAX]!] : null);
  }
  return out;
}

/** One series' open bucket. The hub keeps it beside the series' ring, so a sample needs no lookup. */
export type BucketSlot = { readonly series: string; open: { minute: number; stats: BucketStats } | null };
export type ClosedStats = { series: string; minute: number; stats: BucketStats };

/**
 * Minute buckets being filled, per series. A bucket is closed (handed to `flush`) once a sample of a
 * later minute arrives or the minute has been over for a grace period (a host that went quiet).
 */
export class MinuteBuckets {
  /** Slots with an open bucket (a closed slot leaves until its next sample). */
  private readonly filling = new Map<string, BucketSlot>();

  /** A slot for a series, to pass to `addTo` (the hub keeps one per series). */
  slot(series: string): BucketSlot {
    return this.filling.get(series) ?? { series, open: null };
  }

  /** Adds a sample; returns the bucket it closed, if any. */
  add(series: string, t: number, v: MetricValues): ClosedStats | null {
    return this.addTo(this.slot(series), t, v);
  }

  addTo(slot: BucketSlot, t: number, v: MetricValues): ClosedStats | null {
    const minute = Math.floor(t / 60_000);
    const cur = slot.open;
    if (cur && cur.minute === minute) {
      addSample(cur.stats, v); // the common case: no new object, no Map access
      return null;
    }
    if (cur && minute < cur.minute) return null; // a late sample of a closed minute: dropped
    const fresh = { minute, stats: emptyBucket() };
    addSample(fresh.stats, v);
    slot.open = fresh;
    if (!cur) this.filling.set(slot.series, slot);
    return cur ? { series: slot.series, minute: cur.minute, stats: cur.stats } : null;
  }

  /** Closes buckets whose minute ended before `now - graceMs`. */
  closeStale(now: number, graceMs = 15_000): ClosedStats[] {
    const out: ClosedStats[] = [];
    for (const [series, slot] of this.filling) {
      const b = slot.open!;
      if ((b.minute + 1) * 60_000 + graceMs > now) continue;
      out.push({ series, minute: b.minute, stats: b.stats });
      slot.open = null;
      this.filling.delete(series);
    }
    return out;
  }
}
