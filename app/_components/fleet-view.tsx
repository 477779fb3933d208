"use client";

import { useQuery } from "@tanstack/react-query";
import { useSearchParams } from "next/navigation";
import { memo, useDeferredValue, useEffect, useId, useMemo, useRef, useState } from "react";
import { ContainersTable } from "./containers-table";
import { BulkBar, useBulkActions } from "./control/bulk-actions";
import { NewContainerButton } from "./control/new-container-button";
import { deriveFilterChoices, summariseRun, type FilterChoices } from "./fleet-filter-options";
import { matchesSearch } from "./fleet-search";
import { createHostRunMemo } from "./host-runs";
import { FleetTopPanel } from "./metrics/fleet-top-panel";
import { SparklineProvider } from "./metrics/sparklines-context";
import { trpcMessage, useTRPC, type ContainerState, type FleetContainer } from "./trpc";
import { buttonClass, ErrorBox, inputClass, RetryButton } from "./ui";
import { canSomewhere, NO_ACCESS_TEXT, useUser } from "./user";

const ALL = "";
const STATE_ORDER: ContainerState[] = ["running", "restarting", "paused", "created", "removing", "exited", "dead"];

export function FleetView() {
  const id = useId();
  const trpc = useTRPC();
  const params = useSearchParams();
  const containers = useQuery(trpc.containers.list.queryOptions());
  const hosts = useQuery(trpc.hosts.list.queryOptions());
  const readsSomeHost = canSomewhere(useUser().access, "container:read");

  const [q, setQ] = useState(() => params.get("q") ?? "");
  const [host, setHost] = useState(() => params.get("host") ?? ALL);
  const [state, setState] = useState(() => params.get("state") ?? ALL);
  const [image, setImage] = useState(() => params.get("image") ?? ALL);
  const searchRef = useRef<HTMLInputElement>(null);

  // Filters live in the URL (shareable, survive reloads); replaceState avoids a server round trip.
  useEffect(() => {
    const next = new URLSearchParams(window.location.search);
    const set = (k: string, v: string) => (v ? next.set(k, v) : next.delete(k));
    set("q", q.trim());
    set("host", host);
    set("state", state);
    set("image", image);
    const qs = next.toString();
    const url = `${window.location.pathname}${qs ? `?${qs}` : ""}${window.location.hash}`;
    if (url !== `${window.location.pathname}${window.location.search}${window.location.hash}`) window.history.replaceState(window.history.state, "", url);
  }, [q, host, state, image]);

  // "/" focuses the search box from anywhere on the page (unless typing somewhere else).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
      const t = e.target as HTMLElement | null;
      if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
      e.preventDefault();
      searchRef.current?.focus();
      searchRef.current?.select();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);

  const all = useMemo(() => containers.data ?? [], [containers.data]);

  // Per-host work is redone only for hosts whose containers changed (host-runs.ts).
  const [summariseRuns] = useState(() => createHostRunMemo(summariseRun));
  const runs = useMemo(() => summariseRuns(all), [summariseRuns, all]);
  const choicesRef = useRef<FilterChoices | null>(null);
  const choices = useMemo(() => (choicesRef.current = deriveFilterChoices(hosts.data ?? [], runs, choicesRef.current)), [hosts.data, runs]);
  const hostOptions = choices.hosts;
  const stateOptions = useMemo(() => STATE_ORDER.filter((s) => choices.states.has(s) || s === state), [choices.states, state]);
  const imageOptions = useMemo(() => (image && !choices.images.includes(image) ? [...choices.images, image].sort((a, b) => a.localeCompare(b)) : choices.images), [choices.images, image]);

  // Kept while their content is the same, so the memoised selects do not re-render thousands of options.
  const hostSelectOptions = useMemo(() => (host && !hostOptions.some(([hid]) => hid === host) ? [...hostOptions, [host, host] as const] : hostOptions), [hostOptions, host]);
  const stateSelectOptions = useMemo(() => stateOptions.map((s) => [s, s] as const), [stateOptions]);
  const imageSelectOptions = useMemo(() => imageOptions.map((i) => [i, i] as const), [imageOptions]);

  const needle = useDeferredValue(q.trim().toLowerCase());
  const filterRuns = useMemo(
    () => createHostRunMemo((run) => run.filter((c) => (!host || c.hostId === host) && (!state || c.state === state) && (!image || c.image === image) && matchesSearch(c, needle))),
    [host, state, image, needle],
  );
  const filtered = useMemo(() => filterRuns(all).flat(), [filterRuns, all]);
  const bulk = useBulkActions(filtered);
  const filtering = Boolean(q.trim() || host || state || image);
  const clear = () => {
    setQ("");
    setHost(ALL);
    setState(ALL);
    setImage(ALL);
  };

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-xl font-semibold tracking-tight">Fleet</h1>
          <p className="mt-0.5 text-zinc-600 dark:text-zinc-400">Every container on every host.</p>
        </div>
        <NewContainerButton hosts={hosts.data ?? []} />
      </div>

      <div role="search" className="flex flex-wrap items-end gap-3">
        <div className="w-full sm:w-80">
          <label htmlFor={`${id}-q`} className={filterLabelClass}>
            Search
          </label>
          <div className="relative">
            <input
              ref={searchRef}
              id={`${id}-q`}
              type="search"
              value={q}
              onChange={(e) => setQ(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === "Escape" && q) {
                  e.preventDefault();
                  setQ("");
                }
              }}
              placeholder="Name, image, id or label"
              autoComplete="off"
              spellCheck={false}
              aria-keyshortcuts="/"
              className={`${inputClass} h-8 py-1 pr-8`}
            />
            {!q && (
            <kbd
              aria-hidden="true"
              className="pointer-events-none absolute top-1/2 right-2 -translate-y-1/2 rounded border border-zinc-300 px-1 font-mono text-[10px] text-zinc-500 dark:border-zinc-600 dark:text-zinc-400"
            >
              /
            </kbd>
            )}
          </div>
        </div>
        <FilterSelect
          id={`${id}-host`}
          label="Host"
          widthClass="w-40"
          value={host}
          onChange={setHost}
          options={hostSelectOptions}
        />
        <FilterSelect id={`${id}-state`} label="State" widthClass="w-36" value={state} onChange={setState} options={stateSelectOptions} />
        <FilterSelect id={`${id}-image`} label="Image" widthClass="w-64" value={image} onChange={setImage} options={imageSelectOptions} />
        <div className="ml-auto flex items-center gap-3 pb-1.5">
          {filtering && (
            <button type="button" onClick={clear} className={buttonClass.ghost}>
              Clear filters
            </button>
          )}
          <p aria-live="polite" className="text-zinc-600 tabular-nums dark:text-zinc-400">
            {containers.isPending ? "Loading…" : `${filtered.length} of ${all.length} containers`}
          </p>
        </div>
      </div>

      <FleetTopPanel />

      <BulkBar bulk={bulk} />

      {containers.isError && !containers.data ? (
        <ErrorBox
          title="Could not load containers"
          action={
            <RetryButton onRetry={() => containers.refetch()} />
          }
        >
          {trpcMessage(containers.error)}
        </ErrorBox>
      ) : (
        <SparklineProvider hostIds={[...new Set(filtered.filter((c) => c.state === "running").map((c) => c.hostId))]}>
        <ContainersTable
          label="Fleet containers"
          containers={filtered}
          loading={containers.isPending}
          showHost
          selection={bulk.selection}
          rowStatus={bulk.statuses}
          empty={
            all.length === 0 ? (
              readsSomeHost ? "No containers reported yet. Hosts appear here once their agents connect." : NO_ACCESS_TEXT
            ) : (
              <>
                No containers match.{" "}
                <button type="button" onClick={clear} className="text-sky-700 underline underline-offset-2 dark:text-sky-400">
                  Clear filters
                </button>
              </>
            )
          }
        />
        </SparklineProvider>
      )}
    </div>
  );
}

const filterLabelClass = "mb-1 block text-xs font-medium text-zinc-600 dark:text-zinc-400";

/** One labelled filter: "All" first, then [value, label] options. */
const FilterSelect = memo(function FilterSelect(props: {
  id: string;
  label: string;
  widthClass: string;
  value: string;
  onChange: (value: string) => void;
  options: readonly (readonly [string, string])[];
}) {
  return (
    <div className={props.widthClass}>
      <label htmlFor={props.id} className={filterLabelClass}>
        {props.label}
      </label>
      <select id={props.id} value={props.value} onChange={(e) => props.onChange(e.target.value)} className={`${inputClass} h-8 py-1 pr-8`}>
        <option value={ALL}>All</option>
        {props.options.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
    </div>
  );
});
