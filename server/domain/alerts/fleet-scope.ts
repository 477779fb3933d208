import type { Db } from "../../db/client";
import type { LabelSelector, Rule } from "./rule-schemas";

/** The durable part of the fleet a rule's scope is judged against (reloaded periodically). */
export type FleetView = {
  hosts: Map<string, { name: string; lastSeenAt: number | null }>;
  /** Members of each host group; "all" for groups that contain every host. */
  groups: Map<string, Set<string> | "all">;
};

export async function loadFleetView(db: Db): Promise<FleetView> {
  const [hosts, groups] = await Promise.all([
    db.host.findMany({ where: { revokedAt: null }, select: { id: true, name: true, lastSeenAt: true } }),
    db.hostGroup.findMany({ select: { id: true, allHosts: true, hosts: { select: { hostId: true } } } }),
  ]);
  return {
    hosts: new Map(hosts.map((h) => [h.id, { name: h.name, lastSeenAt: h.lastSeenAt?.getTime() ?? null }])),
    groups: new Map(groups.map((g) => [g.id, g.allHosts ? "all" : new Set(g.hosts.map((m) => m.hostId))])),
  };
}

/** Hosts a rule watches: every enrolled host, or those of its group (a group that no longer exists matches none). */
export function hostsInScope(rule: Pick<Rule, "hostGroupId">, fleet: FleetView): string[] {
  const all = [...fleet.hosts.keys()];
  if (!rule.hostGroupId) return all;
  const members = fleet.groups.get(rule.hostGroupId);
  if (!members) return [];
  return members === "all" ? all : all.filter((id) => members.has(id));
}

export function labelsMatch(selector: LabelSelector | null, labels: Record<string, string>): boolean {
  if (!selector) return true;
  if (!Object.hasOwn(labels, selector.key)) return false;
  return selector.value === null || labels[selector.key] === selector.value;
}
