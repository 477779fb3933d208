"use client";

import { useState } from "react";
import type { HostMetrics } from "../../../agents/protocol";
import { bytes } from "../format";
import { trpcMessage } from "../trpc";
import { ErrorBox, Skeleton, cx } from "../ui";
import { MetricCharts } from "./metric-charts";
import { RangePicker } from "./range-picker";
import { formatValue } from "./units";
import { useMetricSeries, type RangeId } from "./use-metric-series";

const SOURCE_TEXT: Record<string, string> = {
  "cgroup-v1": "read from cgroup v1 files",
  "cgroup-v2": "read from cgroup v2 files",
  "docker-api": "Docker stats API (cgroup files not readable)",
  none: "no container source",
};

/** The host page's Metrics tab: live charts or history, plus what the host looks like right now. */
export function HostMetricsPanel({ hostId }: { hostId: string }) {
  const [range, setRange] = useState<RangeId>("live");
  const { columns, tier, history, latest, xRange } = useMetricSeries(hostId, null, range);
  const h = latest?.tick.host;
  return (
    <div className="space-y-3" data-testid="host-metrics">
      <div className="flex flex-wrap items-center gap-3">
        <RangePicker value={range} onChange={setRange} />
        <span className="text-xs text-zinc-500 dark:text-zinc-400">
          {range === "live" ? (latest ? `every ${Math.round(latest.tick.intervalMs / 1000)} s · ` : "waiting for the agent… · ") : tier ? `${tier === "1m" ? "1-minute" : tier === "1h" ? "1-hour" : "full-resolution"} min/avg/max · ` : ""}
          {latest ? SOURCE_TEXT[latest.tick.source] : null}
        </span>
      </div>
      {latest?.tick.sourceNote && <p className="rounded-md border border-amber-300 bg-amber-50 px-3 py-1.5 text-xs text-amber-900 dark:border-amber-500/40 dark:bg-amber-500/10 dark:text-amber-200">{latest.tick.sourceNote}</p>}
      {h ? <HostNow h={h} /> : range === "live" && <Skeleton className="h-16 w-full" />}
      {history.isError && !columns ? (
        <ErrorBox title="Could not load metrics">{trpcMessage(history.error)}</ErrorBox>
      ) : !columns ? (
        <div className="grid gap-3 lg:grid-cols-2" aria-busy="true">
          {Array.from({ length: 4 }, (_, i) => <Skeleton key={i} className="h-44 w-full" />)}
        </div>
      ) : columns.t.length === 0 && range !== "live" ? (
        <p className="rounded-lg border border-dashed border-zinc-300 px-4 py-8 text-center text-zinc-500 dark:border-zinc-700 dark:text-zinc-400">No history for this range yet: minutes are stored as they close, hours as they fill.</p>
      ) : (
        <MetricCharts columns={columns} xRange={xRange} memoryTop={h?.memTotal} />
      )}
    </div>
  );
}

function HostNow({ h }: { h: HostMetrics }) {
  const stat = (label: string, value: string, hint?: string) => (
    <div className="min-w-0">
      <dt className="text-[11px] font-medium tracking-wide text-zinc-500 uppercase dark:text-zinc-400">{label}</dt>
      <dd className="mt-0.5 tabular-nums" title={hint}>{value}</dd>
    </div>
  );
  return (
    <section aria-label="Host now" className="grid gap-4 rounded-lg border border-zinc-200 bg-white p-3 shadow-sm lg:grid-cols-[minmax(0,2fr)_auto_minmax(0,1fr)] dark:border-zinc-800 dark:bg-zinc-900">
      <dl className="grid grid-cols-3 gap-x-4 gap-y-2 sm:grid-cols-6">
        {stat("CPU", formatValue(h.cpuPercent, "percent"))}
        {stat("Load", h.load.map((l) => l.toFixed(2)).join(" "), "1, 5 and 15 minute load averages")}
        {stat("Memory", `${bytes(h.memUsed)} / ${bytes(h.memTotal)}`)}
        {stat("Swap", h.swapTotal ? `${bytes(h.swapUsed)} / ${bytes(h.swapTotal)}` : "none")}
        {stat("Net", `↓${formatValue(h.netRxBps, "bytesPerSecond")} ↑${formatValue(h.netTxBps, "bytesPerSecond")}`)}
        {stat("Uptime", uptime(h.uptimeSeconds))}
      </dl>
      <div aria-label="CPU per core" role="group" className="flex h-12 items-end gap-0.5 self-center" title="Busy share of each core">
        {h.perCore.map((p, i) => (
          <div key={i} className="flex h-full w-2.5 items-end rounded-sm bg-zinc-100 dark:bg-zinc-800" title={`core ${i}: ${formatValue(p, "percent")}`}>
            <div className="w-full rounded-sm bg-sky-500" style={{ height: `${Math.max(2, p)}%` }} />
          </div>
        ))}
      </div>
      <ul aria-label="Disk usage" className="space-y-1 text-xs">
        {h.disks.slice(0, 4).map((d) => {
          const pct = d.totalBytes ? (d.usedBytes / d.totalBytes) * 100 : 0;
          return (
            <li key={d.mount} className="grid grid-cols-[minmax(0,7rem)_1fr_auto] items-center gap-2">
              <span className="truncate font-mono" title={`${d.mount} (${d.fsType})`}>{d.mount}</span>
              <span className="h-1.5 rounded-full bg-zinc-100 dark:bg-zinc-800">
                <span className={cx("block h-full rounded-full", pct > 90 ? "bg-red-500" : pct > 75 ? "bg-amber-500" : "bg-emerald-500")} style={{ width: `${pct}%` }} />
              </span>
              <span className="text-zinc-500 tabular-nums dark:text-zinc-400">{bytes(d.usedBytes)} / {bytes(d.totalBytes)}</span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function uptime(s: number): string {
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  return d ? `${d} d ${h} h` : h ? `${h} h ${m} min` : `${m} min`;
}
