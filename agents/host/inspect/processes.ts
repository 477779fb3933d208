import { lstat } from "node:fs/promises";
import type { ProcessEntry } from "../../../agents/protocol";
import { parseProcCgroup } from "./cgroup-limits";
import { listDir, readText, type KernelFiles } from "./kernel-files";
import { parseCmdline, parseProcStat, parseProcStatus } from "./proc-status";

// USER_HZ: 100 on every Linux architecture Docker runs on (the kernel fixes it for /proc's ABI).
const CLOCK_TICKS = 100;
const MAX_PROCESSES = 10_000;

/**
 * Every process of the container whose init is `initPid`: the members of its cgroup (cgroup.procs),
 * or, when that is unreadable, init and its descendants found by walking /proc.
 */
export async function listContainerProcesses(files: KernelFiles, initPid: number): Promise<ProcessEntry[]> {
  const pids = (await cgroupMembers(files, initPid)) ?? (await descendants(files, initPid));
  const uptime = Number(((await readText(`${files.proc}/uptime`)) ?? "0").split(" ")[0]) || 0;
  const users = parsePasswd(await containerPasswd(files, initPid));
  const out: ProcessEntry[] = [];
  for (const pid of pids.slice(0, MAX_PROCESSES)) {
    const entry = await readProcess(files, pid, uptime, users);
    if (entry) out.push(entry);
  }
  return out.sort((a, b) => a.hostPid - b.hostPid);
}

async function readProcess(files: KernelFiles, pid: number, uptime: number, users: Map<number, string>): Promise<ProcessEntry | null> {
  const [statusText, statText, cmdline] = await Promise.all([
    readText(`${files.proc}/${pid}/status`), readText(`${files.proc}/${pid}/stat`), readText(`${files.proc}/${pid}/cmdline`),
  ]);
  if (statusText === null || statText === null) return null; // exited between the listing and the read
  const status = parseProcStatus(statusText);
  const stat = parseProcStat(statText);
  const cpuSeconds = stat ? (stat.utime + stat.stime) / CLOCK_TICKS : 0;
  const lifetime = stat ? uptime - stat.startTicks / CLOCK_TICKS : 0;
  const uid = status.uids[1] ?? status.uids[0] ?? 0;
  return {
    hostPid: pid,
    nsPid: status.nsPids[status.nsPids.length - 1] ?? pid,
    ppid: status.ppid,
    uid,
    user: users.get(uid) ?? String(uid),
    state: status.state.slice(0, 32),
    cmd: ((cmdline && parseCmdline(cmdline)) || `[${status.name}]`).slice(0, 4096),
    cpu: lifetime > 0 ? Math.round((cpuSeconds / lifetime) * 1000) / 10 : 0,
    cpuSeconds,
    mem: status.rssBytes,
  };
}

async function cgroupMembers(files: KernelFiles, initPid: number): Promise<number[] | null> {
  const text = await readText(`${files.proc}/${initPid}/cgroup`);
  if (text === null) return null;
  const { v1, v2 } = parseProcCgroup(text);
  const root = `${files.sys}/fs/cgroup`;
  const candidates = v1.size
    ? ["pids", "memory", "cpu"].filter((c) => v1.has(c)).map((c) => `${root}/${c}${v1.get(c)}/cgroup.procs`)
    : v2 !== null ? [`${root}${v2 === "/" ? "" : v2}/cgroup.procs`] : [];
  for (const file of candidates) {
    const procs = await readText(file);
    if (procs !== null) return procs.split("\n").filter((l) => /^\d+$/.test(l)).map(Number);
  }
  return null;
}

async function descendants(files: KernelFiles, initPid: number): Promise<number[]> {
  const parents = new Map<number, number>();
  for (const name of await listDir(files.proc)) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readText(`${files.proc}/${name}/stat`);
    const m = stat ? /\) \S+ (\d+)/.exec(stat) : null;
    if (m) parents.set(Number(name), Number(m[1]));
  }
  const inTree = (pid: number): boolean => {
    for (let p: number | undefined = pid, depth = 0; p && depth < 64; p = parents.get(p), depth++) if (p === initPid) return true;
    return false;
  };
  return [...parents.keys()].filter(inTree);
}

/**
 * The container's /etc/passwd, only when it is a plain file in a plain directory: an absolute symlink
 * there would resolve against the agent's root and make it read a host file.
 */
async function containerPasswd(files: KernelFiles, initPid: number): Promise<string> {
  const etc = `${files.proc}/${initPid}/root/etc`;
  try {
    // Both components checked: a symlinked /etc would escape the same way. (Racy, but the worst a
    // racing container gains is user names in its own process list.)
    if (!(await lstat(etc)).isDirectory()) return "";
    const st = await lstat(`${etc}/passwd`);
    return st.isFile() && st.size < 1 << 20 ? ((await readText(`${etc}/passwd`)) ?? "") : "";
  } catch {
    return "";
  }
}

/** Parses /etc/passwd lines into uid → name. */
export function parsePasswd(text: string): Map<number, string> {
  const users = new Map<number, string>();
  for (const line of text.split("\n")) {
    const [name, , uid] = line.split(":");
    if (name && uid && /^\d+$/.test(uid) && !users.has(Number(uid))) users.set(Number(uid), name.slice(0, 64));
  }
  return users;
}
