"use client";

import { useRef } from "react";
import { downloadName, exportBlobParts, saveBlob, type ExportFormat } from "./log-export";
import type { LogViewModel } from "./use-log-view";
import { buttonClass } from "../ui";

/** Download what is shown (after filters and "only matches") or everything loaded, as text or JSON Lines. */
export function LogDownloadMenu({ view, tagged, baseName, extra }: { view: LogViewModel; tagged: boolean; baseName: string; extra?: React.ReactNode }) {
  const ref = useRef<HTMLDetailsElement>(null);
  const save = (what: "shown" | "all", format: ExportFormat) => {
    const { store } = view;
    const parts =
      what === "shown" ? exportBlobParts(store, view.count, view.indexAt, format, tagged) : exportBlobParts(store, store.size, (k) => k, format, tagged);
    saveBlob(parts, format === "jsonl" ? "application/x-ndjson" : "text/plain;charset=utf-8", downloadName(`${baseName}-${what}`, format));
    if (ref.current) ref.current.open = false;
  };
  const item = "block w-full rounded px-2 py-1 text-left text-sm hover:bg-zinc-100 dark:hover:bg-zinc-800";
  return (
    <details ref={ref} className="relative">
      <summary className={`${buttonClass.secondary} cursor-pointer list-none py-1`}>Download</summary>
      <div role="menu" aria-label="Download logs" className="absolute right-0 z-20 mt-1 w-72 rounded-md border border-zinc-200 bg-white p-1 shadow-lg dark:border-zinc-700 dark:bg-zinc-900">
        <p className="px-2 pt-1 text-[11px] font-semibold text-zinc-500 uppercase">Shown ({view.count.toLocaleString()} lines)</p>
        <button type="button" role="menuitem" className={item} onClick={() => save("shown", "text")}>
          Shown lines as text (.log)
        </button>
        <button type="button" role="menuitem" className={item} onClick={() => save("shown", "jsonl")}>
          Shown lines as JSON Lines
        </button>
        <p className="px-2 pt-1 text-[11px] font-semibold text-zinc-500 uppercase">Loaded ({view.store.size.toLocaleString()} lines)</p>
        <button type="button" role="menuitem" className={item} onClick={() => save("all", "text")}>
          All loaded lines as text (.log)
        </button>
        <button type="button" role="menuitem" className={item} onClick={() => save("all", "jsonl")}>
          All loaded lines as JSON Lines
        </button>
        {extra}
      </div>
    </details>
  );
}
