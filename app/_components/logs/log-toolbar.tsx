"use client";

import { useEffect, useRef, useState, type ReactNode } from "react";
import { LogDownloadMenu } from "./log-download-menu";
import { LEVELS } from "./log-level";
import { LEVEL_CLASS } from "./log-row";
import { ALL_LEVELS, ALL_STREAMS, type LogViewModel } from "./use-log-view";
import { cx, inputClass } from "../ui";

/** The viewer's toolbar (search, level and stream filters, follow, download) and its status line. */

const toggleClass = (on: boolean) =>
  cx(
    "rounded px-1.5 py-0.5 text-xs font-medium ring-1 ring-inset",
    on ? "bg-sky-100 text-sky-900 ring-sky-600/30 dark:bg-sky-500/20 dark:text-sky-100 dark:ring-sky-400/30" : "text-zinc-500 ring-zinc-300 hover:bg-zinc-100 dark:text-zinc-400 dark:ring-zinc-700 dark:hover:bg-zinc-800",
  );

export function Toolbar({ view, searchRef, go, tagged, baseName, downloadExtra }: {
  view: LogViewModel;
  searchRef: React.RefObject<HTMLInputElement | null>;
  go: (dir: 1 | -1) => void;
  tagged: boolean;
  baseName: string;
  downloadExtra?: ReactNode;
}) {
  const { query, setQuery } = view;
  const [text, setText] = useState(query.text);
  const latest = useRef(query);
  latest.current = query;
  // Typing is not searching: a million lines are scanned once the typist pauses.
  useEffect(() => {
    const t = setTimeout(() => text !== latest.current.text && setQuery({ ...latest.current, text }), 200);
    return () => clearTimeout(t);
  }, [text, setQuery]);
  const levelOn = (code: number) => (view.levelMask & (1 << code)) !== 0;
  // From "all": a click shows only that one; further clicks add or remove; none left means all again.
  const flip = (mask: number, all: number, bit: number) => (mask === all ? bit : mask ^ bit || all);
  const flipLevel = (code: number) => view.setLevelMask(flip(view.levelMask, ALL_LEVELS, 1 << code));
  const streamOn = (bit: number) => view.streamMask !== ALL_STREAMS && (view.streamMask & bit) !== 0;
  return (
    <div className="flex flex-wrap items-center gap-x-3 gap-y-1.5 border-b border-zinc-200 px-2 py-1.5 dark:border-zinc-800">
      <div className="flex items-center gap-1">
        <input
          ref={searchRef}
          type="search"
          aria-label="Search logs"
          placeholder="Search  ( / )"
          value={text}
          aria-invalid={view.searchError ? true : undefined}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter") {
              e.preventDefault();
              if (text !== query.text) setQuery({ ...query, text });
              else go(e.shiftKey ? -1 : 1);
            } else if (e.key === "Escape") {
              setText("");
              setQuery({ ...query, text: "" });
            }
          }}
          className={cx(inputClass, "w-64 py-1 font-mono text-xs", view.searchError && "border-red-500")}
        />
        <button type="button" aria-pressed={query.regex} title="Regular expression" className={toggleClass(query.regex)} onClick={() => setQuery({ ...query, text, regex: !query.regex })}>
          .*
        </button>
        <button type="button" aria-pressed={query.caseSensitive} title="Match case" className={toggleClass(query.caseSensitive)} onClick={() => setQuery({ ...query, text, caseSensitive: !query.caseSensitive })}>
          Aa
        </button>
        <button type="button" aria-label="Previous match" title="Previous match (Shift+Enter)" className={toggleClass(false)} disabled={!view.matchCount} onClick={() => go(-1)}>
          ↑
        </button>
        <button type="button" aria-label="Next match" title="Next match (Enter)" className={toggleClass(false)} disabled={!view.matchCount} onClick={() => go(1)}>
          ↓
        </button>
        <span aria-live="polite" className="min-w-24 text-xs text-zinc-600 tabular-nums dark:text-zinc-400">
          {view.searchError
            ? <span className="text-red-700 dark:text-red-400">{view.searchError}</span>
            : query.text
              ? `${view.matchPosition !== null ? `${view.matchPosition + 1} / ` : ""}${view.matchCount.toLocaleString()} match${view.matchCount === 1 ? "" : "es"}${view.searching ? ` (${Math.round(view.searchProgress * 100)}%)` : ""}`
              : ""}
        </span>
        <label className="inline-flex items-center gap-1 text-xs whitespace-nowrap">
          <input type="checkbox" checked={view.onlyMatches} onChange={(e) => view.setOnlyMatches(e.target.checked)} /> Only matches
        </label>
      </div>
      <div role="group" aria-label="Levels" className="flex items-center gap-1">
        {LEVELS.map((name, n) => (
          <button key={name} type="button" aria-pressed={levelOn(n + 1) && view.levelMask !== ALL_LEVELS} className={cx(toggleClass(levelOn(n + 1) && view.levelMask !== ALL_LEVELS), "uppercase", LEVEL_CLASS[name])} onClick={() => flipLevel(n + 1)}>
            {name}
          </button>
        ))}
        <button type="button" aria-pressed={levelOn(0) && view.levelMask !== ALL_LEVELS} title="Lines without a detected level" className={toggleClass(levelOn(0) && view.levelMask !== ALL_LEVELS)} onClick={() => flipLevel(0)}>
          none
        </button>
      </div>
      <div role="group" aria-label="Streams" className="flex items-center gap-1">
        <button type="button" aria-pressed={streamOn(1)} className={toggleClass(streamOn(1))} onClick={() => view.setStreamMask(flip(view.streamMask, ALL_STREAMS, 1))}>
          stdout
        </button>
        <button type="button" aria-pressed={streamOn(2)} className={toggleClass(streamOn(2))} onClick={() => view.setStreamMask(flip(view.streamMask, ALL_STREAMS, 2))}>
          stderr
        </button>
      </div>
      <div className="ml-auto flex items-center gap-2">
        <button type="button" aria-pressed={view.follow} title="Follow new lines (f)" className={toggleClass(view.follow)} onClick={() => view.setFollow(!view.follow)}>
          {view.follow ? "Following" : "Paused"}
        </button>
        <LogDownloadMenu view={view} tagged={tagged} baseName={baseName} extra={downloadExtra} />
      </div>
    </div>
  );
}

