import type { ContainerSummary } from "../../../agents/protocol";
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
  const byCpu = new TopK<Candidate>(opts.limit, (c) => c.summary.cpuPercent);
  const byMemory = new TopK<Candidate>(opts.limit, (c) => c.summary.memBytes);
  const hosts: HostLoad[] = [];
  for (const [hostId, hostName] of names) {
    if (!opts.mayRead(hostId)) continue;
    const tick = deps.hub.latestTick(hostId);
    if (!tick || opts.now - tick.receivedAt > STALE_MS) continue;
    hosts.push({ hostId, hostName, cpuPercent: tick.host.cpuPercent, memUsed: tick.host.memUsed, memTotal: tick.host.memTotal, load1: tick.host.load[0], containers: tick.containers.length, t: tick.receivedAt });
    for (const summary of tick.containers) {
      byCpu.offer({ hostId, hostName, summary });
      byMemory.offer({ hostId, hostName, summary });
    }
  }
  const view = ({ hostId, hostName, summary: c }: Candidate): TopContainer => ({
    hostId, hostName, containerId: c.id, name: deps.registry.get(hostId)?.containers.get(c.id)?.name ?? c.id.slice(0, 12),
    cpuPercent: c.cpuPercent, memBytes: c.memBytes, memLimit: c.memLimit, netRxBps: c.netRxBps, netTxBps: c.netTxBps,
  });
  return {
    byCpu: byCpu.items().map(view),
    byMemory: byMemory.items().map(view),
    hosts: hosts.sort((a, b) => b.cpuPercent - a.cpuPercent),
  };
}

type Candidate = { hostId: string; hostName: string; summary: ContainerSummary };

/** The k largest by score, in descending order; ties keep the first offered (as a stable sort would). */
class TopK<T> {
  private readonly kept: { item: T; score: number }[] = [];
  constructor(
    private readonly k: number,
    private readonly score: (item: T) => number,
  ) {}

  offer(item: T): void {
    if (this.k <= 0) return;
    const score = this.score(item);
    const kept = this.kept;
    if (kept.length === this.k && score <= kept[kept.length - 1]!.score) return;
    let i = kept.length;
    while (i > 0 && kept[i - 1]!.score < score) i--;
    kept.splice(i, 0, { item, score });
    if (kept.length > this.k) kept.pop();
  }

  items(): T[] {
    return this.kept.map((e) => e.item);
  }
}
