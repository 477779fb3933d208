"use client";

import { useMemo } from "react";
import { fullTimestamp } from "../format";
import { useNow } from "../use-now";
import type { AlertItem } from "./alert-text";

/** The shortest window that shows every loaded alert of the last day. */
const WINDOWS = [1, 6, 24] as const;
const ROWS = 10;
const W = 960;
const ROW_H = 14;
const LABEL_W = 0;

type Lane = { key: string; label: string; spans: AlertItem[] };

/** When what was firing over the last 24 h: one lane per rule and subject (the most recent ones), from the alerts loaded below. */
export function AlertsChart({ items }: { items: AlertItem[] }) {
  const now = useNow();
  const dayAgo = (now || 0) - 24 * 3_600_000;
  const lanes = useMemo(() => toLanes(items, dayAgo), [items, dayAgo]);
  if (!now || lanes.length === 0) return null;
  const oldest = Math.min(...lanes.flatMap((l) => l.spans.map((s) => Date.parse(s.firedAt))));
  const hours = WINDOWS.find((h) => now - oldest <= h * 3_600_000) ?? 24;
  const from = now - hours * 3_600_000;
  const x = (ms: number) => Math.min(W - 3, LABEL_W + ((Math.max(ms, from) - from) / (now - from)) * (W - LABEL_W));
  const H = Math.max(1, lanes.length) * (ROW_H + 4);
  const firing = lanes.reduce((n, l) => n + l.spans.filter((s) => s.state === "firing").length, 0);
  const span = hours === 1 ? "hour" : `${hours} hours`;
  const summary = `${lanes.length} ${lanes.length === 1 ? "subject" : "subjects"} alerted in the last ${span}; ${firing} still firing.`;
  return (
    <figure className="space-y-1">
      <div className="grid grid-cols-[minmax(8rem,14rem)_1fr] gap-x-2">
        <div aria-hidden="true" className="space-y-1 pt-px">
          {lanes.map((l) => (
            <div key={l.key} className="truncate text-[11px] leading-[14px] text-zinc-600 dark:text-zinc-400" title={l.label}>
              {l.label}
            </div>
          ))}
        </div>
        <svg role="img" aria-label={`Alert timeline. ${summary}`} viewBox={`0 0 ${W} ${H}`} className="w-full" style={{ height: `${H}px` }} preserveAspectRatio="none">
          {[1, 2, 3].map((i) => (
            <line key={i} x1={(W * i) / 4} x2={(W * i) / 4} y1={0} y2={H} className="stroke-zinc-200 dark:stroke-zinc-800" strokeWidth={1} />
          ))}
          {lanes.map((l, row) =>
            l.spans.map((s) => {
              const start = Date.parse(s.firedAt);
              const end = s.resolvedAt ? Date.parse(s.resolvedAt) : now;
              const fill = s.state === "resolved" ? "fill-zinc-400 dark:fill-zinc-500" : s.acknowledgedAt ? "fill-amber-500" : "fill-red-500";
              return (
                <rect key={s.id} x={x(start)} y={row * (ROW_H + 4) + 2} width={Math.max(3, x(end) - x(start))} height={ROW_H - 2} rx={2} className={fill}>
                  <title>{`${l.label}: ${s.message} — ${fullTimestamp(start)} to ${s.resolvedAt ? fullTimestamp(end) : "now"}`}</title>
                </rect>
              );
            }),
          )}
        </svg>
      </div>
      <div aria-hidden="true" className="grid grid-cols-[minmax(8rem,14rem)_1fr] gap-x-2 text-[10px] text-zinc-500 dark:text-zinc-400">
        <span />
        <div className="flex justify-between">
          {[4, 3, 2, 1].map((q) => (hours === 1 ? `−${q * 15} min` : `−${(q * hours) / 4} h`)).concat("now").map((t) => (
            <span key={t}>{t}</span>
          ))}
        </div>
      </div>
      <figcaption className="flex flex-wrap items-center gap-x-3 text-xs text-zinc-600 dark:text-zinc-400">
        <span>{summary}</span>
        <Legend className="fill-red-500" label="firing" />
        <Legend className="fill-amber-500" label="acknowledged" />
        <Legend className="fill-zinc-400 dark:fill-zinc-500" label="resolved" />
      </figcaption>
    </figure>
  );
}

function Legend({ className, label }: { className: string; label: string }) {
  return (
    <span className="inline-flex items-center gap-1">
      <svg aria-hidden="true" viewBox="0 0 8 8" className="size-2">
        <rect width={8} height={8} rx={2} className={className} />
      </svg>
      {label}
    </span>
  );
}

function toLanes(items: AlertItem[], from: number): Lane[] {
  const lanes = new Map<string, Lane>();
  for (const a of items) {
    if (a.resolvedAt && Date.parse(a.resolvedAt) < from) continue;
    const key = `${a.ruleId ?? a.ruleName}|${a.hostId}|${a.containerId ?? ""}`;
    const lane = lanes.get(key) ?? { key, label: `${a.ruleName} · ${a.subject}`, spans: [] };
    lane.spans.push(a);
    lanes.set(key, lane);
  }
  return [...lanes.values()].slice(0, ROWS); // items come newest first, so these are the lanes with the latest alerts
}
