"use client";

import { useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { useMemo, useRef } from "react";
import type { AppRouter } from "../../../server/trpc/router";
import { bytes, plainText } from "../format";
import { useTRPC } from "../trpc";
import { cx, DataTable, LoadError, Section, tdClass, trClass } from "../ui";

type Proc = inferRouterOutputs<AppRouter>["processes"]["list"][number];
const POLL_MS = 2_000;
type Snapshot = { at: number; cpu: Map<number, number> };

/** The container's processes as a tree (by parent PID), polled every 2 s; CPU is the rate since the last poll. */
export function ProcessTree({ hostId, containerId }: { hostId: string; containerId: string }) {
  const trpc = useTRPC();
  const q = useQuery(trpc.processes.list.queryOptions({ hostId, containerId }, { refetchInterval: POLL_MS }));
  // The last two polls (kept idempotent: a re-render of the same poll does not shift them).
  const polls = useRef<{ now: Snapshot | null; before: Snapshot | null }>({ now: null, before: null });
  const rows = useMemo(() => {
    if (!q.data) return [];
    const at = q.dataUpdatedAt;
    if (polls.current.now?.at !== at) polls.current = { before: polls.current.now, now: { at, cpu: new Map(q.data.map((p) => [p.hostPid, p.cpuSeconds])) } };
    const last = polls.current.before;
    const rate = new Map<number, number>();
    for (const p of q.data) {
      const before = last?.cpu.get(p.hostPid);
      if (last && before !== undefined && at > last.at) rate.set(p.hostPid, Math.max(0, ((p.cpuSeconds - before) / ((at - last.at) / 1000)) * 100));
    }
    return flatten(q.data).map((r) => ({ ...r, rate: rate.get(r.p.hostPid) ?? null }));
  }, [q.data, q.dataUpdatedAt]);

  if (q.isError && !q.data) return <LoadError title="Could not list processes" error={q.error} onRetry={() => q.refetch()} />;
  return (
    <Section title="Processes" description="Host PID and the PID inside the container's namespace (NSpid), from /proc; refreshed every 2 s.">
      <DataTable label="Processes" columns={["Command", "Host PID", "PID in container", "Parent", "User", "State", "CPU", "Memory"]} rightAligned={["Host PID", "PID in container", "Parent", "CPU", "Memory"]} busy={q.isPending} empty={q.data && !q.data.length ? "No processes (the container is not running)." : null}>
        {rows.map(({ p, depth, rate }) => (
          <tr key={p.hostPid} className={trClass}>
            <td className={cx(tdClass, "font-mono text-xs")}>
              <span style={{ paddingLeft: `${depth * 1.1}rem` }} className="whitespace-pre">
                {depth > 0 && <span aria-hidden="true" className="text-zinc-400">└ </span>}
                {plainText(p.cmd)}
              </span>
            </td>
            <td className={cx(tdClass, "text-right font-mono text-xs tabular-nums")}>{p.hostPid}</td>
            <td className={cx(tdClass, "text-right font-mono text-xs tabular-nums")}>{p.nsPid}</td>
            <td className={cx(tdClass, "text-right font-mono text-xs tabular-nums")}>{p.ppid}</td>
            <td className={cx(tdClass, "text-xs")}>{plainText(p.user)}</td>
            <td className={cx(tdClass, "text-xs")}>{p.state}</td>
            <td className={cx(tdClass, "text-right text-xs tabular-nums")} title={`${p.cpu}% over its lifetime, ${p.cpuSeconds.toFixed(2)} s in total`}>{(rate ?? p.cpu).toFixed(1)}%</td>
            <td className={cx(tdClass, "text-right text-xs tabular-nums")}>{bytes(p.mem)}</td>
          </tr>
        ))}
      </DataTable>
    </Section>
  );
}

/** Depth-first by parent: roots are processes whose parent is not in the container. */
function flatten(procs: Proc[]): { p: Proc; depth: number }[] {
  const pids = new Set(procs.map((p) => p.hostPid));
  const children = new Map<number, Proc[]>();
  for (const p of procs) if (pids.has(p.ppid)) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const out: { p: Proc; depth: number }[] = [];
  const walk = (p: Proc, depth: number) => {
    out.push({ p, depth });
    for (const c of children.get(p.hostPid) ?? []) if (depth < 64) walk(c, depth + 1);
  };
  for (const p of procs) if (!pids.has(p.ppid)) walk(p, 0);
  return out;
}