export function StatusLine({ view, status }: { view: LogViewModel; status?: ReactNode }) {
  const { store } = view;
  return (
    <div className="flex flex-wrap items-center gap-x-4 gap-y-1 border-b border-zinc-200 bg-zinc-50 px-2 py-1 text-xs text-zinc-600 dark:border-zinc-800 dark:bg-zinc-900/60 dark:text-zinc-400">
      <span className="tabular-nums" data-testid="log-counts">
        {store.size.toLocaleString()} lines loaded{view.count !== store.size ? `, ${view.count.toLocaleString()} shown` : ""}
      </span>
      <span className={cx("tabular-nums", store.evicted > 0 && "font-medium text-amber-700 dark:text-amber-300")} title="The viewer keeps a bounded number of lines so the tab's memory stays bounded.">
        Keeps the newest {store.capacity.toLocaleString()} lines · oldest lines discarded: {store.evicted.toLocaleString()}
      </span>
      {(store.dropped > 0 || store.gaps > 0) && (
        <span className="font-medium text-amber-700 tabular-nums dark:text-amber-300" data-testid="log-dropped" title="Marked in the lines where it happened">
          {store.dropped > 0 ? `Dropped upstream: ${store.dropped.toLocaleString()} lines` : ""}
          {store.dropped > 0 && store.gaps > 0 ? " · " : ""}
          {store.gaps > 0 ? `${store.gaps} gap${store.gaps === 1 ? "" : "s"}` : ""}
        </span>
      )}
      {status && <span className="ml-auto flex flex-wrap items-center gap-2">{status}</span>}
    </div>
  );
}
