"use client";

import { TimeChart, type ChartSeries } from "./time-chart";
import type { ChartMetric, Columns } from "./use-metric-series";

export const COLORS = { cpu: "#0ea5e9", memory: "#8b5cf6", rx: "#10b981", tx: "#f59e0b", read: "#06b6d4", write: "#ec4899", pids: "#64748b" } as const;

function line(columns: Columns, metric: ChartMetric, label: string, color: string): ChartSeries {
  return { label, color, values: columns.avg[metric], ...(columns.min && columns.max ? { min: columns.min[metric], max: columns.max[metric] } : {}) };
}

/** CPU, memory, network and disk charts of one series (host or container), same time axis. */
export function MetricCharts({ columns, xRange, memoryTop, withPids = false }: {
  columns: Columns;
  xRange?: [number, number];
  /** Host RAM or the container's limit: the memory axis tops there. */
  memoryTop?: number | null;
  withPids?: boolean;
}) {
  const t = columns.t;
  return (
    <div className="grid gap-3 lg:grid-cols-2">
      <TimeChart title="CPU (% of host)" unit="percent" t={t} xRange={xRange} series={[line(columns, "cpu", "CPU", COLORS.cpu)]} />
      <TimeChart title="Memory" unit="bytes" t={t} xRange={xRange} yMax={memoryTop ?? undefined} series={[line(columns, "memory", "Used", COLORS.memory)]} />
      <TimeChart title="Network" unit="bytesPerSecond" t={t} xRange={xRange} series={[line(columns, "netRx", "Received", COLORS.rx), line(columns, "netTx", "Sent", COLORS.tx)]} />
      <TimeChart title="Disk I/O" unit="bytesPerSecond" t={t} xRange={xRange} series={[line(columns, "diskRead", "Read", COLORS.read), line(columns, "diskWrite", "Written", COLORS.write)]} />
      {withPids && <TimeChart title="Processes" unit="count" t={t} xRange={xRange} series={[line(columns, "pids", "PIDs", COLORS.pids)]} />}
    </div>
  );
}
