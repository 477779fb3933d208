/** Cumulative kernel counters of one container at one instant; rates come from two of these. */
export type ContainerCounters = {
  cpuUsageNs: number;
  /** Throttling and OOM counters are read only for containers sent in full (false: left at 0). */
  detailed: boolean;
  cpuPeriods: number;
  cpuThrottledPeriods: number;
  cpuThrottledNs: number;
  /** quota / period in cores; null when unlimited. */
  cpuLimitCores: number | null;
  memUsage: number;
  /** usage minus inactive file pages (what the kernel would not easily reclaim; what `docker stats` shows). */
  memWorkingSet: number;
  memRss: number;
  memCache: number;
  memLimit: number | null;
  oomKills: number;
  pids: number;
  pidsLimit: number | null;
  blkReadBytes: number;
  blkWriteBytes: number;
  net: NetCounters;
};

export type NetCounters = { rxBytes: number; txBytes: number; rxPackets: number; txPackets: number; errors: number; drops: number };

export const ZERO_NET: NetCounters = { rxBytes: 0, txBytes: 0, rxPackets: 0, txPackets: 0, errors: 0, drops: 0 };

/** "key value" lines (memory.stat, cpu.stat, memory.events) as a map. */
export function keyValues(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    const sp = line.indexOf(" ");
    if (sp <= 0) continue;
    const v = Number(line.slice(sp + 1));
    if (Number.isFinite(v)) out.set(line.slice(0, sp), v);
  }
  return out;
}

/**
 * One value of a "key value" file without parsing the rest (memory.stat has ~40 lines and is read
 * for every container every second: looking up the 3 keys needed is several times cheaper).
 */
export function statValue(text: string, key: string): number | null {
  let at = text.startsWith(key + " ") ? 0 : text.indexOf(`\n${key} `);
  if (at < 0) return null;
  if (at > 0) at += 1;
  const start = at + key.length + 1;
  const end = text.indexOf("\n", start);
  const v = Number(text.slice(start, end < 0 ? undefined : end));
  return Number.isFinite(v) ? v : null;
}

/** A single integer file; "max" (v2) and absurdly large v1 values mean no limit (null). */
export function limitValue(text: string | null): number | null {
  if (text === null) return null;
  const t = text.trim();
  if (!/^\d+$/.test(t)) return null;
  const v = Number(t);
  return v >= 2 ** 60 ? null : v; // v1 "unlimited" is PAGE_COUNTER_MAX pages (~2^63)
}

export function intValue(text: string | null): number | null {
  if (text === null) return null;
  const v = Number(text.trim());
  return Number.isFinite(v) ? v : null;
}
