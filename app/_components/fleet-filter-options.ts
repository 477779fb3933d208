import type { FleetContainer, HostSummary } from "./trpc";

/** What the fleet page's filter selects offer: hosts by name, the states and the images present. */
export type FilterChoices = {
  /** [hostId, name], by name. */
  hosts: readonly (readonly [string, string])[];
  states: ReadonlySet<string>;
  /** Sorted. */
  images: readonly string[];
};

/** One host's run of containers, summarised: its name, and its distinct states and images. */
export type RunSummary = { hostId: string; hostName: string; states: readonly string[]; images: readonly string[] };

export function summariseRun(run: readonly FleetContainer[]): RunSummary {
  return { hostId: run[0]!.hostId, hostName: run[0]!.hostName, states: [...new Set(run.map((c) => c.state))], images: [...new Set(run.map((c) => c.image))] };
}

const collator = new Intl.Collator();

/**
 * The filter choices for this fleet, from the hosts and their runs' summaries (memoised per host,
 * host-runs.ts). The previous choices' arrays are kept when their content is the same, so the sorts
 * (2,000 host names) run only when a host or an image comes or goes, not on every live update.
 */
export function deriveFilterChoices(hosts: readonly HostSummary[], runs: readonly RunSummary[], previous: FilterChoices | null): FilterChoices {
  const names = new Map<string, string>();
  for (const h of hosts) names.set(h.id, h.name);
  const states = new Set<string>();
  const images = new Set<string>();
  for (const r of runs) {
    if (!names.has(r.hostId)) names.set(r.hostId, r.hostName);
    for (const s of r.states) states.add(s);
    for (const i of r.images) images.add(i);
  }
  const sameHosts = previous && previous.hosts.length === names.size && previous.hosts.every(([id, name]) => names.get(id) === name);
  const sameImages = previous && previous.images.length === images.size && previous.images.every((i) => images.has(i));
  const sameStates = previous && previous.states.size === states.size && [...states].every((s) => previous.states.has(s));
  return {
    hosts: sameHosts ? previous.hosts : [...names.entries()].sort((a, b) => collator.compare(a[1], b[1])),
    states: sameStates ? previous.states : states,
    images: sameImages ? previous.images : [...images].sort(collator.compare),
  };
}
