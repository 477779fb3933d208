"use client";

import { useMemo } from "react";
import { useNow } from "../use-now";
import { cx } from "../ui";
import { typeFill, type DockerEventItem } from "./event-format";

const MINUTES = 30;
const W = 600;
const H = 72;
const GAP = 2;

/** Stacked bars: events per minute by type over the last 30 minutes, from the events loaded on the page. */
export function EventsChart({ items }: { items: DockerEventItem[] }) {
  const now = useNow();
  const { buckets, types, max } = useMemo(() => bucketize(items, now || Date.now()), [items, now]);
  const total = buckets.reduce((n, b) => n + b.total, 0);
  const barW = W / MINUTES - GAP;
  const summary = `${total} events in the last ${MINUTES} minutes` + (types.length ? `: ${types.map((t) => `${t.count} ${t.type}`).join(", ")}` : "");
  return (
    <figure className="space-y-1.5">
      <svg role="img" aria-label={`Events per minute. ${summary}`} viewBox={`0 0 ${W} ${H + 1}`} className="h-20 w-full" preserveAspectRatio="none">
        <line x1={0} x2={W} y1={H + 0.5} y2={H + 0.5} className="stroke-zinc-300 dark:stroke-zinc-700" strokeWidth={1} />
        {buckets.map((b, i) => {
          let y = H;
          return (
            <g key={b.start}>
              <title>{`${new Date(b.start).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}: ${b.total} event${b.total === 1 ? "" : "s"}${b.total ? ` (${Object.entries(b.byType).map(([t, n]) => `${n} ${t}`).join(", ")})` : ""}`}</title>
              <rect x={i * (W / MINUTES)} y={0} width={barW + GAP} height={H} className="fill-transparent" />
              {Object.entries(b.byType).map(([type, n]) => {
                const h = Math.max(1, (n / max) * (H - 4));
                y -= h;
                return <rect key={type} x={i * (W / MINUTES) + GAP / 2} y={y} width={barW} height={h} className={typeFill(type)} />;
              })}
            </g>
          );
        })}
      </svg>
      <div aria-hidden="true" className="flex justify-between text-[10px] text-zinc-500 dark:text-zinc-400">
        <span>−{MINUTES} min</span>
        <span>now</span>
      </div>
      <figcaption className="flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-zinc-600 dark:text-zinc-400">
        <span className="tabular-nums">
          {total} in {MINUTES} min · peak {max === 1 && total === 0 ? 0 : max}/min
        </span>
        {types.map((t) => (
          <span key={t.type} className="inline-flex items-center gap-1">
            <svg aria-hidden="true" viewBox="0 0 8 8" className="size-2">
              <rect width={8} height={8} rx={2} className={cx(typeFill(t.type))} />
            </svg>
            {t.type} <span className="tabular-nums">{t.count}</span>
          </span>
        ))}
      </figcaption>
    </figure>
  );
}

function bucketize(items: DockerEventItem[], now: number) {
  const end = Math.floor(now / 60_000) * 60_000 + 60_000;
  const start = end - MINUTES * 60_000;
  const buckets = Array.from({ length: MINUTES }, (_, i) => ({ start: start + i * 60_000, total: 0, byType: {} as Record<string, number> }));
  const counts = new Map<string, number>();
  for (const e of items) {
    const t = Date.parse(e.time);
    if (t < start || t >= end) continue;
    const b = buckets[Math.floor((t - start) / 60_000)]!;
    b.total++;
    b.byType[e.type] = (b.byType[e.type] ?? 0) + 1;
    counts.set(e.type, (counts.get(e.type) ?? 0) + 1);
  }
  const max = Math.max(1, ...buckets.map((b) => b.total));
  const types = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([type, count]) => ({ type, count }));
  return { buckets, types, max };
}
