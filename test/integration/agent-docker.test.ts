import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningAgent } from "../../agents/host/agent";
import type { ContainerChange, HostSnapshot } from "../../agents/protocol";
import { startTestAgent } from "../support/test-agent";
import { createTestServices, startRealtimeServer, waitFor } from "../support/test-services";

const run = promisify(execFile);
const docker = async (...args: string[]) => (await run("docker", args)).stdout.trim();
const NAME = `portolan-it-${process.pid}`;

type Env = Awaited<ReturnType<typeof createTestServices>>;
let services: Env;
let server: Awaited<ReturnType<typeof startRealtimeServer>>;
let agent: RunningAgent;
let hostId: string;
const seen: string[] = []; // what reached the server, in order: "snapshot" or "<action>:<name>:<state>"

beforeAll(async () => {
  await docker("rm", "-f", NAME).catch(() => undefined);
  services = await createTestServices();
  server = await startRealtimeServer(services);
  const agentNsp = server.io.of("/agent");
  agentNsp.on("connection", (socket) => {
    socket.onAny((event: string, payload: unknown) => {
      if (event === "host:snapshot") seen.push(`snapshot:${(payload as HostSnapshot).generation}`);
      if (event === "container:change") {
        const c = payload as ContainerChange;
        if (c.kind === "upsert" && c.container.name === NAME) seen.push(`${c.action}:${c.container.state}`);
        if (c.kind === "remove") seen.push(`${c.action}:removed`);
      }
    });
  });
  ({ agent, hostId } = await startTestAgent({
    services,
    serverUrl: server.url,
    hostName: "local-engine",
    dockerHost: process.env.DOCKER_HOST ?? "unix:///var/run/docker.sock",
  }));
  await waitFor(() => services.registry.get(hostId)?.facts, "first snapshot");
});

afterAll(async () => {
  agent?.stop();
  await docker("rm", "-f", NAME).catch(() => undefined);
  await server?.close();
  await services?.cleanup();
});

const live = () => services.registry.get(hostId)!;
const byName = () => [...live().containers.values()].find((c) => c.name === NAME);

describe("[AGENT][DOCKER] against the real engine", () => {
  it("keeps its private key 0600 and reports the engine's facts", async () => {
    const mode = fs.statSync(path.join(services.dir, "agent", "agent-key.pem")).mode & 0o777;
    expect(mode).toBe(0o600);
    const info = JSON.parse(await docker("info", "--format", "{{json .}}")) as { ServerVersion: string; Driver: string; CgroupVersion: string };
    expect(live().facts).toMatchObject({ dockerVersion: info.ServerVersion, storageDriver: info.Driver, cgroupVersion: info.CgroupVersion });
    expect(live().runtime).toMatchObject({ available: true });
    const ids = (await docker("ps", "-aq", "--no-trunc")).split("\n").filter(Boolean).sort();
    expect([...live().containers.keys()].sort()).toEqual(ids);
  });

  it("streams create, start, stop, remove of a container in order", async () => {
    const id = await docker("create", "--name", NAME, "--network", "none", "--label", "portolan.test=1", "local/busybox:latest", "sleep", "300");
    await waitFor(() => byName()?.state === "created", "created container");
    expect(byName()!.id).toBe(id);
    await docker("start", NAME);
    await waitFor(() => byName()?.state === "running", "running container");
    expect(byName()!.startedAt).toBeGreaterThan(Date.now() - 60_000);
    await docker("stop", "-t", "0", NAME);
    await waitFor(() => byName()?.state === "exited", "exited container");
    await docker("rm", NAME);
    await waitFor(() => !byName(), "removed container");
    const order = seen.filter((s) => !s.startsWith("snapshot"));
    const first = (prefix: string) => order.findIndex((s) => s.startsWith(prefix));
    expect(first("create:created")).toBeGreaterThanOrEqual(0);
    expect(first("create:created")).toBeLessThan(first("start:running"));
    expect(first("start:running")).toBeLessThan(first("die:exited"));
    expect(first("die:exited")).toBeLessThan(first("destroy:removed"));
  });

  it("stays subscribed to a quiet engine (no idle timeout on the event stream)", async () => {
    const generation = live().generation;
    await new Promise((r) => setTimeout(r, 13_000)); // longer than any Docker API call timeout
    expect(live().runtime).toMatchObject({ available: true });
    expect(live().generation).toBe(generation);
    await docker("create", "--name", NAME, "--network", "none", "--label", "portolan.test=1", "local/busybox:latest", "true");
    await waitFor(() => byName()?.state === "created", "event after a quiet period");
    await docker("rm", NAME);
    await waitFor(() => !byName(), "removed");
  });

  it("resyncs with a new, higher generation snapshot after a reconnect", async () => {
    const before = live().generation;
    agent.socket.disconnect();
    await waitFor(() => live().online === false, "host offline");
    agent.socket.connect();
    await waitFor(() => live().online && live().generation > before, "resync snapshot");
    expect(seen.filter((s) => s.startsWith("snapshot")).length).toBeGreaterThanOrEqual(2);
  });
});
