"use client";

import { useQueries } from "@tanstack/react-query";
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from "react";
import { useTRPC } from "../trpc";
import { useMetricTicks, type LiveMetricsTick } from "./live-metrics";
import { COLORS } from "./metric-charts";
import { Sparkline } from "./sparkline";
import { formatValue } from "./units";

type Trend = { cpu: number[]; memory: number[]; memLimit: number | null };
const KEEP = 60;
const SparkContext = createContext<ReadonlyMap<string, Trend> | null>(null);

/**
 * CPU and memory trends of every container on these hosts for the tables' sparklines: the last
 * minutes from the server's rings, then each live tick's container summaries appended.
 */
export function SparklineProvider({ hostIds, children }: { hostIds: readonly string[]; children: ReactNode }) {
  const trpc = useTRPC();
  const ids = hostIds.slice(0, 50); // a sparkline per row is for what is on screen, not the whole fleet
  const initial = useQueries({ queries: ids.map((hostId) => ({ ...trpc.metrics.sparklines.queryOptions({ hostId, minutes: 5, points: KEEP }), staleTime: Infinity })) });
  const [trends, setTrends] = useState<ReadonlyMap<string, Trend>>(new Map());
  const loaded = initial.map((q) => q.dataUpdatedAt).join(",");

  useEffect(() => {
    setTrends((prev) => {
      const next = new Map(prev);
      initial.forEach((q, i) => {
        for (const [id, s] of Object.entries(q.data ?? {})) {
          const key = `${ids[i]}/${id}`;
          const live = next.get(key);
          // The ring's history, unless live ticks already gave more (they arrive while this loads).
          if (!live || live.cpu.length < s.cpu.length) next.set(key, { cpu: s.cpu, memory: s.memory, memLimit: live?.memLimit ?? null });
        }
      });
      return next;
    });
  }, [loaded]); // eslint-disable-line react-hooks/exhaustive-deps

  useMetricTicks(ids, null, useCallback((tick: LiveMetricsTick) => {
    setTrends((prev) => {
      const next = new Map(prev);
      for (const c of tick.containers) {
        const key = `${tick.hostId}/${c.id}`;
        const t = next.get(key);
        next.set(key, { cpu: [...(t?.cpu ?? []), c.cpuPercent].slice(-KEEP), memory: [...(t?.memory ?? []), c.memBytes].slice(-KEEP), memLimit: c.memLimit });
      }
      return next;
    });
  }, []));

  return <SparkContext.Provider value={trends}>{children}</SparkContext.Provider>;
}

/** Whether a table is inside a SparklineProvider (it then shows a Usage column). */
export const useHasSparklines = () => useContext(SparkContext) !== null;

/** CPU and memory sparklines of one container, with the latest values. */
export function UsageCell({ hostId, containerId, name }: { hostId: string; containerId: string; name: string }) {
  const trend = useContext(SparkContext)?.get(`${hostId}/${containerId}`);
  if (!trend || !trend.cpu.length) return <span className="text-zinc-400 dark:text-zinc-500">—</span>;
  const cpu = trend.cpu.at(-1)!;
  const mem = trend.memory.at(-1) ?? 0;
  return (
    <div className="grid grid-cols-[auto_3.5rem] items-center gap-x-1.5 text-[11px] leading-tight tabular-nums text-zinc-600 dark:text-zinc-400">
      <Sparkline values={trend.cpu} color={COLORS.cpu} label={`${name} CPU, last minutes; now ${formatValue(cpu, "percent")}`} />
      <span title="CPU, % of host">{formatValue(cpu, "percent")}</span>
      <Sparkline values={trend.memory} color={COLORS.memory} max={trend.memLimit ?? undefined} label={`${name} memory, last minutes; now ${formatValue(mem, "bytes")}`} />
      <span title={trend.memLimit ? `of ${formatValue(trend.memLimit, "bytes")} limit` : "memory (working set)"}>{formatValue(mem, "bytes")}</span>
    </div>
  );
}

const SOURCE_LABEL: Record<string, string> = {
  "cgroup-v1": "cgroup v1 files (direct)",
  "cgroup-v2": "cgroup v2 files (direct)",
  "docker-api": "Docker stats API (fallback)",
  none: "none",
};

/** Where the host's container metrics come from, as the latest tick says (for the host facts). */
export function MetricsSourceFact({ hostId }: { hostId: string }) {
  const [tick, setTick] = useState<Pick<LiveMetricsTick, "source" | "sourceNote"> | null>(null);
  useMetricTicks([hostId], null, useCallback((t: LiveMetricsTick) => setTick((prev) => (prev?.source === t.source && prev.sourceNote === t.sourceNote ? prev : { source: t.source, sourceNote: t.sourceNote })), []));
  if (!tick) return <span className="text-zinc-400 dark:text-zinc-500">—</span>;
  return <span title={tick.sourceNote ?? undefined} className={tick.source === "docker-api" ? "text-amber-700 dark:text-amber-400" : undefined}>{SOURCE_LABEL[tick.source] ?? tick.source}</span>;
}
