"use client";

import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useCallback, useEffect, useId, useMemo, useRef, useState } from "react";
import { useTRPC } from "../trpc";
import { buttonClass, DataTable, inputClass, labelClass, LoadError, PagedFooter } from "../ui";
import { EventRow, LiveStatus } from "./event-row";
import { EventsChart } from "./events-chart";
import { EVENT_TYPES, matchesFilter, type DockerEventItem } from "./event-format";
import { useLiveEvents } from "./use-live-events";

const PAGE = 200;
const MAX_LIVE = 2_000;

type Filter = { hostId?: string; type?: string; action?: string };

/**
 * The engine events timeline: newest on top, live, filterable, with a per-minute chart. Fleet-wide
 * (the /events page) or fixed to one host (the host page's panel).
 */
export function EventsTimeline({ hostId: fixedHost, shortcuts = false }: { hostId?: string; shortcuts?: boolean }) {
  const id = useId();
  const trpc = useTRPC();
  const hosts = useQuery({ ...trpc.hosts.list.queryOptions(), enabled: !fixedHost });
  const [host, setHost] = useState("");
  const [type, setType] = useState("");
  const [actionText, setActionText] = useState("");
  const action = useDebounced(actionText.trim(), 300);
  const filter: Filter = useMemo(
    () => ({ hostId: fixedHost ?? (host || undefined), type: type || undefined, action: action || undefined }),
    [fixedHost, host, type, action],
  );

  const list = useInfiniteQuery({
    ...trpc.events.list.infiniteQueryOptions({ ...filter, limit: PAGE }, { getNextPageParam: (last) => last.nextCursor ?? undefined }),
    refetchOnWindowFocus: false, // the live feed keeps the first page current
  });

  const [live, setLive] = useState<DockerEventItem[]>([]);
  const [held, setHeld] = useState<DockerEventItem[]>([]);
  const [paused, setPaused] = useState(false);
  const pausedRef = useRef(paused);
  pausedRef.current = paused;
  const filterRef = useRef(filter);
  filterRef.current = filter;

  // A new filter starts from the server's answer; live events kept so far may not match it.
  useEffect(() => {
    setLive([]);
    setHeld([]);
  }, [filter]);

  const onEvents = useCallback((items: DockerEventItem[]) => {
    const fresh = items.filter((e) => matchesFilter(e, filterRef.current)).reverse();
    if (fresh.length === 0) return;
    if (pausedRef.current) setHeld((h) => [...fresh, ...h].slice(0, MAX_LIVE));
    else setLive((l) => [...fresh, ...l].slice(0, MAX_LIVE));
  }, []);
  const onReconnect = useCallback(() => {
    setLive([]);
    void list.refetch();
  }, [list]);
  const liveState = useLiveEvents(filter.hostId, onEvents, onReconnect);

  const togglePause = useCallback(() => {
    if (pausedRef.current) {
      setLive((l) => [...held, ...l].slice(0, MAX_LIVE));
      setHeld([]);
    }
    setPaused((p) => !p);
  }, [held]);

  const items = useMemo(() => {
    const seen = new Set<number>();
    const out: DockerEventItem[] = [];
    for (const e of [...live, ...(list.data?.pages.flatMap((p) => p.items) ?? [])]) {
      if (seen.has(e.id)) continue;
      seen.add(e.id);
      out.push(e);
    }
    return out.sort((a, b) => (a.time === b.time ? b.id - a.id : a.time < b.time ? 1 : -1));
  }, [live, list.data]);

  const actionRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (!shortcuts) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const t = e.target as HTMLElement | null;
      if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
      if (e.key === "/") {
        e.preventDefault();
        actionRef.current?.focus();
      } else if (e.key === "p") {
        e.preventDefault();
        togglePause();
      }
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [shortcuts, togglePause]);

  const filtering = Boolean(filter.type || filter.action || (!fixedHost && filter.hostId));
  const small = `${inputClass} h-8 py-1`;
  const showHost = !fixedHost;
  const columns = showHost ? ["Time", "Host", "Type", "Action", "Actor", "Details"] : ["Time", "Type", "Action", "Actor", "Details"];

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-end gap-3">
        <form role="search" aria-label="Filter events" onSubmit={(e) => e.preventDefault()} className="flex flex-wrap items-end gap-3">
          {showHost && (
            <div className="w-44">
              <label htmlFor={`${id}-host`} className={labelClass}>
                Host
              </label>
              <select id={`${id}-host`} value={host} onChange={(e) => setHost(e.target.value)} className={small}>
                <option value="">All hosts</option>
                {(hosts.data ?? []).map((h) => (
                  <option key={h.id} value={h.id}>
                    {h.name}
                  </option>
                ))}
              </select>
            </div>
          )}
          <div className="w-36">
            <label htmlFor={`${id}-type`} className={labelClass}>
              Type
            </label>
            <select id={`${id}-type`} value={type} onChange={(e) => setType(e.target.value)} className={small}>
              <option value="">All types</option>
              {EVENT_TYPES.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
          </div>
          <div className="w-48">
            <label htmlFor={`${id}-action`} className={labelClass}>
              Action
            </label>
            <input
              ref={actionRef}
              id={`${id}-action`}
              type="search"
              value={actionText}
              onChange={(e) => setActionText(e.target.value)}
              placeholder="contains…"
              autoComplete="off"
              spellCheck={false}
              className={`${small} font-mono`}
            />
          </div>
          {filtering && (
            <button type="button" className={`${buttonClass.ghost} h-8`} onClick={() => (setHost(""), setType(""), setActionText(""))}>
              Clear
            </button>
          )}
        </form>
        <div className="ml-auto flex items-center gap-2">
          <LiveStatus state={liveState} paused={paused} held={held.length} />
          <button type="button" aria-pressed={paused} className={`${buttonClass.secondary} h-8`} onClick={togglePause} title={shortcuts ? "Pause or resume live updates (p)" : undefined}>
            {paused ? `Resume${held.length ? ` (${held.length} new)` : ""}` : "Pause"}
          </button>
        </div>
      </div>

      <div className="rounded-lg border border-zinc-200 bg-white px-3 pt-2 pb-2 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
        <EventsChart items={items} />
      </div>

      {list.isError && !list.data ? (
        <LoadError title="Could not load events" error={list.error} onRetry={() => list.refetch()} />
      ) : (
        <>
          <DataTable
            label={fixedHost ? "Host events" : "Events"}
            columns={columns}
            busy={list.isPending}
            skeletonRows={6}
            wrapClass={fixedHost ? "max-h-[60dvh]" : "max-h-[calc(100dvh-22rem)] min-h-48"}
            empty={
              items.length === 0 &&
              (filtering ? "No events match these filters." : "No engine events yet. They appear here as they happen: start, stop or create a container, volume or network.")
            }
          >
            {items.map((e) => (
              <EventRow key={e.id} e={e} showHost={showHost} />
            ))}
          </DataTable>
          <PagedFooter query={list} count={items.length} noun={["event", "events"]} moreText="older ones exist" loadLabel="Load older" errorTitle="Could not load older events" />
        </>
      )}
    </div>
  );
}

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}
