"use client";

import type { KeyboardEvent } from "react";
import { cx } from "../ui";
import { RANGES, type RangeId } from "./use-metric-series";

/** Live | 1 h | 24 h | 7 d | 90 d as a radio group (arrow keys move the choice). */
export function RangePicker({ value, onChange }: { value: RangeId; onChange: (r: RangeId) => void }) {
  const onKeyDown = (e: KeyboardEvent) => {
    const i = RANGES.findIndex((r) => r.id === value);
    const next = e.key === "ArrowRight" ? i + 1 : e.key === "ArrowLeft" ? i - 1 : null;
    if (next === null) return;
    e.preventDefault();
    const r = RANGES[(next + RANGES.length) % RANGES.length]!;
    onChange(r.id);
    (e.currentTarget.querySelector(`[data-range="${r.id}"]`) as HTMLElement | null)?.focus();
  };
  return (
    <div role="radiogroup" aria-label="Time range" onKeyDown={onKeyDown} className="inline-flex rounded-md border border-zinc-300 bg-white p-0.5 shadow-sm dark:border-zinc-700 dark:bg-zinc-900">
      {RANGES.map((r) => (
        <button
          key={r.id}
          type="button"
          role="radio"
          data-range={r.id}
          aria-checked={r.id === value}
          tabIndex={r.id === value ? 0 : -1}
          onClick={() => onChange(r.id)}
          className={cx(
            "rounded px-2.5 py-1 text-xs font-medium focus-visible:outline-2 focus-visible:outline-sky-500",
            r.id === value ? "bg-sky-600 text-white dark:bg-sky-500 dark:text-zinc-950" : "text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800",
          )}
        >
          {r.label}
        </button>
      ))}
    </div>
  );
}
