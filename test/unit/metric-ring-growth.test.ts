import { describe, expect, it } from "vitest";
import { METRIC_COUNT, metricIndex } from "../../server/domain/metrics/metric-names";
import { MetricRing } from "../../server/domain/metrics/ring-buffer";
import { CHUNK_SLOTS, SampleSlabs } from "../../server/domain/metrics/sample-slabs";

// Rings take a chunk of shared slabs at a time up to their capacity (memory at 2,000 hosts × 20
// containers); the readings must come out the same as from a ring allocated in full: in order, the
// oldest overwritten.
const values = (cpu: number, swap = NaN) => {
  const v = new Float64Array(METRIC_COUNT).fill(NaN);
  v[metricIndex("cpu")] = cpu;
  v[metricIndex("swap")] = swap;
  return v;
};
const cpu = (ring: MetricRing) => ring.range(metricIndex("cpu"), 0, Infinity).map((p) => p.v);

describe("[METRICS][RING] growth", () => {
  it.each([
    [100, 50],
    [100, 100],
    [100, 333],
    [960, 2000],
    [33, 70],
  ])("capacity %i after %i readings keeps the newest in order", (capacity, n) => {
    const ring = new MetricRing(capacity);
    for (let i = 1; i <= n; i++) ring.push(i * 1000, values(i));
    const first = Math.max(1, n - capacity + 1);
    expect(ring.size).toBe(Math.min(n, capacity));
    expect(cpu(ring)).toEqual(Array.from({ length: n - first + 1 }, (_, k) => first + k));
    expect(ring.last()!.t).toBe(n * 1000);
    expect(ring.lastTime()).toBe(n * 1000);
  });

  it("a full ring overwrites its oldest chunk slot by slot (kept readings stay in order)", () => {
    const ring = new MetricRing(2 * CHUNK_SLOTS);
    const n = 2 * CHUNK_SLOTS + 5;
    for (let i = 1; i <= n; i++) ring.push(i, values(i));
    expect(cpu(ring)).toEqual(Array.from({ length: 2 * CHUNK_SLOTS }, (_, k) => 6 + k));
  });

  it("rings sharing slabs keep their readings apart, and take chunks only as they fill", () => {
    const slabs = new SampleSlabs(METRIC_COUNT);
    const a = new MetricRing(960, slabs);
    const b = new MetricRing(960, slabs);
    for (let i = 1; i <= 200; i++) {
      a.push(i, values(i));
      if (i % 2) b.push(i, values(-i));
    }
    expect(cpu(a)).toEqual(Array.from({ length: 200 }, (_, k) => k + 1));
    expect(cpu(b)).toEqual(Array.from({ length: 100 }, (_, k) => -(2 * k + 1)));
    expect(slabs.usage().chunksInUse).toBe(Math.ceil(200 / CHUNK_SLOTS) + Math.ceil(100 / CHUNK_SLOTS));
  });

  it("a released ring's chunks are reused by the next ring, with none of its readings", () => {
    const slabs = new SampleSlabs(METRIC_COUNT);
    const old = new MetricRing(960, slabs);
    for (let i = 1; i <= 300; i++) old.push(i, values(i));
    const { bytes } = slabs.usage();
    old.release();
    expect(slabs.usage().chunksInUse).toBe(0);
    const fresh = new MetricRing(960, slabs);
    for (let i = 1; i <= 3; i++) fresh.push(1000 + i, values(1000 + i));
    expect(cpu(fresh)).toEqual([1001, 1002, 1003]);
    expect(fresh.size).toBe(3);
    expect(slabs.usage()).toEqual({ chunksInUse: 1, bytes });
  });

  it("a narrow ring (a container's) stores only its metrics; the rest read as not applicable", () => {
    const ring = new MetricRing(10, new SampleSlabs(metricIndex("pids") + 1));
    ring.push(1000, values(5, 123));
    expect(cpu(ring)).toEqual([5]);
    expect(ring.range(metricIndex("swap"), 0, Infinity)).toEqual([]);
    expect(Number.isNaN(ring.last()!.values[metricIndex("swap")]!)).toBe(true);
    expect(ring.last()!.values[metricIndex("cpu")]).toBe(5);
  });

  it("an empty ring has no last reading", () => {
    const ring = new MetricRing(8);
    expect(ring.last()).toBeNull();
    expect(ring.lastTime()).toBeNull();
    expect(cpu(ring)).toEqual([]);
  });
});
