import { METRIC_COUNT, type MetricValues } from "./metric-names";

const FIRST_ALLOCATION = 32; // a ring starts small and doubles up to its capacity as readings arrive

/**
 * The last readings of one series at full resolution, in typed arrays (no allocation per sample):
 * times in one Float64Array, the first `width` metrics side by side in a Float32Array (metrics past
 * `width` are not applicable to the series — a container has no swap — and read as NaN). The arrays
 * grow by doubling until `capacity`, so a short-lived or new series costs little memory.
 */
export class MetricRing {
  private times: Float64Array;
  private values: Float32Array; // 7 significant digits is plenty for a chart, at half the memory
  private head = 0; // next slot to write
  private count = 0;

  constructor(
    readonly capacity: number,
    private readonly width: number = METRIC_COUNT,
  ) {
    const slots = Math.min(capacity, FIRST_ALLOCATION);
    this.times = new Float64Array(slots);
    this.values = new Float32Array(slots * width);
  }

  push(t: number, v: MetricValues): void {
    if (this.count === this.times.length && this.count < this.capacity) this.grow();
    const slots = this.times.length;
    this.times[this.head] = t;
    const base = this.head * this.width;
    for (let k = 0; k < this.width; k++) this.values[base + k] = v[k]!; // no subarray view per sample
    this.head = (this.head + 1) % slots;
    if (this.count < slots) this.count++;
  }

  /** Doubles the arrays (up to capacity), unrolling the ring so the oldest reading is at slot 0. */
  private grow(): void {
    const slots = this.times.length;
    const next = Math.min(this.capacity, slots * 2);
    const times = new Float64Array(next);
    const values = new Float32Array(next * this.width);
    for (let k = 0; k < this.count; k++) {
      const i = (this.head - this.count + k + slots) % slots;
      times[k] = this.times[i]!;
      values.set(this.values.subarray(i * this.width, (i + 1) * this.width), k * this.width);
    }
    this.times = times;
    this.values = values;
    this.head = this.count % next;
  }

  get size(): number {
    return this.count;
  }

  /** The newest reading, or null. */
  last(): { t: number; values: MetricValues } | null {
    if (!this.count) return null;
    const slots = this.times.length;
    const i = (this.head - 1 + slots) % slots;
    const values = new Float64Array(METRIC_COUNT).fill(NaN);
    values.set(this.values.subarray(i * this.width, (i + 1) * this.width));
    return { t: this.times[i]!, values };
  }

  /** The time of the newest reading, or null (without copying its values). */
  lastTime(): number | null {
    return this.count ? this.times[(this.head - 1 + this.times.length) % this.times.length]! : null;
  }

  /** Readings of one metric with from ≤ t ≤ to, oldest first (NaN values skipped). */
  range(metric: number, from: number, to: number): { t: number; v: number }[] {
    const out: { t: number; v: number }[] = [];
    if (metric >= this.width) return out;
    const slots = this.times.length;
    const start = (this.head - this.count + slots) % slots;
    for (let k = 0; k < this.count; k++) {
      const i = (start + k) % slots;
      const t = this.times[i]!;
      if (t < from || t > to) continue;
      const v = this.values[i * this.width + metric]!;
      if (!Number.isNaN(v)) out.push({ t, v });
    }
    return out;
  }
}
