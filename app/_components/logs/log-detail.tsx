"use client";

import { useState } from "react";
import { displayText } from "./ansi";
import { prettyJson } from "./json-line";
import { levelName } from "./log-level";
import type { Matcher } from "./log-search";
import type { LogStore } from "./log-store";
import { AnsiText, segmentsOf } from "./log-text";
import { localTime, timeTooltip } from "./log-time";
import { SourceChip } from "./log-row";
import { buttonClass, cx, smallButtonClass } from "../ui";

/** How much of one line the detail pane draws (a 1 MB line is still searchable and downloadable whole). */
const DETAIL_CHARS = 100_000;
const CONTEXT_SIZES = [3, 10, 25] as const;

/**
 * The selected line in full: wrapped, colours rendered, JSON pretty-printed on demand, and the lines
 * around it (from everything loaded, ignoring filters) so a match can be read in context.
 */
export function LogDetail({ store, abs, matcher, tagged, pretty, setPretty, onSelect, onClose }: {
  store: LogStore;
  abs: number;
  matcher: Matcher | null;
  tagged: boolean;
  pretty: boolean;
  setPretty: (on: boolean) => void;
  onSelect: (abs: number) => void;
  onClose: () => void;
}) {
  const [context, setContext] = useState<number>(3);
  const i = abs - store.evicted;
  if (i < 0 || i >= store.size) {
    return (
      <aside aria-label="Line details" className="border-t border-zinc-200 p-3 text-zinc-600 dark:border-zinc-800 dark:text-zinc-400">
        This line is no longer loaded (the oldest lines were discarded).{" "}
        <button type="button" className={smallButtonClass.ghost} onClick={onClose}>
          Close
        </button>
      </aside>
    );
  }
  const raw = store.textAt(i);
  const marker = store.markerAt(i);
  const json = pretty && !marker ? prettyJson(displayText(raw)) : null;
  const cut = raw.length > DETAIL_CHARS;
  const segments = segmentsOf(raw, DETAIL_CHARS);
  const shown = segments.map((s) => s.text).join("");
  const level = levelName(store.levelAt(i));
  const src = store.sourceAt(i);
  const from = Math.max(0, i - context);
  const to = Math.min(store.size, i + context + 1);
  return (
    <aside aria-label="Line details" className="flex max-h-[45vh] min-h-40 flex-col border-t border-zinc-200 dark:border-zinc-800">
      <div className="flex flex-wrap items-center gap-2 border-b border-zinc-200 bg-zinc-50 px-3 py-1.5 text-xs dark:border-zinc-800 dark:bg-zinc-900/60">
        <span className="font-mono tabular-nums" title={timeTooltip(store.msAt(i), store.nsAt(i))}>
          {store.tsAt(i)}
        </span>
        {!marker && <span className={cx("font-semibold uppercase", store.streamAt(i) === "stderr" && "text-red-700 dark:text-red-400")}>{store.streamAt(i)}</span>}
        {level && <span className="uppercase">{level}</span>}
        {tagged && src && <SourceChip id={store.sourceIdAt(i)} text={`${src.hostName}/${src.containerName}`} />}
        <span className="text-zinc-500 tabular-nums dark:text-zinc-400">{raw.length.toLocaleString()} chars{store.truncatedAt(i) ? " (cut by the agent)" : ""}</span>
        <label className="ml-auto inline-flex items-center gap-1">
          <input type="checkbox" checked={pretty} onChange={(e) => setPretty(e.target.checked)} /> Pretty JSON
        </label>
        <label className="inline-flex items-center gap-1">
          Context
          <select aria-label="Context lines" value={context} onChange={(e) => setContext(Number(e.target.value))} className="rounded border border-zinc-300 bg-white px-1 py-0.5 dark:border-zinc-700 dark:bg-zinc-900">
            {CONTEXT_SIZES.map((n) => (
              <option key={n} value={n}>
                ±{n}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className={buttonClass.ghost} onClick={onClose} aria-label="Close line details">
          ✕
        </button>
      </div>
      <div className="grid min-h-0 flex-1 gap-0 md:grid-cols-2">
        <div className="min-h-0 overflow-auto p-3">
          {json ? (
            <pre aria-label="Pretty-printed JSON" className="font-mono text-xs whitespace-pre-wrap text-zinc-900 dark:text-zinc-100">
              {json.prefix && <span className="text-zinc-500">{json.prefix}</span>}
              {json.json}
            </pre>
          ) : (
            <pre aria-label="Full line" className="font-mono text-xs break-all whitespace-pre-wrap text-zinc-900 dark:text-zinc-100">
              <AnsiText segments={segments} ranges={matcher ? matcher.ranges(shown) : null} />
            </pre>
          )}
          {pretty && !json && !marker && <p className="mt-2 text-xs text-zinc-500 dark:text-zinc-400">Not a JSON line.</p>}
          {cut && <p className="mt-2 text-xs text-zinc-500 dark:text-zinc-400">Showing the first {DETAIL_CHARS.toLocaleString()} characters; downloads contain the whole line.</p>}
        </div>
        <ol aria-label="Context" className="min-h-0 overflow-auto border-t border-zinc-200 py-1 md:border-t-0 md:border-l dark:border-zinc-800">
          {Array.from({ length: to - from }, (_, k) => {
            const j = from + k;
            const text = displayText(store.textAt(j).slice(0, 400));
            return (
              <li key={j}>
                <button
                  type="button"
                  onClick={() => onSelect(store.evicted + j)}
                  aria-current={j === i ? "true" : undefined}
                  className={cx(
                    "flex w-full gap-2 px-3 text-left font-mono text-[11px] leading-[18px] whitespace-pre hover:bg-zinc-100 dark:hover:bg-zinc-800",
                    j === i && "bg-sky-100 dark:bg-sky-500/20",
                  )}
                >
                  <span className="shrink-0 text-zinc-500 tabular-nums">{localTime(store.msAt(j))}</span>
                  <span className="truncate">{text}</span>
                </button>
              </li>
            );
          })}
        </ol>
      </div>
    </aside>
  );
}
