"use client";

import { useQuery } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useState } from "react";
import type { ContainerDetail, ContainerSummary, HostMetrics } from "../../../agents/protocol";
import { useTRPC } from "../trpc";
import { useMetricTicks, type LiveMetricsTick } from "./live-metrics";

export const RANGES = [
  { id: "live", label: "Live", ms: 15 * 60_000 },
  { id: "1h", label: "1 h", ms: 3_600_000 },
  { id: "24h", label: "24 h", ms: 86_400_000 },
  { id: "7d", label: "7 d", ms: 7 * 86_400_000 },
  { id: "90d", label: "90 d", ms: 90 * 86_400_000 },
] as const;
export type RangeId = (typeof RANGES)[number]["id"];

export const CHART_METRICS = ["cpu", "memory", "netRx", "netTx", "diskRead", "diskWrite", "pids"] as const;
export type ChartMetric = (typeof CHART_METRICS)[number];
export type Columns = { t: number[]; avg: Record<ChartMetric, (number | null)[]>; min?: Record<ChartMetric, (number | null)[]>; max?: Record<ChartMetric, (number | null)[]> };

const LIVE_POINTS = 960;
const empty = (): Record<ChartMetric, (number | null)[]> => ({ cpu: [], memory: [], netRx: [], netTx: [], diskRead: [], diskWrite: [], pids: [] });

/** The chart columns of one reading (a host's totals, or one container's summary). */
function readingOf(tick: LiveMetricsTick, containerId: string | null): Record<ChartMetric, number | null> | null {
  if (!containerId) {
    const h: HostMetrics = tick.host;
    return { cpu: h.cpuPercent, memory: h.memUsed, netRx: h.netRxBps, netTx: h.netTxBps, diskRead: h.diskReadBps, diskWrite: h.diskWriteBps, pids: null };
  }
  const c: ContainerSummary | undefined = tick.containers.find((x) => x.id === containerId);
  return c ? { cpu: c.cpuPercent, memory: c.memBytes, netRx: c.netRxBps, netTx: c.netTxBps, diskRead: c.blkReadBps, diskWrite: c.blkWriteBps, pids: c.pids } : null;
}

/**
 * Chart data for a host or a container: live = the last 15 minutes from the server's ring, then every
 * tick pushed over the socket; longer ranges = the persisted minute or hour tier (refreshed each minute).
 */
export function useMetricSeries(hostId: string, containerId: string | null, range: RangeId) {
  const trpc = useTRPC();
  const spec = RANGES.find((r) => r.id === range)!;
  const metrics = containerId ? [...CHART_METRICS] : CHART_METRICS.filter((m) => m !== "pids");
  // Re-anchored on each refetch so "the last 24 h" keeps moving.
  const [anchor, setAnchor] = useState(() => Date.now());
  useEffect(() => {
    setAnchor(Date.now());
    if (range === "live") return;
    const timer = window.setInterval(() => setAnchor(Date.now()), 60_000);
    return () => window.clearInterval(timer);
  }, [range]);
  const history = useQuery({
    ...trpc.metrics.history.queryOptions({ hostId, ...(containerId ? { containerId } : {}), metrics, from: anchor - spec.ms, to: anchor }),
    refetchOnWindowFocus: false,
    placeholderData: (prev) => prev, // keep the old chart on screen while the next window loads
  });
  const [live, setLive] = useState<{ t: number[]; v: Record<ChartMetric, (number | null)[]> }>({ t: [], v: empty() });
  const [latest, setLatest] = useState<{ tick: LiveMetricsTick; detail: ContainerDetail | null } | null>(null);

  useMetricTicks([hostId], containerId, useCallback((tick: LiveMetricsTick) => {
    const detail = containerId ? tick.details.find((d) => d.id === containerId) ?? null : null;
    setLatest({ tick, detail });
    const r = readingOf(tick, containerId);
    if (!r) return;
    setLive((prev) => {
      const cut = Math.max(0, prev.t.length + 1 - LIVE_POINTS);
      const v = empty();
      for (const m of CHART_METRICS) v[m] = [...prev.v[m].slice(cut), r[m]];
      return { t: [...prev.t.slice(cut), tick.receivedAt], v };
    });
  }, [containerId]));

  const columns: Columns | null = useMemo(() => {
    const data = history.data;
    if (!data) return null;
    const ref = data.series.cpu ?? [];
    const t = ref.map((p) => p.t);
    const index = new Map(t.map((x, i) => [x, i]));
    const pick = (k: "avg" | "min" | "max") => {
      const out = empty();
      for (const m of metrics) {
        const arr: (number | null)[] = new Array(t.length).fill(null);
        for (const p of data.series[m] ?? []) {
          const i = index.get(p.t);
          if (i !== undefined) arr[i] = p[k];
        }
        out[m] = arr;
      }
      return out;
    };
    if (range !== "live") return { t, avg: pick("avg"), min: pick("min"), max: pick("max") };
    // Live: the ring's backfill, then what arrived since (newer than the backfill's last point).
    const last = t.at(-1) ?? 0;
    const from = live.t.findIndex((x) => x > last);
    const avg = pick("avg");
    if (from < 0) return { t, avg };
    const tt = [...t, ...live.t.slice(from)];
    const keep = Math.max(0, tt.length - LIVE_POINTS);
    for (const m of CHART_METRICS) avg[m] = [...avg[m], ...live.v[m].slice(from)].slice(keep);
    return { t: tt.slice(keep), avg };
  }, [history.data, live, range, metrics.length]); // eslint-disable-line react-hooks/exhaustive-deps

  const xRange: [number, number] | undefined = range === "live" ? (columns?.t.length ? [Math.max(columns.t.at(-1)! - spec.ms, columns.t[0]!), columns.t.at(-1)!] : undefined) : [anchor - spec.ms, anchor];
  return { columns, tier: history.data?.tier ?? null, history, latest, xRange };
}
