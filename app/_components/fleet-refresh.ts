"use client";

import type { Query, QueryClient } from "@tanstack/react-query";
import type { useTRPC, useTRPCClient, FleetContainer, HostSummary } from "./trpc";

type Trpc = ReturnType<typeof useTRPC>;
/** A "fleet:changed" entry; `host` / `containers` are the host's new state when the server sent it. */
export type PushedChange = { hostId: string; kinds: string[]; host?: HostSummary; containers?: FleetContainer[] };
type Client = ReturnType<typeof useTRPCClient>;

/**
 * Past this many changed hosts since the last refresh, one refetch of the whole lists is cheaper than
 * per-host reads. Kept high: on a busy server a refresh takes seconds, changes pile up meanwhile, and a
 * low limit turned every refresh into a whole-fleet read that took longer still (bench/fleet-scale.ts).
 */
const PER_HOST_LIMIT = 400;
/** Per-host reads per batched request (the batch travels in the URL of one GET). */
const READS_PER_REQUEST = 50;

/** `read` of every id, at most READS_PER_REQUEST in one batched request at a time. */
async function readInChunks<T>(ids: readonly string[], read: (id: string) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += READS_PER_REQUEST) out.push(...(await Promise.all(ids.slice(i, i + READS_PER_REQUEST).map(read))));
  return out;
}

const collator = new Intl.Collator();
const byHostThenName = (a: FleetContainer, b: FleetContainer) => collator.compare(a.hostName, b.hostName) || collator.compare(a.name, b.name);

/** The fleet-wide list with one host's containers replaced by `fresh` (kept in the list's order). */
export function mergeHostContainers(list: readonly FleetContainer[], hostId: string, fresh: readonly FleetContainer[]): FleetContainer[] {
  return mergeHostsContainers(list, new Map([[hostId, fresh]]));
}

/** The fleet-wide list with each host's containers replaced (one pass over the list, whatever the count). */
export function mergeHostsContainers(list: readonly FleetContainer[], byHost: ReadonlyMap<string, readonly FleetContainer[]>): FleetContainer[] {
  const out = list.filter((c) => !byHost.has(c.hostId));
  for (const c of [...byHost.values()].flat()) {
    let lo = 0;
    let hi = out.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (byHostThenName(out[mid]!, c) <= 0) lo = mid + 1;
      else hi = mid;
    }
    out.splice(lo, 0, c);
  }
  return out;
}

const inputOf = (q: Query) => (q.queryKey[1] as { input?: { hostId?: string } } | undefined)?.input;

/**
 * Keeps the host and container queries on screen current after "fleet:changed" nudges. A nudge names
 * the hosts that changed: their containers are read per host (`containers.list({ hostId })`, access
 * checked by the server as for any read) and merged into the fleet-wide list in the cache, instead of
 * refetching every host's containers (26 MiB at 2,000 hosts × 20) for one host's change.
 * One refresh runs at a time; nudges during it are gathered for the next. `null` = refetch everything.
 */
