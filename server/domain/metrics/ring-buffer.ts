import { METRIC_COUNT, type MetricValues } from "./metric-names";

/**
 * The last readings of one series at full resolution, in fixed arrays (no allocation per sample):
 * times in one Float64Array, every metric side by side in another.
 */
export class MetricRing {
  private readonly times: Float64Array;
  private readonly values: Float32Array; // 7 significant digits is plenty for a chart, at half the memory
  private head = 0; // next slot to write
  private count = 0;

  constructor(readonly capacity: number) {
    this.times = new Float64Array(capacity);
    this.values = new Float32Array(capacity * METRIC_COUNT);
  }

  push(t: number, v: MetricValues): void {
    this.times[this.head] = t;
    this.values.set(v.subarray(0, METRIC_COUNT), this.head * METRIC_COUNT);
    this.head = (this.head + 1) % this.capacity;
    if (this.count < this.capacity) this.count++;
  }

  get size(): number {
    return this.count;
  }

  /** The newest reading, or null. */
  last(): { t: number; values: MetricValues } | null {
    if (!this.count) return null;
    const i = (this.head - 1 + this.capacity) % this.capacity;
    return { t: this.times[i]!, values: Float64Array.from(this.values.subarray(i * METRIC_COUNT, (i + 1) * METRIC_COUNT)) };
  }

  /** Readings of one metric with from ≤ t ≤ to, oldest first (NaN values skipped). */
  range(metric: number, from: number, to: number): { t: number; v: number }[] {
    const out: { t: number; v: number }[] = [];
    const start = (this.head - this.count + this.capacity) % this.capacity;
    for (let k = 0; k < this.count; k++) {
      const i = (start + k) % this.capacity;
      const t = this.times[i]!;
      if (t < from || t > to) continue;
      const v = this.values[i * METRIC_COUNT + metric]!;
      if (!Number.isNaN(v)) out.push({ t, v });
    }
    return out;
  }
}
