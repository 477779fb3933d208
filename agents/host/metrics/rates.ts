import type { ContainerDetail, ContainerSummary, HostMetrics, InterfaceRates, MetricsSource } from "../../protocol";
import type { ContainerCounters } from "./counters";
import type { HostCounters } from "./host-counters";
import { isHostUplink, sumInterfaces } from "./net-dev";

/** Per-second rate of a counter; a counter that went backwards (reset, new process) counts as 0. */
export function perSecond(prev: number, cur: number, seconds: number): number {
  return seconds > 0 && cur >= prev ? (cur - prev) / seconds : 0;
}

const delta = (prev: number, cur: number) => (cur >= prev ? cur - prev : 0);
const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * One container's rates over the window between two readings. CPU % of the host is CPU time used
 * over wall time times the host's cores (all cores = 100); % of its limit divides by the limit's cores.
 */
export function containerSummary(id: string, prev: ContainerCounters, cur: ContainerCounters, seconds: number, cpus: number): ContainerSummary {
  const cpuSeconds = delta(prev.cpuUsageNs, cur.cpuUsageNs) / 1e9;
  return {
    id,
    cpuPercent: seconds > 0 && cpus > 0 ? round((cpuSeconds / seconds / cpus) * 100, 3) : 0,
    memBytes: cur.memWorkingSet,
    memLimit: cur.memLimit,
    netRxBps: round(perSecond(prev.net.rxBytes, cur.net.rxBytes, seconds)),
    netTxBps: round(perSecond(prev.net.txBytes, cur.net.txBytes, seconds)),
    blkReadBps: round(perSecond(prev.blkReadBytes, cur.blkReadBytes, seconds)),
    blkWriteBps: round(perSecond(prev.blkWriteBytes, cur.blkWriteBytes, seconds)),
    pids: cur.pids,
  };
}

export function containerDetail(summary: ContainerSummary, prev: ContainerCounters, cur: ContainerCounters, seconds: number, source: MetricsSource): ContainerDetail {
  const cpuSeconds = delta(prev.cpuUsageNs, cur.cpuUsageNs) / 1e9;
  return {
    ...summary,
    cpuOfLimitPercent: cur.cpuLimitCores && seconds > 0 ? round((cpuSeconds / seconds / cur.cpuLimitCores) * 100, 3) : null,
    cpuLimitCores: cur.cpuLimitCores,
    // Throttling counters start being read when a container is first watched: no window before that.
    cpuPeriods: prev.detailed ? delta(prev.cpuPeriods, cur.cpuPeriods) : 0,
    cpuThrottledPeriods: prev.detailed ? delta(prev.cpuThrottledPeriods, cur.cpuThrottledPeriods) : 0,
    cpuThrottledSeconds: prev.detailed ? round(delta(prev.cpuThrottledNs, cur.cpuThrottledNs) / 1e9, 6) : 0,
    memWorkingSet: cur.memWorkingSet,
    memRss: cur.memRss,
    memCache: cur.memCache,
    oomKills: cur.oomKills,
    pidsLimit: cur.pidsLimit,
    netRxPps: round(perSecond(prev.net.rxPackets, cur.net.rxPackets, seconds)),
    netTxPps: round(perSecond(prev.net.txPackets, cur.net.txPackets, seconds)),
    netErrors: round(perSecond(prev.net.errors, cur.net.errors, seconds)),
    netDrops: round(perSecond(prev.net.drops, cur.net.drops, seconds)),
    source,
  };
}

const busyPercent = (p: { busy: number; total: number }, c: { busy: number; total: number }) => {
  const total = c.total - p.total;
  return total > 0 ? round(Math.min(100, Math.max(0, ((c.busy - p.busy) / total) * 100))) : 0;
};

/** Host rates between two readings; disks (usage per mount) are read less often and passed in. */
export function hostMetrics(prev: HostCounters, cur: HostCounters, seconds: number, disks: HostMetrics["disks"]): HostMetrics {
  const prevIfaces = new Map(prev.interfaces.map((i) => [i.name, i]));
  const interfaces: InterfaceRates[] = [];
  for (const i of cur.interfaces) {
    const p = prevIfaces.get(i.name);
    if (!p || i.name === "lo" || i.name.startsWith("veth")) continue; // one veth per container: listed with its container
    interfaces.push({
      name: i.name,
      rxBps: round(perSecond(p.rxBytes, i.rxBytes, seconds)),
      txBps: round(perSecond(p.txBytes, i.txBytes, seconds)),
      rxPps: round(perSecond(p.rxPackets, i.rxPackets, seconds)),
      txPps: round(perSecond(p.txPackets, i.txPackets, seconds)),
      errors: round(perSecond(p.errors, i.errors, seconds)),
      drops: round(perSecond(p.drops, i.drops, seconds)),
    });
  }
  const pNet = sumInterfaces(prev.interfaces, isHostUplink);
  const cNet = sumInterfaces(cur.interfaces, isHostUplink);
  return {
    cpuPercent: busyPercent(prev.cpu.total, cur.cpu.total),
    perCore: cur.cpu.cores.map((c, i) => (prev.cpu.cores[i] ? busyPercent(prev.cpu.cores[i]!, c) : 0)),
    load: cur.load,
    memTotal: cur.mem.memTotal,
    memUsed: cur.mem.memUsed,
    memAvailable: cur.mem.memAvailable,
    swapTotal: cur.mem.swapTotal,
    swapUsed: cur.mem.swapUsed,
    netRxBps: round(perSecond(pNet.rxBytes, cNet.rxBytes, seconds)),
    netTxBps: round(perSecond(pNet.txBytes, cNet.txBytes, seconds)),
    interfaces: interfaces.slice(0, 256),
    diskReadBps: round(perSecond(prev.disk.readBytes, cur.disk.readBytes, seconds)),
    diskWriteBps: round(perSecond(prev.disk.writeBytes, cur.disk.writeBytes, seconds)),
    disks,
    uptimeSeconds: cur.uptimeSeconds,
  };
}
