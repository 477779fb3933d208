"use client";

import { useCallback, useEffect, useRef, useState, type ReactNode } from "react";
import { LogDetail } from "./log-detail";
import { LogRow, ROW_HEIGHT } from "./log-row";
import type { LogStore } from "./log-store";
import { StatusLine, Toolbar } from "./log-toolbar";
import { useLogView } from "./use-log-view";
import { VirtualRows, type VirtualRowsHandle } from "./virtual-rows";
import { cx } from "../ui";

/**
 * The log viewer: a toolbar (search, filters, follow/pause, download), the virtualised lines and the
 * selected line's details. Keyboard: "/" search, Enter / Shift+Enter next / previous match, "f" follow,
 * Esc clears the search or closes the details, ↑/↓ move the selection.
 */
export function LogViewer({ store, tagged, baseName, status, downloadExtra, heightClass = "h-[calc(100dvh-16rem)] min-h-[360px]" }: {
  store: LogStore;
  tagged: boolean;
  baseName: string;
  status?: ReactNode;
  downloadExtra?: ReactNode;
  heightClass?: string;
}) {
  const view = useLogView(store);
  const [pretty, setPretty] = useState(false);
  const search = useRef<HTMLInputElement>(null);
  const rows = useRef<VirtualRowsHandle | null>(null);
  const { jump, positionOfKey, setFollow, follow, setSelected, selected } = view;

  const reveal = useCallback((abs: number | null) => abs !== null && rows.current?.scrollToRow(positionOfKey(abs)), [positionOfKey]);
  const go = useCallback((dir: 1 | -1) => reveal(jump(dir)), [jump, reveal]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable)) return;
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === "/") {
        e.preventDefault();
        search.current?.focus();
        search.current?.select();
      } else if (e.key === "f") {
        setFollow(!follow);
      } else if (e.key === "Escape" && selected !== null) {
        setSelected(null);
      }
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [follow, setFollow, selected, setSelected]);

  const moveSelection = (delta: number) => {
    if (view.count === 0) return;
    const k = selected === null ? view.count - 1 : Math.max(0, Math.min(view.count - 1, positionOfKey(selected) + delta));
    const abs = view.keyOf(k);
    setSelected(abs);
    setFollow(false);
    reveal(abs);
  };

  return (
    <div className={cx("flex flex-col overflow-hidden rounded-lg border border-zinc-200 bg-white shadow-sm dark:border-zinc-800 dark:bg-zinc-950", heightClass)}>
      <Toolbar view={view} searchRef={search} go={go} tagged={tagged} baseName={baseName} downloadExtra={downloadExtra} />
      <StatusLine view={view} status={status} />
      <div className="relative min-h-0 flex-1">
        {store.size === 0 ? (
          <div className="flex h-full items-center justify-center text-zinc-500 dark:text-zinc-400">{status ? "No lines yet." : "No lines."}</div>
        ) : view.count === 0 ? (
          <div className="flex h-full items-center justify-center text-zinc-500 dark:text-zinc-400">{view.searching ? "Filtering…" : "No lines match the filters."}</div>
        ) : (
          <VirtualRows
            label="Log lines"
            className="h-full"
            count={view.count}
            rowHeight={ROW_HEIGHT}
            version={view.tick}
            follow={follow}
            onUserScrollAway={() => setFollow(false)}
            keyOf={view.keyOf}
            positionOfKey={positionOfKey}
            handleRef={(h) => (rows.current = h)}
            onKeyDown={(e) => {
              if (e.key === "ArrowDown" || e.key === "ArrowUp") {
                e.preventDefault();
                moveSelection(e.key === "ArrowDown" ? 1 : -1);
              }
            }}
            renderRow={(k) => {
              const i = view.indexAt(k);
              const abs = store.evicted + i;
              return (
                <LogRow
                  key={abs}
                  store={store}
                  i={i}
                  abs={abs}
                  version={view.tick}
                  matcher={view.matcher}
                  selected={selected === abs}
                  current={view.currentMatch === abs}
                  tagged={tagged}
                  onSelect={setSelected}
                />
              );
            }}
          />
        )}
        {!follow && (
          <button
            type="button"
            onClick={() => {
              setFollow(true);
              setSelected(null);
            }}
            className="absolute right-4 bottom-3 rounded-full bg-sky-600 px-3 py-1 text-xs font-medium text-white shadow-lg hover:bg-sky-700 dark:bg-sky-500 dark:text-zinc-950"
          >
            {view.newWhilePaused > 0 ? `${view.newWhilePaused.toLocaleString()} new lines ↓` : "Follow ↓"}
          </button>
        )}
      </div>
      {selected !== null && (
        <LogDetail store={store} abs={selected} matcher={view.matcher} tagged={tagged} pretty={pretty} setPretty={setPretty} onSelect={(a) => (setSelected(a), reveal(a))} onClose={() => setSelected(null)} />
      )}
    </div>
  );
}
