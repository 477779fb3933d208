import type { CgroupLocation } from "./cgroup-paths";
import { intValue, limitValue, statValue, ZERO_NET, type ContainerCounters } from "./counters";

/** Reads a file's text (kept open by the caller); null when missing. */
export type ReadFile = (path: string) => string | null;

/** Limits change rarely: the caller passes the last ones and asks for fresh ones every few ticks. */
export type CgroupLimits = Pick<ContainerCounters, "cpuLimitCores" | "memLimit" | "pidsLimit">;

/**
 * The files of one container's cgroup, paths built once (the same string objects every tick, so
 * looking up their open descriptors does not re-hash a new string each time).
 */
export type CgroupFiles =
  | { version: "1"; usage: string; memUsage: string; memStat: string; oom: string; cpuStat: string | null; blk: string | null; pids: string | null; quota: string | null; period: string | null; memLimit: string; pidsMax: string | null }
  | { version: "2"; cpuStat: string; memUsage: string; memStat: string; events: string; io: string; pids: string; cpuMax: string; memMax: string; pidsMax: string };

export function cgroupFiles(loc: CgroupLocation): CgroupFiles | null {
  if (loc.version === "2") {
    const d = loc.dir;
    return { version: "2", cpuStat: `${d}/cpu.stat`, memUsage: `${d}/memory.current`, memStat: `${d}/memory.stat`, events: `${d}/memory.events`, io: `${d}/io.stat`, pids: `${d}/pids.current`, cpuMax: `${d}/cpu.max`, memMax: `${d}/memory.max`, pidsMax: `${d}/pids.max` };
  }
  const { cpu, cpuacct, memory, blkio, pids } = loc.dirs;
  if (!memory || !cpuacct) return null;
  return {
    version: "1", usage: `${cpuacct}/cpuacct.usage`, memUsage: `${memory}/memory.usage_in_bytes`, memStat: `${memory}/memory.stat`, oom: `${memory}/memory.oom_control`,
    cpuStat: cpu && `${cpu}/cpu.stat`, blk: blkio && `${blkio}/blkio.throttle.io_service_bytes_recursive`, pids: pids && `${pids}/pids.current`,
    quota: cpu && `${cpu}/cpu.cfs_quota_us`, period: cpu && `${cpu}/cpu.cfs_period_us`, memLimit: `${memory}/memory.limit_in_bytes`, pidsMax: pids && `${pids}/pids.max`,
  };
}

/**
 * The container's counters (net left zero: it comes from the network namespace), or null if
 * unreadable. With `detailed`, throttling and OOM counters are read too (only sent for watched containers).
 */
export function readCgroupCounters(read: ReadFile, files: CgroupFiles, limits: CgroupLimits | null, detailed = true): ContainerCounters | null {
  return files.version === "1" ? readV1(read, files, limits, detailed) : readV2(read, files, limits, detailed);
}

function readV1(read: ReadFile, f: Extract<CgroupFiles, { version: "1" }>, cached: CgroupLimits | null, detailed: boolean): ContainerCounters | null {
  const usageNs = intValue(read(f.usage));
  const memUsage = intValue(read(f.memUsage));
  const memStat = read(f.memStat);
  if (usageNs === null || memUsage === null || memStat === null) return null;
  const cpuStat = detailed && f.cpuStat ? read(f.cpuStat) ?? "" : "";
  const blk = f.blk ? v1Blkio(read(f.blk) ?? "") : { read: 0, write: 0 };
  const limits = cached ?? {
    cpuLimitCores: f.quota && f.period ? quotaCores(intValue(read(f.quota)), intValue(read(f.period))) : null,
    memLimit: limitValue(read(f.memLimit)),
    pidsLimit: f.pidsMax ? limitValue(read(f.pidsMax)) : null,
  };
  return {
    cpuUsageNs: usageNs,
    detailed,
    cpuPeriods: statValue(cpuStat, "nr_periods") ?? 0,
    cpuThrottledPeriods: statValue(cpuStat, "nr_throttled") ?? 0,
    cpuThrottledNs: statValue(cpuStat, "throttled_time") ?? 0,
    memUsage,
    memWorkingSet: Math.max(0, memUsage - (statValue(memStat, "total_inactive_file") ?? 0)),
    memRss: statValue(memStat, "total_rss") ?? 0,
    memCache: statValue(memStat, "total_cache") ?? 0,
    oomKills: detailed ? statValue(read(f.oom) ?? "", "oom_kill") ?? 0 : 0,
    pids: (f.pids && intValue(read(f.pids))) || 0,
    blkReadBytes: blk.read,
    blkWriteBytes: blk.write,
    net: ZERO_NET,
    ...limits,
  };
}

