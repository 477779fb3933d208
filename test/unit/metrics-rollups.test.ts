import { describe, expect, it } from "vitest";
import { METRIC_COUNT, METRIC_NAMES, containerValues, metricIndex } from "../../server/domain/metrics/metric-names";
import { tierFor } from "../../server/domain/metrics/query-metrics";
import { MetricRing } from "../../server/domain/metrics/ring-buffer";
import { MinuteBuckets, bucketRow } from "../../server/domain/metrics/rollup-buckets";

const values = (cpu: number, mem = 0) => {
  const v = new Float64Array(METRIC_COUNT).fill(NaN);
  v[metricIndex("cpu")] = cpu;
  v[metricIndex("memory")] = mem;
  return v;
};
const MIN = 60_000;

describe("[METRICS][RING] live ring at full resolution", () => {
  it("keeps the newest readings in order and overwrites the oldest", () => {
    const ring = new MetricRing(4);
    for (let i = 1; i <= 6; i++) ring.push(i * 1000, values(i));
    expect(ring.size).toBe(4);
    expect(ring.range(metricIndex("cpu"), 0, Infinity)).toEqual([3, 4, 5, 6].map((i) => ({ t: i * 1000, v: i })));
    expect(ring.range(metricIndex("cpu"), 4000, 5000).map((p) => p.v)).toEqual([4, 5]);
    expect(ring.range(metricIndex("swap"), 0, Infinity)).toEqual([]); // not applicable: NaN skipped
    expect(ring.last()!.t).toBe(6000);
  });
});

describe("[METRICS][ROLLUP] minute buckets", () => {
  it("min/avg/max per metric; a bucket closes when the next minute starts", () => {
    const b = new MinuteBuckets();
    expect(b.add("h|", 0, values(10, 100))).toBeNull();
    expect(b.add("h|", 20_000, values(30, 300))).toBeNull();
    expect(b.add("h|", 40_000, values(20, 200))).toBeNull();
    const closed = b.add("h|", MIN + 1, values(99))!;
    expect(closed.minute).toBe(0);
    expect(closed.stats.samples).toBe(3);
    const row = bucketRow(closed.stats);
    expect(row[metricIndex("cpu")]).toEqual([10, 20, 30]);
    expect(row[metricIndex("memory")]).toEqual([100, 200, 300]);
    expect(row[metricIndex("swap")]).toBeNull();
  });

  it("drops late samples of a closed minute and closes quiet series after a grace period", () => {
    const b = new MinuteBuckets();
    b.add("h|c", MIN * 5, values(1));
    expect(b.add("h|c", MIN * 4, values(2))).toBeNull();
    expect(b.closeStale(MIN * 6 + 1_000)).toEqual([]); // within the grace period
    const stale = b.closeStale(MIN * 6 + 20_000);
    expect(stale.map((s) => [s.series, s.minute, s.stats.samples])).toEqual([["h|c", 5, 1]]);
  });
});

describe("[METRICS][TIERS] the tier is picked by the range", () => {
  it.each([
    [5 * MIN, "raw"],
    [15 * MIN, "raw"],
    [15 * MIN + 1, "1m"],
    [48 * 60 * MIN, "1m"],
    [48 * 60 * MIN + 1, "1h"],
    [90 * 24 * 60 * MIN, "1h"],
  ])("%d ms → %s", (span, tier) => expect(tierFor(1_000_000, 1_000_000 + span)).toBe(tier));
});

describe("[METRICS][NAMES] compact stored set", () => {
  it("memory % is of the limit, or of host RAM when unlimited", () => {
    const base = { id: "a".repeat(64), cpuPercent: 1, memBytes: 50, netRxBps: 0, netTxBps: 0, blkReadBps: 0, blkWriteBps: 0, pids: 1 };
    expect(containerValues({ ...base, memLimit: 200 }, 1000)[metricIndex("memoryPercent")]).toBe(25);
    expect(containerValues({ ...base, memLimit: null }, 1000)[metricIndex("memoryPercent")]).toBe(5);
    expect(METRIC_NAMES.length).toBe(METRIC_COUNT);
  });
});
