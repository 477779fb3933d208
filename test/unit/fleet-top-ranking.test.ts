import { describe, expect, it } from "vitest";
import type { ContainerSummary } from "../../agents/protocol";
import { fleetTop } from "../../server/domain/metrics/fleet-top";
import { LatestReading } from "../../server/domain/metrics/latest-reading";
import type { AcceptedTick, MetricsHub } from "../../server/domain/metrics/metrics-hub";
import type { HostRegistry } from "../../server/realtime/host-registry";
import type { Db } from "../../server/db/client";

// fleetTop keeps only the top k while scanning the fleet; the answer must equal a full stable sort of
// every container (the way it was computed before), ties included.
function fleet(hosts: number, perHost: number, seed: number) {
  let x = seed;
  const rnd = (n: number) => ((x = (x * 1103515245 + 12345) % 2 ** 31), x % n); // few distinct values: many ties
  const ticks = new Map<string, AcceptedTick>();
  const rows = Array.from({ length: hosts }, (_, h) => ({ id: `h${h}`, name: `host-${h}` }));
  for (const { id } of rows) {
    const containers: ContainerSummary[] = Array.from({ length: perHost }, (_, i) => ({
      id: `${id}c${i}`.padEnd(64, "0"), cpuPercent: rnd(7), memBytes: rnd(5) * 1000, memLimit: null, netRxBps: 0, netTxBps: 0, blkReadBps: 0, blkWriteBps: 0, pids: 1,
    }));
    ticks.set(id, { hostId: id, receivedAt: 1_000, t: 1_000, host: { cpuPercent: rnd(100), memUsed: 1, memTotal: 2, load: [0, 0, 0] }, containers } as unknown as AcceptedTick);
  }
  const deps = {
    db: { host: { findMany: async () => rows } } as unknown as Db,
    hub: { latestReading: (id: string) => readingOf(ticks.get(id)) } as unknown as MetricsHub,
    registry: { get: () => undefined } as unknown as HostRegistry,
  };
  return { deps, ticks, rows };
}

function readingOf(tick: AcceptedTick | undefined): LatestReading | null {
  if (!tick) return null;
  const reading = new LatestReading();
  reading.setHost(tick.receivedAt, tick.host);
  tick.containers.forEach((c, i) => reading.setContainer(i, c.id, c));
  return reading;
}

describe("[METRICS][FLEET-TOP] ranking", () => {
  it.each([
    [1, 3, 5, 1],
    [20, 20, 5, 2],
    [50, 10, 10, 3],
    [3, 2, 10, 4], // fewer containers than the limit
    [10, 10, 0, 5],
  ])("%i hosts × %i containers, top %i (seed %i) equals a full stable sort", async (hosts, perHost, limit, seed) => {
    const { deps, ticks, rows } = fleet(hosts, perHost, seed);
    const mayRead = (id: string) => id !== "h1";
    const got = await fleetTop(deps, { mayRead, limit, now: 2_000 });
    const all = rows.filter((r) => mayRead(r.id)).flatMap((r) => ticks.get(r.id)!.containers.map((c) => ({ hostId: r.id, c })));
    const ids = (xs: { hostId: string; c: ContainerSummary }[]) => xs.slice(0, limit).map((x) => x.c.id);
    expect(got.byCpu.map((c) => c.containerId)).toEqual(ids([...all].sort((a, b) => b.c.cpuPercent - a.c.cpuPercent)));
    expect(got.byMemory.map((c) => c.containerId)).toEqual(ids([...all].sort((a, b) => b.c.memBytes - a.c.memBytes)));
    expect(got.byCpu.every((c) => c.hostId !== "h1")).toBe(true);
    expect(got.hosts).toHaveLength(rows.filter((r) => mayRead(r.id)).length);
  });
});
