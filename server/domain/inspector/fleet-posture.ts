import type { Finding } from "../../../agents/protocol";
import type { Db } from "../../db/client";
import type { AgentLinks } from "../../realtime/agent-links";
import type { HostRegistry } from "../../realtime/host-registry";
import { queryAgent } from "../queries/query-agent";

export type FleetFinding = Finding & { hostId: string; hostName: string; containerId: string; containerName: string; image: string; running: boolean };
export type FleetPosture = {
  hosts: { hostId: string; hostName: string; online: boolean; containers: number; error: string | null }[];
  findings: FleetFinding[];
};

const HOST_CONCURRENCY = 4;

/**
 * Posture findings of every container on the given hosts, asked of each online agent (a few at a time).
 * A host that is offline or fails is reported with its error; it never fails the whole answer.
 */
export async function fleetPosture(deps: { db: Db; links: AgentLinks; registry: HostRegistry }, hostIds: string[]): Promise<FleetPosture> {
  // Narrowed here, not with "id in (…)": a sorted query over 1,000+ bound ids is refused (access/host-id-filter.ts).
  const wanted = new Set(hostIds);
  const hosts = (await deps.db.host.findMany({ where: { revokedAt: null }, select: { id: true, name: true }, orderBy: { name: "asc" } })).filter((h) => wanted.has(h.id));
  const results: FleetPosture["hosts"] = [];
  const findings: FleetFinding[] = [];
  let next = 0;
  const worker = async () => {
    while (next < hosts.length) {
      const host = hosts[next++]!;
      const online = deps.registry.get(host.id)?.online ?? false;
      if (!online) {
        results.push({ hostId: host.id, hostName: host.name, online, containers: 0, error: "host offline" });
        continue;
      }
      try {
        const containers = await queryAgent(deps, host.id, { query: "host.posture", params: {} });
        results.push({ hostId: host.id, hostName: host.name, online, containers: containers.length, error: null });
        for (const c of containers) {
          for (const f of c.findings) findings.push({ ...f, hostId: host.id, hostName: host.name, containerId: c.containerId, containerName: c.name, image: c.image, running: c.running });
        }
      } catch (err) {
        results.push({ hostId: host.id, hostName: host.name, online, containers: 0, error: (err as Error).message.slice(0, 500) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(HOST_CONCURRENCY, hosts.length) }, worker));
  results.sort((a, b) => a.hostName.localeCompare(b.hostName));
  return { hosts: results, findings };
}
