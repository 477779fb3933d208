import type Docker from "dockerode";
import type { AgentQuery, HostPosture } from "../../../agents/protocol";
import { RuntimeError } from "../runtime/runtime-error";
import { buildSecurityReport } from "./container-security";
import { inspectOne, loadHostContext, type HostContext } from "./host-context";
import { readHostNetwork } from "./host-network";
import { HOST_KERNEL, type KernelFiles } from "./kernel-files";
import { listContainerProcesses } from "./processes";

// Reports read a dozen small /proc and cgroup files each: a few at a time keeps the agent light.
const REPORT_CONCURRENCY = 8;

export type InspectorQuery = Extract<AgentQuery, { query: "container.security" | "container.processes" | "host.network" | "host.posture" }>;

export function isInspectorQuery(q: AgentQuery): q is InspectorQuery {
  return q.query === "container.security" || q.query === "container.processes" || q.query === "host.network" || q.query === "host.posture";
}

/** Answers the inspector's reads from Docker and the kernel (/proc, /sys, iptables-save). */
export async function runInspectorQuery(docker: Docker, query: InspectorQuery, files: KernelFiles = HOST_KERNEL): Promise<unknown> {
  switch (query.query) {
    case "container.security": {
      const ctx = await loadHostContext(docker, files);
      return buildSecurityReport(ctx, find(ctx, query.params.containerId));
    }
    case "container.processes": {
      // One inspect is enough here: processes need no comparison with other containers.
      const c = await inspectOne(docker, files, query.params.containerId);
      if (!c) throw new RuntimeError("NO_SUCH_CONTAINER", `no such container: ${query.params.containerId}`);
      if (!c.inspect.State.Running || c.inspect.State.Pid <= 0) return [];
      return listContainerProcesses(files, c.inspect.State.Pid);
    }
    case "host.network":
      return readHostNetwork(docker, await loadHostContext(docker, files));
    case "host.posture": {
      const ctx = await loadHostContext(docker, files);
      const out: HostPosture = [];
      for (let i = 0; i < ctx.containers.length; i += REPORT_CONCURRENCY) {
        const batch = ctx.containers.slice(i, i + REPORT_CONCURRENCY);
        const reports = await Promise.all(batch.map((c) => buildSecurityReport(ctx, c)));
        batch.forEach((c, j) => out.push({ containerId: c.inspect.Id, name: c.inspect.Name, running: reports[j]!.running, image: c.inspect.Config.Image, findings: reports[j]!.findings }));
      }
      return out;
    }
  }
}

/** A container by full id, id prefix or name, among those just inspected. */
function find(ctx: HostContext, ref: string) {
  const c = ctx.containers.find((x) => x.inspect.Id === ref || x.inspect.Name === ref.replace(/^\//, ""))
    ?? (ref.length >= 12 ? ctx.containers.find((x) => x.inspect.Id.startsWith(ref)) : undefined);
  if (!c) throw new RuntimeError("NO_SUCH_CONTAINER", `no such container: ${ref}`);
  return c;
}
