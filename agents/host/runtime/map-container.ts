import type { Container } from "../../protocol";
import { ZContainerState, type ContainerState } from "../../protocol/container";
import type { DockerInspect, DockerSummary } from "./docker-schemas";

const LABEL_LIMIT = 4096;

/** Joins Docker's list entry (status text, ports) and inspect output (restarts, health) into one container. */
export function mapContainer(summary: DockerSummary, inspect: DockerInspect | null): Container {
  const state = toState(inspect?.State.Status ?? summary.State);
  return {
    id: summary.Id,
    name: (summary.Names[0] ?? summary.Id.slice(0, 12)).replace(/^\//, ""),
    image: summary.Image,
    imageId: summary.ImageID,
    command: summary.Command.slice(0, 4096),
    state,
    status: summary.Status,
    health: toHealth(inspect?.State.Health?.Status),
    createdAt: summary.Created * 1000,
    startedAt: toTime(inspect?.State.StartedAt),
    finishedAt: toTime(inspect?.State.FinishedAt),
    exitCode: state === "exited" || state === "dead" ? (inspect?.State.ExitCode ?? null) : null,
    ports: dedupePorts(summary.Ports),
    labels: Object.fromEntries(
      Object.entries(summary.Labels ?? {}).map(([k, v]) => [k.slice(0, 256), v.slice(0, LABEL_LIMIT)]),
    ),
    networks: Object.entries(summary.NetworkSettings?.Networks ?? {}).map(([name, n]) => ({
      name,
      ipAddress: n.IPAddress || null,
      macAddress: n.MacAddress || null,
      gateway: n.Gateway || null,
    })),
    restartCount: inspect?.RestartCount ?? 0,
  };
}

function toState(raw: string): ContainerState {
  const parsed = ZContainerState.safeParse(raw);
  return parsed.success ? parsed.data : "dead";
}

function toHealth(raw: string | undefined): Container["health"] {
  return raw === "starting" || raw === "healthy" || raw === "unhealthy" ? raw : "none";
}

function toTime(raw: string | undefined): number | null {
  if (!raw || raw.startsWith("0001-")) return null; // Docker's zero time: never happened
  const t = Date.parse(raw);
  return Number.isNaN(t) ? null : t;
}

/** Docker lists a binding once per address family (0.0.0.0 and ::); show each mapping once per IP. */
function dedupePorts(ports: DockerSummary["Ports"]): Container["ports"] {
  const seen = new Set<string>();
  const out: Container["ports"] = [];
  for (const p of ports) {
    const protocol = p.Type === "udp" || p.Type === "sctp" ? p.Type : "tcp";
    const entry = { privatePort: p.PrivatePort, publicPort: p.PublicPort ?? null, ip: p.IP ?? null, protocol } as const;
    const key = `${entry.ip}|${entry.publicPort}|${entry.privatePort}|${protocol}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(entry);
  }
  return out.sort((a, b) => a.privatePort - b.privatePort);
}
