import fs from "node:fs";

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** Fields of /proc/<pid>/stat after the command name (which may contain spaces and parentheses). */
function statFields(pid: number): string[] | null {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return text.slice(text.lastIndexOf(")") + 2).split(" ");
  } catch {
    return null;
  }
}

/** CPU seconds (user + system, own and reaped children) a process has used so far. */
export function cpuSeconds(pid: number): number {
  const f = statFields(pid);
  if (!f) return 0;
  // after ")": state(0) ppid(1) pgrp(2) … utime(11) stime(12) cutime(13) cstime(14)
  return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / TICKS_PER_SECOND;
}

export function processGroup(pid: number): number | null {
  const f = statFields(pid);
  return f ? Number(f[2]) : null;
}

/** Every live pid matching the predicate on (pid, cmdline, process group). */
export function findPids(match: (p: { pid: number; cmdline: string; pgrp: number | null }) => boolean): number[] {
  const out: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
      if (match({ pid, cmdline, pgrp: processGroup(pid) })) out.push(pid);
    } catch {
      /* exited */
    }
  }
  return out;
}

/**
 * CPU seconds a set of processes spends over a window. Processes are looked up again at the end, so
 * ones that started meanwhile count from zero and ones that ended are counted up to their last reading.
 */
export class CpuMeter {
  private readonly start = new Map<number, number>();
  private readonly last = new Map<number, number>();
  constructor(private readonly select: () => number[]) {
    for (const pid of select()) this.start.set(pid, cpuSeconds(pid));
  }

  /** Samples the set (call now and then so exiting processes are not lost). */
  sample(): void {
    for (const pid of this.select()) this.last.set(pid, cpuSeconds(pid));
  }

  total(): number {
    this.sample();
    let sum = 0;
    for (const [pid, end] of this.last) sum += Math.max(0, end - (this.start.get(pid) ?? 0));
    return sum;
  }
}

/** Resident set size of a process in bytes (VmRSS). */
export function rssBytes(pid: number): number {
  try {
    const m = /^VmRSS:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** The parent pid of a process (-1 once it is gone). */
export function parentOf(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return -1;
  }
}
