import { describe, expect, it } from "vitest";
import { METRIC_COUNT, metricIndex } from "../../server/domain/metrics/metric-names";
import { MetricRing } from "../../server/domain/metrics/ring-buffer";

// Rings start small and double up to their capacity (memory at 2,000 hosts × 20 containers); the
// readings must come out the same as from a ring allocated in full: in order, the oldest overwritten.
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

  it("grows across a wrapped head (overwrites mid-growth keep the order)", () => {
    const ring = new MetricRing(64);
    for (let i = 1; i <= 40; i++) ring.push(i, values(i)); // 32 slots first, then 64
    for (let i = 41; i <= 100; i++) ring.push(i, values(i));
    expect(cpu(ring)).toEqual(Array.from({ length: 64 }, (_, k) => 37 + k));
  });

  it("a narrow ring (a container's) stores only its metrics; the rest read as not applicable", () => {
    const ring = new MetricRing(10, metricIndex("pids") + 1);
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
