"use client";

import { useState } from "react";
import { LogStore } from "./log-store";
import { downloadName, exportBlobParts, saveBlob, type ExportFormat } from "./log-export";
import type { ViewerOptions } from "./log-subscriptions";
import { trpcMessage, useTRPCClient } from "../trpc";

/** Most lines logs.read returns in one call. */
const ENGINE_READ_MAX = 10_000;

/**
 * Download menu entries for one container beyond what the viewer loaded: the newest lines the engine
 * (or the server's retained copy) holds for the chosen since/until, read with logs.read.
 */
export function EngineDownload({ hostId, containerId, containerName, options }: { hostId: string; containerId: string; containerName: string; options: ViewerOptions }) {
  const client = useTRPCClient();
  const [state, setState] = useState<string | null>(null);
  const save = async (format: ExportFormat) => {
    setState("Reading…");
    try {
      const res = await client.logs.read.query({ hostId, containerId, tail: ENGINE_READ_MAX, since: options.since, until: options.until });
      const store = new LogStore(ENGINE_READ_MAX);
      store.insert(store.sourceId({ key: containerId, hostId, hostName: hostId, containerId, containerName }), res.lines);
      saveBlob(exportBlobParts(store, store.size, (k) => k, format, false), format === "jsonl" ? "application/x-ndjson" : "text/plain;charset=utf-8", downloadName(`${containerName}-engine`, format));
      setState(res.truncated ? `Saved the newest ${store.size.toLocaleString()} lines (more exist).` : `Saved ${store.size.toLocaleString()} lines.`);
    } catch (err) {
      setState(trpcMessage(err));
    }
  };
  const item = "block w-full rounded px-2 py-1 text-left text-sm hover:bg-zinc-100 dark:hover:bg-zinc-800";
  return (
    <>
      <p className="px-2 pt-1 text-[11px] font-semibold text-zinc-500 uppercase">From the engine (newest {ENGINE_READ_MAX.toLocaleString()})</p>
      <button type="button" role="menuitem" className={item} onClick={() => void save("text")}>
        Whole range as text (.log)
      </button>
      <button type="button" role="menuitem" className={item} onClick={() => void save("jsonl")}>
        Whole range as JSON Lines
      </button>
      {state && <p role="status" className="px-2 py-1 text-xs text-zinc-600 dark:text-zinc-400">{state}</p>}
    </>
  );
}
