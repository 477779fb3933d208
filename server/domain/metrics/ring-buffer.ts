import { METRIC_COUNT, type MetricValues } from "./metric-names";
import { CHUNK_SLOTS, SampleSlabs } from "./sample-slabs";

/**
 * The last `capacity` readings of one series at full resolution, in chunks of shared typed-array
 * slabs (./sample-slabs: no allocation per sample, none per ring as it fills): times as Float64, the
 * first `width` metrics as Float32 (metrics past `width` are not applicable to the series — a
 * container has no swap — and read as NaN). A ring takes a chunk each CHUNK_SLOTS readings until it
 * holds `capacity`, then overwrites its oldest chunk, so a short-lived or new series costs little.
 * `release()` hands the chunks back; a ring must not be used after it.
 */
export class MetricRing {
  private readonly chunks: number[] = []; // chunk ids, by (position / CHUNK_SLOTS) % maxChunks
  private readonly maxChunks: number;
  private end = 0; // readings ever pushed: the next reading's position
  private count = 0;
  private readonly width: number;

  constructor(
    readonly capacity: number,
    private readonly slabs: SampleSlabs = new SampleSlabs(METRIC_COUNT),
  ) {
    this.width = slabs.width;
    this.maxChunks = Math.ceil(capacity / CHUNK_SLOTS); // a write overwrites the position `maxChunks × CHUNK_SLOTS` back, never a kept one
  }

  push(t: number, v: MetricValues): void {
    const slot = this.end % CHUNK_SLOTS;
    if (slot === 0 && this.chunks.length < this.maxChunks) this.chunks.push(this.slabs.take());
    const id = this.chunkOf(this.end);
    this.slabs.times(id)[this.slabs.timeIndex(id, slot)] = t;
    const values = this.slabs.values(id);
    const base = this.slabs.valueIndex(id, slot);
    for (let k = 0; k < this.width; k++) values[base + k] = v[k]!; // no subarray view per sample
    this.end++;
    if (this.count < this.capacity) this.count++;
  }

  /** Hands the chunks back to the slabs. */
  release(): void {
    for (const id of this.chunks) this.slabs.give(id);
    this.chunks.length = 0;
    this.end = this.count = 0;
  }

  get size(): number {
    return this.count;
  }

  /** The chunk id of a position (one of the last `count`); its slot is `position % CHUNK_SLOTS`. */
  private chunkOf(position: number): number {
    return this.chunks[Math.floor(position / CHUNK_SLOTS) % this.maxChunks]!;
  }

  /** The newest reading, or null. */
  last(): { t: number; values: MetricValues } | null {
    if (!this.count) return null;
    const id = this.chunkOf(this.end - 1);
    const slot = (this.end - 1) % CHUNK_SLOTS;
    const values = new Float64Array(METRIC_COUNT).fill(NaN);
    const base = this.slabs.valueIndex(id, slot);
    values.set(this.slabs.values(id).subarray(base, base + this.width));
    return { t: this.slabs.timeAt(id, slot), values };
  }

  /** The time of the newest reading, or null (without copying its values). */
  lastTime(): number | null {
    if (!this.count) return null;
    return this.slabs.timeAt(this.chunkOf(this.end - 1), (this.end - 1) % CHUNK_SLOTS);
  }

  /** Readings of one metric with from ≤ t ≤ to, oldest first (NaN values skipped). */
  range(metric: number, from: number, to: number): { t: number; v: number }[] {
    const out: { t: number; v: number }[] = [];
    if (metric >= this.width) return out;
    for (let p = this.end - this.count; p < this.end; p++) {
      const id = this.chunkOf(p);
      const slot = p % CHUNK_SLOTS;
      const t = this.slabs.timeAt(id, slot);
      if (t < from || t > to) continue;
      const v = this.slabs.values(id)[this.slabs.valueIndex(id, slot) + metric]!;
      if (!Number.isNaN(v)) out.push({ t, v });
    }
    return out;
  }
}
