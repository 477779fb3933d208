import { afterEach, describe, expect, it } from "vitest";
import type { ContainerSummary, MetricsTick } from "../../agents/protocol";
import { MetricFeed } from "../../server/domain/metrics/metric-feed";
import { LIVE_WINDOW_MS, MetricsHub } from "../../server/domain/metrics/metrics-hub";

// The hub keeps one ring per series; sweeps and prunes of one host must touch that host's series only
// (they used to scan every host's rings: quadratic in the fleet size, minutes of blocking at 2,000 hosts).
const id = (c: string) => c.repeat(64);
const summary = (c: string): ContainerSummary => ({ id: id(c), cpuPercent: 1, memBytes: 1, memLimit: null, netRxBps: 0, netTxBps: 0, blkReadBps: 0, blkWriteBps: 0, pids: 1 });
const host = { cpuPercent: 1, perCore: [1], load: [0, 0, 0] as [number, number, number], memTotal: 8, memUsed: 4, memAvailable: 4, swapTotal: 0, swapUsed: 0, netRxBps: 0, netTxBps: 0, interfaces: [], diskReadBps: 0, diskWriteBps: 0, disks: [], uptimeSeconds: 1 };
const tick = (t: number, containers: string[]): MetricsTick => ({ t, intervalMs: 1000, source: "cgroup-v1", sourceNote: null, host, containers: containers.map(summary), details: [] });

let now = 1_000_000;
let hub: MetricsHub;
const newHub = () => (hub = new MetricsHub({ db: {} as never, feed: new MetricFeed(), log: { error() {} } as never, now: () => now }));
const hasSeries = (hostId: string, c: string) => hub.live(hostId, id(c), "cpu", 0, Infinity).length > 0;

afterEach(() => hub?.stop());

describe("metrics hub series per host", () => {
  it("prune drops the gone containers of that host only", () => {
    newHub();
    hub.ingest("A", tick(now, ["a", "b"]));
    hub.ingest("B", tick(now, ["a", "c"]));
    hub.prune("A", new Set([id("a")]));
    expect([hasSeries("A", "a"), hasSeries("A", "b"), hasSeries("B", "a"), hasSeries("B", "c")]).toEqual([true, false, true, true]);
    expect(hub.live("A", null, "cpu", 0, Infinity)).toHaveLength(1); // the host's own series stays
  });

  it("a host's sweep drops its series quiet for the live window, and leaves other hosts' alone", () => {
    newHub();
    hub.ingest("A", tick(now, ["a", "b"]));
    hub.ingest("B", tick(now, ["c"]));
    now += LIVE_WINDOW_MS + 60_000;
    hub.ingest("A", tick(now, ["a"])); // over a minute since A's last sweep: A is swept now
    expect([hasSeries("A", "a"), hasSeries("A", "b"), hasSeries("B", "c")]).toEqual([true, false, true]);
    hub.ingest("B", tick(now, [])); // B's own sweep
    expect(hasSeries("B", "c")).toBe(false);
    hub.ingest("A", tick(now + 1000, ["b"])); // a container that comes back gets a fresh series
    expect(hasSeries("A", "b")).toBe(true);
  });

  it("hands a dropped series' chunks back for reuse (containers that come and go do not grow memory)", () => {
    newHub();
    hub.ingest("A", tick(now, ["a"]));
    const steady = hub.ringUsage();
    expect(steady.chunksInUse).toBe(2); // the host's ring and one container's
    for (let round = 0; round < 50; round++) {
      const c = String.fromCharCode(98 + (round % 20)); // b…u: a new container each round, the last one gone
      now += 1000;
      hub.ingest("A", tick(now, ["a", c]));
      hub.prune("A", new Set([id("a"), id(c)]));
    }
    hub.prune("A", new Set([id("a")]));
    expect(hub.ringUsage()).toEqual(steady);
  });

  it("builds alert samples only while a listener wants them", () => {
    const feed = new MetricFeed();
    hub = new MetricsHub({ db: {} as never, feed, log: { error() {} } as never, now: () => now });
    let wanted = false;
    const got: number[] = [];
    feed.onSamples((samples) => got.push(samples.length), () => wanted);
    hub.ingest("A", tick(now, ["a", "b"]));
    expect(got).toEqual([]);
    wanted = true;
    hub.ingest("A", tick(now + 1000, ["a", "b"]));
    expect(got).toEqual([3]); // the host and its two containers
    expect(hub.live("A", id("a"), "cpu", 0, Infinity)).toHaveLength(2); // the rings take every tick either way
  });
});

describe("metrics hub latest reading", () => {
  it("is the newest tick's numbers, rewritten in place, without the containers the newest tick lacks", () => {
    newHub();
    const withLimit = (c: string, cpu: number, memLimit: number | null): ContainerSummary => ({ ...summary(c), cpuPercent: cpu, memBytes: cpu * 10, memLimit, netRxBps: cpu, netTxBps: 2 * cpu });
    hub.ingest("A", { ...tick(now, []), containers: [withLimit("a", 1, 100), withLimit("b", 2, null), withLimit("c", 3, 300)] });
    const first = hub.latestReading("A")!;
    expect(first.count).toBe(3);
    expect(first.container(1)).toEqual({ id: id("b"), cpuPercent: 2, memBytes: 20, memLimit: null, netRxBps: 2, netTxBps: 4 });
    now += 1000;
    hub.ingest("A", { ...tick(now, []), host: { ...host, cpuPercent: 55, load: [1.5, 0, 0] }, containers: [withLimit("c", 7, 300)] });
    const second = hub.latestReading("A")!;
    expect(second).toBe(first); // one object per host, not one per tick
    expect([second.count, second.receivedAt, second.cpuPercent, second.load1]).toEqual([1, now, 55, 1.5]);
    expect(second.container(0)).toEqual({ id: id("c"), cpuPercent: 7, memBytes: 70, memLimit: 300, netRxBps: 7, netTxBps: 14 });
    expect(hub.latestReading("B")).toBeNull();
  });
});
