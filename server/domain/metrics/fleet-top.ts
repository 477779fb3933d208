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
  const all: TopContainer[] = [];
  const hosts: HostLoad[] = [];
  for (const [hostId, hostName] of names) {
    if (!opts.mayRead(hostId)) continue;
    const tick = deps.hub.latestTick(hostId);
    if (!tick || opts.now - tick.receivedAt > STALE_MS) continue;
    const live = deps.registry.get(hostId);
    hosts.push({ hostId, hostName, cpuPercent: tick.host.cpuPercent, memUsed: tick.host.memUsed, memTotal: tick.host.memTotal, load1: tick.host.load[0], containers: tick.containers.length, t: tick.receivedAt });
    for (const c of tick.containers) {
      all.push({
        hostId, hostName, containerId: c.id, name: live?.containers.get(c.id)?.name ?? c.id.slice(0, 12),
        cpuPercent: c.cpuPercent, memBytes: c.memBytes, memLimit: c.memLimit, netRxBps: c.netRxBps, netTxBps: c.netTxBps,
      });
    }
  }
  return {
    byCpu: [...all].sort((a, b) => b.cpuPercent - a.cpuPercent).slice(0, opts.limit),
    byMemory: [...all].sort((a, b) => b.memBytes - a.memBytes).slice(0, opts.limit),
    hosts: hosts.sort((a, b) => b.cpuPercent - a.cpuPercent),
  };
}
