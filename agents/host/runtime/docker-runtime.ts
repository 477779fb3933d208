import os from "node:os";
import Docker from "dockerode";
import type { Container, HostFacts } from "../../protocol";
import { AGENT_VERSION } from "../version";
import type { ContainerRuntime, RuntimeEvent } from "./container-runtime";
import { ZDockerEvent, ZDockerInfo, ZDockerInspect, ZDockerSummary, ZDockerVersion } from "./docker-schemas";
import { mapContainer } from "./map-container";
import { splitLines } from "./split-lines";

const CALL_TIMEOUT_MS = 10_000;
// A stop may legitimately wait up to 600 s for the container's grace period, then some.
const LIFECYCLE_TIMEOUT_MS = 660_000;
const INSPECT_CONCURRENCY = 8;
const ID_PATTERN = /^[a-f0-9]{12,64}$/;

/** Parses DOCKER_HOST (unix:///path, tcp://host:port or a bare socket path) into dockerode options. */
export function dockerOptions(dockerHost: string): Docker.DockerOptions {
  if (dockerHost.startsWith("unix://")) return { socketPath: dockerHost.slice("unix://".length), timeout: CALL_TIMEOUT_MS };
  if (dockerHost.startsWith("/")) return { socketPath: dockerHost, timeout: CALL_TIMEOUT_MS };
  const url = new URL(dockerHost.replace(/^tcp:/, "http:"));
  return { host: url.hostname, port: Number(url.port || 2375), protocol: "http", timeout: CALL_TIMEOUT_MS };
}

export function createDockerRuntime(dockerHost: string): ContainerRuntime {
  const docker = new Docker(dockerOptions(dockerHost));
  // docker-modem's timeout is an idle timeout: on the long-lived event stream it would cut a quiet
  // engine off every few seconds, so events get a client of their own without one.
  const eventsClient = new Docker({ ...dockerOptions(dockerHost), timeout: undefined });
  const lifecycleClient = new Docker({ ...dockerOptions(dockerHost), timeout: LIFECYCLE_TIMEOUT_MS });

  async function inspect(id: string) {
    try {
      return ZDockerInspect.parse(await docker.getContainer(id).inspect());
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404) return null;
      throw err;
    }
  }

  return {
    async ping() {
      await docker.ping();
    },

    async facts(): Promise<HostFacts> {
      const [info, version] = await Promise.all([docker.info(), docker.version()]);
      const i = ZDockerInfo.parse(info);
      const v = ZDockerVersion.parse(version);
      return {
        hostname: os.hostname(),
        os: i.OperatingSystem ?? `${os.type()} ${os.release()}`,
        kernel: i.KernelVersion ?? os.release(),
        architecture: i.Architecture ?? os.arch(),
        cpus: i.NCPU ?? os.cpus().length,
        memoryBytes: i.MemTotal ?? os.totalmem(),
        dockerVersion: i.ServerVersion ?? v.Version ?? null,
        apiVersion: v.ApiVersion ?? null,
        cgroupVersion: i.CgroupVersion ?? null,
        cgroupDriver: i.CgroupDriver ?? null,
        storageDriver: i.Driver ?? null,
        securityOptions: (i.SecurityOptions ?? []).slice(0, 64),
        agentVersion: AGENT_VERSION,
      };
    },

    async listContainers(): Promise<Container[]> {
      const summaries = (await docker.listContainers({ all: true })).map((s) => ZDockerSummary.parse(s));
      const out: Container[] = [];
      for (let i = 0; i < summaries.length; i += INSPECT_CONCURRENCY) {
        const batch = summaries.slice(i, i + INSPECT_CONCURRENCY);
        const inspected = await Promise.all(batch.map((s) => inspect(s.Id)));
        batch.forEach((s, j) => out.push(mapContainer(s, inspected[j] ?? null)));
      }
      return out;
    },

    async getContainer(id: string): Promise<Container | null> {
      if (!ID_PATTERN.test(id)) throw new Error(`refusing malformed container id ${JSON.stringify(id)}`);
      const [summary] = await docker.listContainers({ all: true, filters: { id: [id] } });
      if (!summary) return null;
      return mapContainer(ZDockerSummary.parse(summary), await inspect(id));
    },

    async watchEvents(onEvent, onEnd, signal) {
      const stream = (await eventsClient.getEvents({ filters: { type: ["container"] } })) as NodeJS.ReadableStream & {
        destroy(): void;
      };
      let ended = false;
      const finish = (err: Error | null) => {
        if (ended) return;
        ended = true;
        onEnd(err);
      };
      signal.addEventListener("abort", () => {
        stream.destroy();
        finish(null);
      });
      splitLines(stream, (line) => {
        let parsed;
        try {
          parsed = ZDockerEvent.safeParse(JSON.parse(line));
        } catch {
          return; // a torn line from a dying engine: the reconnect snapshot covers it
        }
        if (!parsed.success) return;
        const e = parsed.data;
        const time = e.timeNano ? Math.floor(e.timeNano / 1e6) : (e.time ?? Date.now() / 1000) * 1000;
        const event: RuntimeEvent = { id: e.Actor.ID, action: e.Action, time };
        onEvent(event);
      });
      stream.on("error", (err: Error) => finish(err));
      stream.on("end", () => finish(signal.aborted ? null : new Error("Docker event stream ended")));
      stream.on("close", () => finish(signal.aborted ? null : new Error("Docker event stream closed")));
    },

    // Loaded on first use (with their schemas): an agent nobody acts on never builds them (less memory).
    runLifecycle: async (command) => (await import("./docker-lifecycle")).runDockerLifecycle(lifecycleClient, command),
    // Pulls, imports and recreates (which stop a container) run long: the lifecycle client's timeout.
    runControl: async (command, io) => (await import("./docker-control")).runDockerControl(lifecycleClient, command, io),
    query: async (query) => (await import("./docker-queries")).runDockerQuery(docker, query),
  };
}
