"use client";

import { useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { LogViewer } from "./log-viewer";
import { LogStore } from "./log-store";
import { useTRPC, type HostSummary } from "../trpc";
import { buttonClass, cx, EmptyState, inputClass, LoadError } from "../ui";

type Params = { query: string; regex: boolean; caseSensitive: boolean; from?: string; to?: string; limit: number; containerIds?: string[] };

/** datetime-local (the reader's local time) → the 9-digit UTC form logs.search compares with. */
const toLogTs = (local: string) => (local ? new Date(local).toISOString().replace(/\.(\d{3})Z$/, ".$1000000Z") : undefined);

/**
 * Search over the logs the server retained (of running and removed containers), shown in the same
 * viewer as live lines. Scoped to the picked containers when there are any.
 */
export function RetainedSearch({ hosts, pickedContainerIds }: { hosts: HostSummary[]; pickedContainerIds: string[] }) {
  const trpc = useTRPC();
  const [form, setForm] = useState({ query: "", regex: false, caseSensitive: false, from: "", to: "", limit: 500, scoped: true });
  const [params, setParams] = useState<Params | null>(null);
  const search = useQuery({ ...trpc.logs.search.queryOptions(params ?? { query: "" }), enabled: params !== null });
  const hostName = useMemo(() => new Map(hosts.map((h) => [h.id, h.name])), [hosts]);
  const store = useMemo(() => {
    const s = new LogStore(10_000);
    const lines = search.data?.lines ?? [];
    const bySource = new Map<string, typeof lines>();
    for (const l of lines) {
      const key = `${l.hostId}/${l.containerId}`;
      bySource.set(key, [...(bySource.get(key) ?? []), l]);
    }
    for (const [key, group] of bySource) {
      const first = group[0]!;
      const id = s.sourceId({ key, hostId: first.hostId, hostName: hostName.get(first.hostId) ?? first.hostId, containerId: first.containerId, containerName: first.containerName.replace(/^\//, "") });
      s.insert(id, group.map(({ ts, stream, text }) => ({ ts, stream, text })));
    }
    return s;
  }, [search.data, hostName]);
  const small = cx(inputClass, "w-auto py-1 text-xs");
  return (
    <div className="space-y-2">
      <form
        aria-label="Search retained logs"
        className="flex flex-wrap items-end gap-2 text-xs"
        onSubmit={(e) => {
          e.preventDefault();
          setParams({
            query: form.query,
            regex: form.regex,
            caseSensitive: form.caseSensitive,
            from: toLogTs(form.from),
            to: toLogTs(form.to),
            limit: form.limit,
            containerIds: form.scoped && pickedContainerIds.length ? pickedContainerIds : undefined,
          });
        }}
      >
        <label className="flex flex-col gap-0.5">
          <span className="font-medium text-zinc-700 dark:text-zinc-300">Text or regex</span>
          <input value={form.query} onChange={(e) => setForm({ ...form, query: e.target.value })} className={cx(small, "w-64 font-mono")} placeholder="e.g. timeout|refused" />
        </label>
        <label className="inline-flex items-center gap-1 pb-1.5">
          <input type="checkbox" checked={form.regex} onChange={(e) => setForm({ ...form, regex: e.target.checked })} /> Regex
        </label>
        <label className="inline-flex items-center gap-1 pb-1.5">
          <input type="checkbox" checked={form.caseSensitive} onChange={(e) => setForm({ ...form, caseSensitive: e.target.checked })} /> Match case
        </label>
        <label className="flex flex-col gap-0.5">
          <span className="font-medium text-zinc-700 dark:text-zinc-300">From (local)</span>
          <input type="datetime-local" step={1} value={form.from} onChange={(e) => setForm({ ...form, from: e.target.value })} className={small} />
        </label>
        <label className="flex flex-col gap-0.5">
          <span className="font-medium text-zinc-700 dark:text-zinc-300">To (local)</span>
          <input type="datetime-local" step={1} value={form.to} onChange={(e) => setForm({ ...form, to: e.target.value })} className={small} />
        </label>
        <label className="flex flex-col gap-0.5">
          <span className="font-medium text-zinc-700 dark:text-zinc-300">At most</span>
          <select value={form.limit} onChange={(e) => setForm({ ...form, limit: Number(e.target.value) })} className={small}>
            {[500, 1000, 5000].map((n) => (
              <option key={n} value={n}>
                {n.toLocaleString()} lines
              </option>
            ))}
          </select>
        </label>
        <label className="inline-flex items-center gap-1 pb-1.5" title="Only the containers picked on the left">
          <input type="checkbox" checked={form.scoped && pickedContainerIds.length > 0} disabled={!pickedContainerIds.length} onChange={(e) => setForm({ ...form, scoped: e.target.checked })} /> Picked containers only ({pickedContainerIds.length})
        </label>
        <button type="submit" className={cx(buttonClass.primary, "py-1 text-xs")} disabled={search.isFetching}>
          {search.isFetching ? "Searching…" : "Search retained"}
        </button>
      </form>
      {search.isError ? (
        <LoadError title="Could not search retained logs" error={search.error} onRetry={() => search.refetch()} />
      ) : !params ? (
        <EmptyState title="Search what the server kept">Logs of containers under a retention rule are kept on the server, even after the container is gone.</EmptyState>
      ) : search.data && search.data.lines.length === 0 ? (
        <EmptyState title="No retained lines match">Scanned {search.data.scanned.toLocaleString()} retained lines.</EmptyState>
      ) : (
        <LogViewer
          store={store}
          tagged
          baseName="retained-logs"
          heightClass="h-[calc(100dvh-19rem)] min-h-[320px]"
          status={
            search.data && (
              <span data-testid="retained-summary">
                {search.data.lines.length.toLocaleString()} matches, newest first up to {params.limit.toLocaleString()}; scanned {search.data.scanned.toLocaleString()} lines{search.data.complete ? "" : " (stopped early: narrow the time range)"}
              </span>
            )
          }
        />
      )}
    </div>
  );
}
