"use client";

import { memo } from "react";
import { displayText } from "./ansi";
import { levelName } from "./log-level";
import type { Matcher } from "./log-search";
import type { LogStore } from "./log-store";
import { AnsiText, limitSegments, segmentsOf } from "./log-text";
import { localTime, timeTooltip } from "./log-time";
import { cx } from "../ui";

export const ROW_HEIGHT = 18;
/** Characters of one line drawn in a row; the whole line is in the detail pane. */
export const ROW_CHARS = 2000;

export const LEVEL_CLASS: Record<string, string> = {
  error: "text-red-700 dark:text-red-400",
  warn: "text-amber-700 dark:text-amber-300",
  info: "text-sky-700 dark:text-sky-400",
  debug: "text-zinc-500 dark:text-zinc-400",
  trace: "text-zinc-400 dark:text-zinc-500",
};

const SOURCE_CLASS = [
  "bg-sky-100 text-sky-900 dark:bg-sky-500/20 dark:text-sky-200",
  "bg-violet-100 text-violet-900 dark:bg-violet-500/20 dark:text-violet-200",
  "bg-emerald-100 text-emerald-900 dark:bg-emerald-500/20 dark:text-emerald-200",
  "bg-amber-100 text-amber-900 dark:bg-amber-500/20 dark:text-amber-200",
  "bg-rose-100 text-rose-900 dark:bg-rose-500/20 dark:text-rose-200",
  "bg-teal-100 text-teal-900 dark:bg-teal-500/20 dark:text-teal-200",
  "bg-fuchsia-100 text-fuchsia-900 dark:bg-fuchsia-500/20 dark:text-fuchsia-200",
  "bg-lime-100 text-lime-900 dark:bg-lime-500/20 dark:text-lime-200",
];
export const sourceClass = (id: number) => SOURCE_CLASS[id % SOURCE_CLASS.length]!;

type RowProps = {
  store: LogStore;
  i: number;
  abs: number;
  version: number;
  matcher: Matcher | null;
  selected: boolean;
  current: boolean;
  tagged: boolean;
  onSelect: (abs: number) => void;
};

/** One log line (or a drop/gap marker) in a fixed-height row. Memoised: rows in view redraw only when their line changes. */
export const LogRow = memo(function LogRow({ store, i, abs, matcher, selected, current, tagged, onSelect }: RowProps) {
  const ms = store.msAt(i);
  const ns = store.nsAt(i);
  const marker = store.markerAt(i);
  const src = store.sourceAt(i);
  const base = "flex h-[18px] cursor-default items-center gap-2 px-2 font-mono text-[12px] leading-[18px] whitespace-pre";
  if (marker) {
    const text =
      marker.marker === "dropped"
        ? `⚠ ${marker.count !== undefined ? `${marker.count.toLocaleString()} lines dropped here` : "lines dropped here"}: ${displayText(marker.message)}`
        : `⚠ Gap: ${displayText(marker.message)}`;
    return (
      <div
        data-abs={abs}
        data-marker={marker.marker}
        onClick={() => onSelect(abs)}
        className={cx(base, "bg-amber-100 font-sans font-medium text-amber-900 dark:bg-amber-500/15 dark:text-amber-200", selected && "ring-2 ring-sky-500 ring-inset")}
      >
        <span className="w-[8.75rem] shrink-0 text-amber-800/80 tabular-nums dark:text-amber-200/70" title={timeTooltip(ms, ns)}>
          {localTime(ms)}
        </span>
        {tagged && src && <SourceChip id={store.sourceIdAt(i)} text={`${src.hostName}/${src.containerName}`} />}
        <span className="truncate">{text}</span>
      </div>
    );
  }
  const stderr = store.streamAt(i) === "stderr";
  const level = levelName(store.levelAt(i));
  const raw = store.textAt(i);
  const { segments, omitted } = limitSegments(segmentsOf(raw, ROW_CHARS * 2), ROW_CHARS);
  const shown = segments.map((s) => s.text).join("");
  const hidden = raw.length > ROW_CHARS * 2 ? raw.length - shown.length : omitted;
  const ranges = matcher ? matcher.ranges(shown) : null;
  return (
    <div
      data-abs={abs}
      data-stream={stderr ? "stderr" : "stdout"}
      data-level={level ?? undefined}
      onClick={() => onSelect(abs)}
      className={cx(
        base,
        "border-l-2",
        stderr ? "border-red-500 bg-red-50/60 dark:bg-red-500/5" : "border-transparent",
        selected ? "bg-sky-100 dark:bg-sky-500/20" : "hover:bg-zinc-100 dark:hover:bg-zinc-800/60",
        current && "ring-1 ring-orange-500 ring-inset",
      )}
    >
      <span className="w-[8.75rem] shrink-0 text-zinc-500 tabular-nums dark:text-zinc-500" title={timeTooltip(ms, ns)}>
        {localTime(ms)}
      </span>
      <span className={cx("w-7 shrink-0 text-[10px] uppercase", stderr ? "font-semibold text-red-700 dark:text-red-400" : "text-zinc-400 dark:text-zinc-600")} title={stderr ? "stderr" : "stdout"}>
        {stderr ? "err" : "out"}
      </span>
      <span className={cx("w-10 shrink-0 text-[10px] font-semibold uppercase", level ? LEVEL_CLASS[level] : "")}>{level ?? ""}</span>
      {tagged && src && <SourceChip id={store.sourceIdAt(i)} text={`${src.hostName}/${src.containerName}`} />}
      <span className="min-w-0 flex-1 overflow-hidden text-ellipsis text-zinc-900 dark:text-zinc-200">
        <AnsiText segments={segments} ranges={ranges && ranges.length ? ranges : null} current={current} />
      </span>
      {(hidden > 0 || store.truncatedAt(i)) && (
        <span className="shrink-0 rounded bg-zinc-200 px-1 font-sans text-[10px] text-zinc-700 dark:bg-zinc-700 dark:text-zinc-200">
          {store.truncatedAt(i) ? "truncated" : `+${hidden.toLocaleString()} chars`}
        </span>
      )}
    </div>
  );
});

export function SourceChip({ id, text }: { id: number; text: string }) {
  return (
    <span className={cx("max-w-[16rem] shrink-0 truncate rounded px-1.5 font-sans text-[11px] leading-4 font-medium", sourceClass(id))} title={text}>
      {text}
    </span>
  );
}
