import { keyValues } from "./counters";
import { parseNetDev, type InterfaceCounters } from "./net-dev";

/** One CPU line of /proc/stat: busy and total jiffies. */
export type CpuTimes = { busy: number; total: number };

/** /proc/stat: the "cpu" total line and each "cpuN" line. Idle and iowait count as not busy. */
export function parseProcStat(text: string): { total: CpuTimes; cores: CpuTimes[] } {
  let total: CpuTimes = { busy: 0, total: 0 };
  const cores: CpuTimes[] = [];
  for (const line of text.split("\n")) {
    if (!line.startsWith("cpu")) break; // the cpu lines come first
    const [name, ...rest] = line.split(/\s+/);
    const v = rest.map(Number);
    // user nice system idle iowait irq softirq steal (guest time is already inside user)
    const all = v.slice(0, 8).reduce((a, b) => a + (b || 0), 0);
    const times = { busy: all - (v[3] ?? 0) - (v[4] ?? 0), total: all };
    if (name === "cpu") total = times;
    else cores.push(times);
  }
  return { total, cores };
}

export type MemInfo = { memTotal: number; memAvailable: number; memUsed: number; swapTotal: number; swapUsed: number };

/** /proc/meminfo (kB values). Used = total - available (what the kernel could not hand out now). */
export function parseMeminfo(text: string): MemInfo {
  const kv = keyValues(text.replace(/:\s+/g, " ").replace(/ kB$/gm, ""));
  const kb = (k: string) => (kv.get(k) ?? 0) * 1024;
  const memTotal = kb("MemTotal");
  const memAvailable = kv.has("MemAvailable") ? kb("MemAvailable") : kb("MemFree") + kb("Buffers") + kb("Cached");
  const swapTotal = kb("SwapTotal");
  return { memTotal, memAvailable, memUsed: Math.max(0, memTotal - memAvailable), swapTotal, swapUsed: Math.max(0, swapTotal - kb("SwapFree")) };
}

export function parseLoadavg(text: string): [number, number, number] {
  const [a, b, c] = text.split(" ").map(Number);
  return [a || 0, b || 0, c || 0];
}

export function parseUptime(text: string): number {
  return Number(text.split(" ")[0]) || 0;
}

/** /proc/diskstats summed over whole disks (sectors are 512 bytes whatever the device's block size). */
export function parseDiskstats(text: string, isDisk: (name: string) => boolean): { readBytes: number; writeBytes: number } {
  let readBytes = 0;
  let writeBytes = 0;
  for (const line of text.split("\n")) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10 || !isDisk(f[2]!)) continue;
    readBytes += Number(f[5]) * 512;
    writeBytes += Number(f[9]) * 512;
  }
  return { readBytes, writeBytes };
}

export type HostCounters = {
  cpu: { total: CpuTimes; cores: CpuTimes[] };
  mem: MemInfo;
  load: [number, number, number];
  uptimeSeconds: number;
  interfaces: InterfaceCounters[];
  disk: { readBytes: number; writeBytes: number };
};

export { parseNetDev };
