import { ZHostFacts, type Container, type HostFacts, type RuntimeStatus } from "../../../agents/protocol";
import type { Db } from "../../db/client";
import type { HostRegistry } from "../../realtime/host-registry";
import type { HostRow, HostRowCache } from "./host-rows";
import type { Presence } from "./presence";

export type ContainerCounts = { total: number; running: number; paused: number; stopped: number; other: number };

export type HostSummary = {
  id: string;
  name: string;
  online: boolean;
  /** online / stale (socket open, nothing heard lately) / reconnecting (restart grace) / offline. */
  presence: Presence;
  lastSeenAt: string | null;
  enrolledAt: string;
  address: string | null;
  dockerVersion: string | null;
  hostname: string | null;
  os: string | null;
  runtime: RuntimeStatus | null;
  containers: ContainerCounts;
};

export type HostDetail = HostSummary & { facts: HostFacts | null };

export type FleetContainer = Container & { hostId: string; hostName: string; hostOnline: boolean };

export async function listHosts(deps: { db: Db; registry: HostRegistry }): Promise<HostSummary[]> {
  const rows = await deps.db.host.findMany({ where: { revokedAt: null }, orderBy: { name: "asc" } });
  return rows.map((row) => toDetail(row, deps.registry)).map(({ facts: _facts, ...summary }) => summary);
}

export async function getHost(deps: { db: Db; registry: HostRegistry }, hostId: string): Promise<HostDetail | null> {
  const row = await deps.db.host.findFirst({ where: { id: hostId, revokedAt: null } });
  return row ? toDetail(row, deps.registry) : null;
}

/** Containers of one host, or of every host when hostId is omitted; sorted by host then name. */
export async function listContainers(deps: { db: Db; registry: HostRegistry }, hostId?: string): Promise<FleetContainer[]> {
  const hosts = await deps.db.host.findMany({ where: { revokedAt: null, ...(hostId ? { id: hostId } : {}) }, select: { id: true, name: true } });
  const out: FleetContainer[] = [];
  for (const host of hosts) {
    const live = deps.registry.get(host.id);
    for (const c of live?.containers.values() ?? []) out.push({ ...c, hostId: host.id, hostName: host.name, hostOnline: live?.online ?? false });
  }
  return out.sort((a, b) => a.hostName.localeCompare(b.hostName) || a.name.localeCompare(b.name));
}

/** One changed host as browsers are sent it: its summary and its containers, sorted by name. */
export type HostView = { host: HostSummary; containers: FleetContainer[] };

/** Views of these hosts (revoked or unknown hosts are left out), their rows read through `rows`. */
export async function hostViews(deps: { registry: HostRegistry; rows: HostRowCache }, hostIds: readonly string[]): Promise<Map<string, HostView>> {
  const rows = await deps.rows.read(hostIds);
  const views = new Map<string, HostView>();
  for (const row of rows) {
    const { facts: _facts, ...host } = toDetail(row, deps.registry);
    const live = deps.registry.get(row.id);
    const containers = [...(live?.containers.values() ?? [])].map((c) => ({ ...c, hostId: row.id, hostName: row.name, hostOnline: live?.online ?? false }));
    views.set(row.id, { host, containers: containers.sort((a, b) => a.name.localeCompare(b.name)) });
  }
  return views;
}

function toDetail(row: HostRow, registry: HostRegistry): HostDetail {
  const live = registry.get(row.id);
  const facts = live?.facts ?? parseFacts(row.facts);
  const lastSeen = live?.lastSeenAt ?? row.lastSeenAt?.getTime() ?? null;
  return {
    id: row.id,
    name: row.name,
    online: live?.online ?? false,
    presence: registry.presence(row.id),
    lastSeenAt: lastSeen ? new Date(lastSeen).toISOString() : null,
    enrolledAt: row.enrolledAt.toISOString(),
    address: row.lastAddress,
    dockerVersion: facts?.dockerVersion ?? null,
    hostname: facts?.hostname ?? null,
    os: facts?.os ?? null,
    runtime: live?.runtime ?? null,
    containers: countStates(live ? [...live.containers.values()] : []),
    facts,
  };
}

function countStates(containers: Container[]): ContainerCounts {
  const counts: ContainerCounts = { total: containers.length, running: 0, paused: 0, stopped: 0, other: 0 };
  for (const c of containers) {
    if (c.state === "running") counts.running++;
    else if (c.state === "paused") counts.paused++;
    else if (c.state === "exited" || c.state === "created" || c.state === "dead") counts.stopped++;
    else counts.other++;
  }
  return counts;
}

function parseFacts(json: string | null): HostFacts | null {
  if (!json) return null;
  try {
    const parsed = ZHostFacts.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
