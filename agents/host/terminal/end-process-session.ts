import fs from "node:fs/promises";

const GRACE_MS = 1_000;
const POLL_MS = 50;

/**
 * Ends an exec'd terminal process and everything it started: a TTY exec is a session leader, so its
 * jobs share its session id even when they run in process groups of their own. SIGHUP first (what
 * a closed terminal sends), SIGKILL for whatever is still there after a grace period. Needs the
 * agent to see host PIDs (it runs as root on the host, as it must to read /proc and cgroups).
 */
export async function endProcessSession(leaderPid: number, graceMs = GRACE_MS): Promise<void> {
  if (!Number.isInteger(leaderPid) || leaderPid <= 1) return;
  signalAll(await sessionMembers(leaderPid), "SIGHUP");
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if ((await sessionMembers(leaderPid)).length === 0) return;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  signalAll(await sessionMembers(leaderPid), "SIGKILL");
}

/** Host PIDs in the session led by `sid` (the leader included while it lives). */
export async function sessionMembers(sid: number): Promise<number[]> {
  const entries = await fs.readdir("/proc");
  const members: number[] = [];
  await Promise.all(
    entries.map(async (name) => {
      if (!/^\d+$/.test(name)) return;
      const stat = await fs.readFile(`/proc/${name}/stat`, "utf8").catch(() => null);
      if (stat !== null && sessionOf(stat) === sid && !isZombie(stat)) members.push(Number(name));
    }),
  );
  return members;
}

/** The session id from a /proc/<pid>/stat line; the command name may hold spaces and parentheses. */
export function sessionOf(stat: string): number | null {
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // After the name: state, ppid, pgrp, session.
  const session = Number(fields[3]);
  return Number.isInteger(session) ? session : null;
}

/** A zombie is already dead (only its parent's wait is missing): nothing left to signal. */
function isZombie(stat: string): boolean {
  return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
}

function signalAll(pids: number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ESRCH") throw err; // gone already is fine
    }
  }
}
