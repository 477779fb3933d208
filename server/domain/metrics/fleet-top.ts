import type { Db } from "../../db/client";
import type { HostRegistry } from "../../realtime/host-registry";
import type { MetricsHub } from "./metrics-hub";

export type TopContainer = {
  hostId: string; hostName: string; containerId: string; name: string;
  cpuPercent: number; memBytes: number; memLimit: number | null; netRxBps: number; netTxBps: number;
};
export type HostLoad = { hostId: string; hostName: string; cpuPercent: number; memUsed: number; memTotal: number; load1: number; containers: number; t: number };

/** A reading older than this is not "now" any more (the host went quiet). */
const STALE_MS = 30_000;

/**
 * The fleet's top consumers right now, from each readable host's newest tick: the busiest containers
 * by CPU and by memory, and every host's totals.
 */
export async function fleetTop(
  deps: { db: Db; hub: MetricsHub; registry: HostRegistry },
  opts: { mayRead(hostId: string): boolean; limit: number; now: number },
): Promise<{ byCpu: TopContainer[]; byMemory: TopContainer[]; hosts: HostLoad[] }> {
  const names = new Map((await deps.db.host.findMany({ where: { revokedAt: null }, select: { id: true, name: true } })).map((h) => [h.id, h.name]));
  // Only the top `limit` of each ranking is kept while scanning (40,000 containers at 2,000 hosts):
  // no object per container, no sort of the whole fleet every few seconds per open fleet page.
  const byCpu = new TopK<TopContainer>(opts.limit);
  const byMemory = new TopK<TopContainer>(opts.limit);
  const hosts: HostLoad[] = [];
  for (const [hostId, hostName] of names) {
    if (!opts.mayRead(hostId)) continue;
    const reading = deps.hub.latestReading(hostId);
    if (!reading || opts.now - reading.receivedAt > STALE_MS) continue;
    hosts.push({ hostId, hostName, cpuPercent: reading.cpuPercent, memUsed: reading.memUsed, memTotal: reading.memTotal, load1: reading.load1, containers: reading.count, t: reading.receivedAt });
    const view = (i: number): TopContainer => {
      const c = reading.container(i);
      return { hostId, hostName, containerId: c.id, name: deps.registry.get(hostId)?.containers.get(c.id)?.name ?? c.id.slice(0, 12), cpuPercent: c.cpuPercent, memBytes: c.memBytes, memLimit: c.memLimit, netRxBps: c.netRxBps, netTxBps: c.netTxBps };
    };
    for (let i = 0; i < reading.count; i++) {
      byCpu.offer(reading.cpuPercentAt(i), view, i);
      byMemory.offer(reading.memBytesAt(i), view, i);
    }
  }
  return {
    byCpu: byCpu.items(),
    byMemory: byMemory.items(),
    hosts: hosts.sort((a, b) => b.cpuPercent - a.cpuPercent),
  };
}

/** The k largest by score, in descending order; ties keep the first offered (as a stable sort would). */
class TopK<T> {
  private readonly kept: { item: T; score: number }[] = [];
  constructor(private readonly k: number) {}

  /** `make(arg)` is called only for an item that enters the top k. */
  offer<A>(score: number, make: (arg: A) => T, arg: A): void {
    if (this.k <= 0) return;
    const kept = this.kept;
    if (kept.length === this.k && score <= kept[kept.length - 1]!.score) return;
    let i = kept.length;
    while (i > 0 && kept[i - 1]!.score < score) i--;
    kept.splice(i, 0, { item: make(arg), score });
    if (kept.length > this.k) kept.pop();
  }

  items(): T[] {
    return this.kept.map((e) => e.item);
  }
}