export function createFleetRefresher(queryClient: QueryClient, trpc: Trpc, client: Client) {
  const changed = new Set<string>();
  let everything = false;
  let running = false;

  const containersKey = trpc.containers.list.queryKey();
  const hostsKey = trpc.hosts.list.queryKey();
  // Merges keep every unchanged container object as it was; structural sharing would walk all
  // 40,000 again on each merge (an Object.keys of the whole list first) to find the same answer.
  queryClient.setQueryDefaults(containersKey, { structuralSharing: false });

  function refetchAll() {
    return Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.hosts.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.containers.pathKey() }),
    ]);
  }

  /** Waits for a whole-list fetch in flight, so a per-host merge lands on top of it, not under it. */
  async function settled(queryKey: readonly unknown[]) {
    const q = queryClient.getQueryCache().find({ queryKey, exact: true });
    if (q?.state.fetchStatus === "fetching") await q.fetch().catch(() => undefined);
  }

  /** Other host/container queries (a host's page, a container's details) of these hosts: refetched. */
  function invalidateOthers(hostIds: readonly string[]) {
    const ids = new Set(hostIds);
    const others = (q: Query) => {
      const input = inputOf(q);
      const fleetWide = q.queryKey[0] && (q.queryKey[0] as string[]).at(-1) === "list" && !input?.hostId;
      return !fleetWide && (!input?.hostId || ids.has(input.hostId));
    };
    return Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.hosts.pathKey(), predicate: others }),
      queryClient.invalidateQueries({ queryKey: trpc.containers.pathKey(), predicate: others }),
    ]);
  }

  /** Summaries in place in the cached host list; false when the list's order would change (a new or renamed host). */
  function replaceSummaries(fresh: ReadonlyMap<string, HostSummary>): boolean {
    const current = queryClient.getQueryData(hostsKey);
    if (!current) return true;
    const names = new Map(current.map((h) => [h.id, h.name]));
    if ([...fresh.values()].some((h) => names.get(h.id) !== h.name)) return false;
    queryClient.setQueryData(hostsKey, current.map((h) => fresh.get(h.id) ?? h));
    return true;
  }

  const fetching = (queryKey: readonly unknown[]) => queryClient.getQueryCache().find({ queryKey, exact: true })?.state.fetchStatus === "fetching";

  /**
   * Changes that came with the host's state: merged into the cached lists at once, without a request.
   * While a refresh or a whole-list fetch is under way they are read as nudges instead, so an older
   * response cannot land on top of them.
   */
  function apply(changes: readonly PushedChange[]) {
    if (running || everything || changed.size || fetching(containersKey) || fetching(hostsKey)) return nudge(changes.map((c) => c.hostId));
    const withState = changes.filter((c) => c.host);
    const rest = changes.filter((c) => !c.host).map((c) => c.hostId);
    const containers = new Map(withState.flatMap((c) => (c.containers ? [[c.hostId, c.containers] as const] : [])));
    if (containers.size) queryClient.setQueryData(containersKey, (old) => (old ? mergeHostsContainers(old, containers) : old));
    if (!replaceSummaries(new Map(withState.map((c) => [c.hostId, c.host!])))) void queryClient.invalidateQueries({ queryKey: hostsKey, exact: true });
    if (withState.length) void invalidateOthers(withState.map((c) => c.hostId));
    if (rest.length) nudge(rest);
  }

  function nudge(hostIds: readonly string[] | null) {
    if (hostIds === null) everything = true;
    else for (const id of hostIds) changed.add(id);
    kick();
  }

  async function refreshHosts(hostIds: string[]): Promise<boolean> {
    const invalidated = invalidateOthers(hostIds);

    // A first fetch still in flight may have been answered before this change: wait for it, then merge.
    const containers = async () => {
      await settled(containersKey);
      if (!queryClient.getQueryData(containersKey)) return;
      const lists = await readInChunks(hostIds, (hostId) => client.containers.list.query({ hostId }).then((l) => [hostId, l] as const));
      queryClient.setQueryData(containersKey, (old) => (old ? mergeHostsContainers(old, new Map(lists)) : old));
    };
    const hosts = async () => {
      await settled(hostsKey);
      if (!queryClient.getQueryData(hostsKey)) return;
      const details = await readInChunks(hostIds, (hostId) => client.hosts.get.query({ hostId }));
      // A host not in the list yet (just enrolled) or renamed changes the order: read the whole host
      // list (small next to the containers, which merge any host in place).
      const byId = new Map(details.map(({ facts: _facts, ...summary }) => [summary.id, summary as HostSummary]));
      if (!replaceSummaries(byId)) await queryClient.invalidateQueries({ queryKey: hostsKey, exact: true });
    };
    await Promise.all([containers(), hosts()]);
    await invalidated;
    return true;
  }

  async function run(): Promise<void> {
    while (everything || changed.size) {
      const hostIds = [...changed];
      const all = everything || hostIds.length > PER_HOST_LIMIT;
      changed.clear();
      everything = false;
      if (all) {
        await refetchAll();
        continue;
      }
      // A host we can no longer read, or that is gone, fails its read: then the whole lists are read again.
      const ok = await refreshHosts(hostIds).catch(() => false);
      if (!ok) await refetchAll();
    }
  }

  function kick() {
    if (running) return;
    running = true;
    void run().finally(() => {
      running = false;
      if (everything || changed.size) kick(); // a nudge that came as the last refresh was finishing
    });
  }

  return { nudge, apply };
}
