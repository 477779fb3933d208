"use client";

import { useEffect, useRef, useState } from "react";
import type uPlotType from "uplot";
import "uplot/dist/uPlot.min.css";
import "./charts.css";
import { axisValue, formatValue, type Unit } from "./units";

export type ChartSeries = {
  label: string;
  color: string;
  values: (number | null)[];
  /** With min and max, the range of each bucket is drawn as a band around the line (history tiers). */
  min?: (number | null)[];
  max?: (number | null)[];
};

/** Follows the html "dark" class (the theme toggle flips it without a reload). */
function useDark(): boolean {
  const [dark, setDark] = useState(false);
  useEffect(() => {
    const el = document.documentElement;
    const update = () => setDark(el.classList.contains("dark"));
    update();
    const obs = new MutationObserver(update);
    obs.observe(el, { attributes: true, attributeFilter: ["class"] });
    return () => obs.disconnect();
  }, []);
  return dark;
}

const withAlpha = (hex: string, alpha: number) => `${hex}${Math.round(alpha * 255).toString(16).padStart(2, "0")}`;

/**
 * A time series chart on canvas (uPlot: thousands of points redraw in a millisecond or two). Times are
 * milliseconds; the y axis and the legend speak the unit. Rebuilt only when the theme or the set of
 * series changes; new data is pushed with setData.
 */
export function TimeChart({ title, unit, t, series, height = 150, yMax, xRange }: {
  title: string;
  unit: Unit;
  t: number[];
  series: ChartSeries[];
  height?: number;
  /** A fixed top (100 for percentages); otherwise the axis fits the data. */
  yMax?: number;
  xRange?: [number, number];
}) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlotType | null>(null);
  const dark = useDark();
  const shape = series.map((s) => `${s.label}:${s.min ? "band" : "line"}`).join(",");
  const latest = useRef({ t, series, xRange });
  latest.current = { t, series, xRange };

  useEffect(() => {
    let cancelled = false;
    let observer: ResizeObserver | null = null;
    void import("uplot").then(({ default: uPlot }) => {
      if (cancelled || !box.current) return;
      const axis = dark ? "#a1a1aa" : "#52525b";
      const grid = dark ? "#27272a" : "#e4e4e7";
      const ss = latest.current.series;
      const uSeries: uPlotType.Series[] = [{}];
      const bands: uPlotType.Band[] = [];
      for (const s of ss) {
        uSeries.push({ label: s.label, stroke: s.color, width: 1.5, points: { show: false }, value: (_u, v) => formatValue(v, unit) });
        if (s.min && s.max) {
          const lineIdx = uSeries.length - 1;
          uSeries.push({ label: `${s.label} max`, stroke: "transparent", width: 0, points: { show: false }, value: (_u, v) => formatValue(v, unit) });
          uSeries.push({ label: `${s.label} min`, stroke: "transparent", width: 0, points: { show: false }, value: (_u, v) => formatValue(v, unit) });
          bands.push({ series: [lineIdx + 1, lineIdx + 2], fill: withAlpha(s.color, 0.15) });
        }
      }
      const opts: uPlotType.Options = {
        width: box.current.clientWidth || 400,
        height,
        series: uSeries,
        bands,
        cursor: { drag: { x: false, y: false }, points: { size: 5 } },
        legend: { show: true, live: true },
        scales: {
          x: { time: true, range: (_u, min, max) => (latest.current.xRange ? [latest.current.xRange[0] / 1000, latest.current.xRange[1] / 1000] : [min, max]) },
          y: { range: (_u, _min, max) => [0, Math.max(yMax ?? 0, unit === "count" ? Math.max(4, Math.ceil(max * 1.25)) : max > 0 ? max * 1.1 : unit === "percent" ? 1 : 1024)] },
        },
        axes: [
          { stroke: axis, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 }, font: "11px system-ui, sans-serif", space: 70, values: (u, vals) => timeLabels(u, vals) },
          { stroke: axis, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 }, font: "11px system-ui, sans-serif", size: unit === "bytes" || unit === "bytesPerSecond" ? 78 : 52, values: (_u, vals) => vals.map((v) => axisValue(v, unit)) },
        ],
      };
      plot.current?.destroy();
      plot.current = new uPlot(opts, toData(latest.current.t, ss), box.current);
      observer = new ResizeObserver(() => {
        if (box.current && plot.current) plot.current.setSize({ width: box.current.clientWidth, height });
      });
      observer.observe(box.current);
    });
    return () => {
      cancelled = true;
      observer?.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, [dark, shape, height, unit, yMax]);

  useEffect(() => {
    plot.current?.setData(toData(t, series));
  }, [t, series, xRange]);

  const now = series.map((s) => `${s.label} ${formatValue(s.values.findLast((v) => v != null), unit)}`).join(", ");
  return (
    <figure className="portolan-chart min-w-0 rounded-lg border border-zinc-200 bg-white p-3 shadow-sm dark:border-zinc-800 dark:bg-zinc-900" aria-label={title} data-points={t.length}>
      <figcaption className="mb-1 flex items-baseline justify-between gap-2 text-xs">
        <span className="font-semibold text-zinc-800 dark:text-zinc-200">{title}</span>
        <span className="truncate text-zinc-500 tabular-nums dark:text-zinc-400" data-testid="chart-now">
          {t.length ? now : "no data yet"}
        </span>
      </figcaption>
      <div ref={box} style={{ minHeight: height }} role="img" aria-label={`${title}: ${t.length ? now : "no data yet"}`} />
    </figure>
  );
}

const clock = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
const clockSeconds = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" });
const day = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric" });
const dayTime = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });

/** Tick labels that fit the span on screen: seconds for minutes, times for hours, dates for weeks. */
function timeLabels(u: uPlotType, vals: number[]): string[] {
  const span = (u.scales.x!.max ?? 0) - (u.scales.x!.min ?? 0);
  const fmt = span <= 20 * 60 ? clockSeconds : span <= 36 * 3600 ? clock : span <= 10 * 86_400 ? dayTime : day;
  return vals.map((v) => fmt.format(new Date(v * 1000)));
}

function toData(t: number[], series: ChartSeries[]): uPlotType.AlignedData {
  const cols: (number | null)[][] = [];
  for (const s of series) {
    cols.push(s.values);
    if (s.min && s.max) cols.push(s.max, s.min);
  }
  return [t.map((x) => x / 1000), ...cols] as uPlotType.AlignedData;
}
