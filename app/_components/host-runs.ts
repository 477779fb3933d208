import type { FleetContainer } from "./trpc";

/**
 * Memoises work per host over the fleet-wide container list, which is sorted by host, so each host's
 * containers form a run. A live update replaces the changed hosts' container objects and keeps every
 * other object as it was (fleet-refresh.ts), so a run of the very same objects as last time reuses
 * last time's result: at 40,000 containers an update costs a pointer comparison per container and
 * `compute` for the few hosts that changed, not `compute` over the whole fleet.
 */
export function createHostRunMemo<R>(compute: (run: readonly FleetContainer[]) => R): (all: readonly FleetContainer[]) => R[] {
  let cache = new Map<string, { run: readonly FleetContainer[]; result: R }>();
  return (all) => {
    const next = new Map<string, { run: readonly FleetContainer[]; result: R }>();
    const results: R[] = [];
    for (let start = 0; start < all.length; ) {
      const hostId = all[start]!.hostId;
      let end = start + 1;
      while (end < all.length && all[end]!.hostId === hostId) end++;
      // A host seen twice in one pass (two hosts of one name interleave) is compared with its own earlier run: recomputed.
      const cached = next.get(hostId) ?? cache.get(hostId);
      let entry = cached && sameRun(cached.run, all, start, end) ? cached : undefined;
      if (!entry) {
        const run = all.slice(start, end);
        entry = { run, result: compute(run) };
      }
      next.set(hostId, entry);
      results.push(entry.result);
      start = end;
    }
    cache = next;
    return results;
  };
}

function sameRun(run: readonly FleetContainer[], all: readonly FleetContainer[], start: number, end: number): boolean {
  if (run.length !== end - start) return false;
  for (let i = 0; i < run.length; i++) if (run[i] !== all[start + i]) return false;
  return true;
}