function readV2(read: ReadFile, f: Extract<CgroupFiles, { version: "2" }>, cached: CgroupLimits | null, detailed: boolean): ContainerCounters | null {
  const cpuStat = read(f.cpuStat);
  const memUsage = intValue(read(f.memUsage));
  const memStat = read(f.memStat);
  if (cpuStat === null || memUsage === null || memStat === null) return null;
  const io = v2Io(read(f.io) ?? "");
  const limits = cached ?? { cpuLimitCores: cpuMaxCores(read(f.cpuMax)), memLimit: limitValue(read(f.memMax)), pidsLimit: limitValue(read(f.pidsMax)) };
  return {
    cpuUsageNs: (statValue(cpuStat, "usage_usec") ?? 0) * 1000,
    detailed,
    cpuPeriods: statValue(cpuStat, "nr_periods") ?? 0,
    cpuThrottledPeriods: statValue(cpuStat, "nr_throttled") ?? 0,
    cpuThrottledNs: (statValue(cpuStat, "throttled_usec") ?? 0) * 1000,
    memUsage,
    memWorkingSet: Math.max(0, memUsage - (statValue(memStat, "inactive_file") ?? 0)),
    memRss: statValue(memStat, "anon") ?? 0,
    memCache: statValue(memStat, "file") ?? 0,
    oomKills: detailed ? statValue(read(f.events) ?? "", "oom_kill") ?? 0 : 0,
    pids: intValue(read(f.pids)) ?? 0,
    blkReadBytes: io.read,
    blkWriteBytes: io.write,
    net: ZERO_NET,
    ...limits,
  };
}

/** blkio.throttle.io_service_bytes: "8:0 Read 4096" lines per device, plus a "Total" line. */
export function v1Blkio(text: string): { read: number; write: number } {
  let read = 0;
  let write = 0;
  if (text.length < 16) return { read, write }; // just "Total 0": no I/O yet
  for (const line of text.split("\n")) {
    const [dev, op, value] = line.split(" ");
    if (!dev || !value || dev === "Total") continue;
    if (op === "Read") read += Number(value) || 0;
    else if (op === "Write") write += Number(value) || 0;
  }
  return { read, write };
}

/** io.stat: "8:0 rbytes=… wbytes=… rios=… wios=… dbytes=… dios=…" per device. */
export function v2Io(text: string): { read: number; write: number } {
  let read = 0;
  let write = 0;
  for (const m of text.matchAll(/\b([rw])bytes=(\d+)/g)) {
    if (m[1] === "r") read += Number(m[2]);
    else write += Number(m[2]);
  }
  return { read, write };
}

function quotaCores(quotaUs: number | null, periodUs: number | null): number | null {
  return quotaUs !== null && quotaUs > 0 && periodUs ? quotaUs / periodUs : null;
}

/** cpu.max: "max 100000" (unlimited) or "50000 100000". */
export function cpuMaxCores(text: string | null): number | null {
  const [quota, period] = (text ?? "").trim().split(/\s+/);
  return quota && /^\d+$/.test(quota) ? quotaCores(Number(quota), Number(period)) : null;
}
