"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "../trpc";
import { Skeleton, cx } from "../ui";
import { COLORS } from "./metric-charts";
import { formatValue } from "./units";

/** The fleet page's "top consumers": busiest containers by CPU and by memory right now, and each host's load. */
export function FleetTopPanel() {
  const trpc = useTRPC();
  const top = useQuery({ ...trpc.metrics.fleetTop.queryOptions({ limit: 5 }), refetchInterval: 5_000 });
  const d = top.data;
  if (top.isError) return null; // the fleet table below says what is wrong; this panel is a bonus
  if (d && !d.hosts.length) return null; // no host reports metrics (yet)
  return (
    <section aria-labelledby="top-heading" className="rounded-lg border border-zinc-200 bg-white p-3 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
      <h2 id="top-heading" className="mb-2 text-sm font-semibold">Top consumers <span className="font-normal text-zinc-500 dark:text-zinc-400">now</span></h2>
      {!d ? (
        <Skeleton className="h-24 w-full" />
      ) : (
        <div className="grid gap-4 md:grid-cols-3">
          <TopList title="CPU (% of host)" color={COLORS.cpu} rows={d.byCpu.map((c) => ({ key: c.containerId, href: `/hosts/${encodeURIComponent(c.hostId)}/containers/${c.containerId}`, name: c.name, host: c.hostName, value: c.cpuPercent, text: formatValue(c.cpuPercent, "percent"), max: 100 }))} />
          <TopList title="Memory" color={COLORS.memory} rows={d.byMemory.map((c) => ({ key: c.containerId, href: `/hosts/${encodeURIComponent(c.hostId)}/containers/${c.containerId}`, name: c.name, host: c.hostName, value: c.memBytes, text: formatValue(c.memBytes, "bytes"), max: c.memLimit ?? d.byMemory[0]!.memBytes }))} />
          <TopList title="Hosts (CPU)" color="#64748b" rows={d.hosts.slice(0, 5).map((h) => ({ key: h.hostId, href: `/hosts/${encodeURIComponent(h.hostId)}?tab=metrics`, name: h.hostName, host: `load ${h.load1.toFixed(2)} · ${formatValue(h.memUsed, "bytes")} / ${formatValue(h.memTotal, "bytes")}`, value: h.cpuPercent, text: formatValue(h.cpuPercent, "percent"), max: 100 }))} />
        </div>
      )}
    </section>
  );
}

function TopList({ title, color, rows }: { title: string; color: string; rows: { key: string; href: string; name: string; host: string; value: number; text: string; max: number }[] }) {
  return (
    <div className="min-w-0">
      <h3 className="mb-1 text-[11px] font-medium tracking-wide text-zinc-500 uppercase dark:text-zinc-400">{title}</h3>
      {rows.length === 0 ? (
        <p className="text-xs text-zinc-500 dark:text-zinc-400">No running containers.</p>
      ) : (
        <ol className="space-y-1" aria-label={title}>
          {rows.map((r) => (
            <li key={r.key} className="grid grid-cols-[minmax(0,1fr)_auto] items-center gap-x-2 text-xs">
              <Link href={r.href} className="truncate font-medium text-zinc-800 hover:text-sky-700 hover:underline dark:text-zinc-200 dark:hover:text-sky-400" title={`${r.name} on ${r.host}`}>
                {r.name} <span className="font-normal text-zinc-500 dark:text-zinc-400">· {r.host}</span>
              </Link>
              <span className="tabular-nums">{r.text}</span>
              <span className="col-span-2 h-1 rounded-full bg-zinc-100 dark:bg-zinc-800">
                <span className={cx("block h-full rounded-full")} style={{ width: `${Math.min(100, (r.value / (r.max || 1)) * 100)}%`, background: color }} />
              </span>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
