import type { NetCounters } from "./counters";

export type InterfaceCounters = NetCounters & { name: string };

/**
 * /proc/<pid>/net/dev: the interfaces of that process's network namespace. Columns after "name:" are
 * rx bytes packets errs drop fifo frame compressed multicast, then tx bytes packets errs drop ….
 */
export function parseNetDev(text: string): InterfaceCounters[] {
  const out: InterfaceCounters[] = [];
  for (const line of text.split("\n")) {
    const colon = line.indexOf(":");
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim();
    const f = line.slice(colon + 1).trim().split(/\s+/).map(Number);
    if (!name || f.length < 16 || f.some((x) => !Number.isFinite(x))) continue;
    out.push({ name, rxBytes: f[0]!, rxPackets: f[1]!, txBytes: f[8]!, txPackets: f[9]!, errors: f[2]! + f[10]!, drops: f[3]! + f[11]! });
  }
  return out;
}

/** Sum over the interfaces that carry traffic in or out of the namespace (loopback excluded). */
export function sumInterfaces(ifaces: readonly InterfaceCounters[], include: (name: string) => boolean = (n) => n !== "lo"): NetCounters {
  const sum: NetCounters = { rxBytes: 0, txBytes: 0, rxPackets: 0, txPackets: 0, errors: 0, drops: 0 };
  for (const i of ifaces) {
    if (!include(i.name)) continue;
    sum.rxBytes += i.rxBytes;
    sum.txBytes += i.txBytes;
    sum.rxPackets += i.rxPackets;
    sum.txPackets += i.txPackets;
    sum.errors += i.errors;
    sum.drops += i.drops;
  }
  return sum;
}

/** A host's own traffic: physical and tunnel interfaces, not loopback nor the container plumbing (counted twice). */
export function isHostUplink(name: string): boolean {
  return name !== "lo" && !/^(veth|docker\d|br-|cni|flannel|cali|virbr)/.test(name);
}
