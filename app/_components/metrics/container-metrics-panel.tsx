"use client";

import { useState } from "react";
import type { ContainerDetail } from "../../../agents/protocol";
import { bytes } from "../format";
import { trpcMessage } from "../trpc";
import { ErrorBox, Skeleton } from "../ui";
import { MetricCharts } from "./metric-charts";
import { RangePicker } from "./range-picker";
import { formatValue } from "./units";
import { useMetricSeries, type RangeId } from "./use-metric-series";

/** A container's Metrics tab: its charts, and the full detail the agent sends while someone watches. */
export function ContainerMetricsPanel({ hostId, containerId }: { hostId: string; containerId: string }) {
  const [range, setRange] = useState<RangeId>("live");
  const { columns, history, latest, xRange } = useMetricSeries(hostId, containerId, range);
  const d = latest?.detail ?? null;
  return (
    <div className="space-y-3" data-testid="container-metrics">
      <RangePicker value={range} onChange={setRange} />
      {d ? <ContainerNow d={d} /> : range === "live" && <p className="text-xs text-zinc-500 dark:text-zinc-400">Waiting for the first reading (running containers only)…</p>}
      {history.isError && !columns ? (
        <ErrorBox title="Could not load metrics">{trpcMessage(history.error)}</ErrorBox>
      ) : !columns ? (
        <Skeleton className="h-72 w-full" />
      ) : (
        <MetricCharts columns={columns} xRange={xRange} memoryTop={d?.memLimit} withPids />
      )}
    </div>
  );
}

function ContainerNow({ d }: { d: ContainerDetail }) {
  const rows: [string, string, string?][] = [
    ["CPU", formatValue(d.cpuPercent, "percent"), "of the whole host"],
    ["Of its limit", d.cpuOfLimitPercent == null ? "no limit" : `${formatValue(d.cpuOfLimitPercent, "percent")} of ${d.cpuLimitCores} cores`],
    ["Throttled", d.cpuPeriods ? `${d.cpuThrottledPeriods}/${d.cpuPeriods} periods (${d.cpuThrottledSeconds.toFixed(3)} s)` : "—", "CFS periods throttled in the last interval"],
    ["Memory", `${bytes(d.memBytes)}${d.memLimit ? ` / ${bytes(d.memLimit)}` : ""}`, "working set: usage minus inactive file cache"],
    ["RSS · cache", `${bytes(d.memRss)} · ${bytes(d.memCache)}`],
    ["OOM kills", String(d.oomKills)],
    ["PIDs", d.pidsLimit ? `${d.pids} / ${d.pidsLimit}` : String(d.pids)],
    ["Network", `↓${formatValue(d.netRxBps, "bytesPerSecond")} ↑${formatValue(d.netTxBps, "bytesPerSecond")}`],
    ["Packets", `↓${d.netRxPps.toFixed(0)}/s ↑${d.netTxPps.toFixed(0)}/s · ${d.netErrors.toFixed(0)} err · ${d.netDrops.toFixed(0)} drop`],
    ["Block I/O", `R ${formatValue(d.blkReadBps, "bytesPerSecond")} · W ${formatValue(d.blkWriteBps, "bytesPerSecond")}`],
    ["Source", d.source],
  ];
  return (
    <dl aria-label="Container now" className="grid grid-cols-2 gap-x-6 gap-y-2 rounded-lg border border-zinc-200 bg-white p-3 shadow-sm sm:grid-cols-4 lg:grid-cols-6 dark:border-zinc-800 dark:bg-zinc-900">
      {rows.map(([k, v, hint]) => (
        <div key={k} className="min-w-0">
          <dt className="text-[11px] font-medium tracking-wide text-zinc-500 uppercase dark:text-zinc-400">{k}</dt>
          <dd className="mt-0.5 truncate tabular-nums" title={hint ?? v}>{v}</dd>
        </div>
      ))}
    </dl>
  );
}
