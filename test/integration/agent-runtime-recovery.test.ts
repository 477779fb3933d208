import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningAgent } from "../../agents/host/agent";
import { docker } from "../support/docker-cli";
import { startSecondEngine, type SecondEngine } from "../support/second-engine";
import { startTestAgent } from "../support/test-agent";
import { createTestServices, startRealtimeServer, waitFor } from "../support/test-services";

type Env = Awaited<ReturnType<typeof createTestServices>>;
let services: Env;
let server: Awaited<ReturnType<typeof startRealtimeServer>>;
let engine: SecondEngine;
let engineDir: string;
let agent: RunningAgent;
let hostId: string;

beforeAll(async () => {
  services = await createTestServices();
  server = await startRealtimeServer(services);
  engineDir = path.join(services.dir, "eng");
  engine = await startSecondEngine({ dir: engineDir });
  ({ agent, hostId } = await startTestAgent({ services, serverUrl: server.url, hostName: "flaky-engine", dockerHost: engine.dockerHost }));
});

afterAll(async () => {
  agent?.stop();
  await engine?.stop();
  await server?.close();
  await services?.cleanup();
});

const live = () => services.registry.get(hostId);

describe("[AGENT][RUNTIME] Docker engine restarted under a running agent", () => {
  it("stays connected, reports the runtime unavailable, and recovers by itself", async () => {
    await docker(["run", "-d", "--name", "survivor", "--network", "none", "local/busybox:latest", "sleep", "1000"], engine.dockerHost);
    await waitFor(() => [...(live()?.containers.values() ?? [])].some((c) => c.name === "survivor" && c.state === "running"), "container seen");

    await engine.stop();
    await waitFor(() => live()?.runtime?.available === false, "runtime unavailable reported", 20_000);
    expect(live()!.online).toBe(true); // the agent itself never dropped its server link
    expect(live()!.runtime!.error).toMatch(/Docker|socket|engine/i);
    expect(live()!.containers.size).toBe(0);

    fs.mkdirSync(engineDir, { recursive: true });
    engine = await startSecondEngine({ dir: engineDir });
    await docker(["run", "-d", "--name", "after-restart", "--network", "none", "local/busybox:latest", "sleep", "1000"], engine.dockerHost);
    await waitFor(() => live()?.runtime?.available === true, "runtime recovered", 30_000);
    await waitFor(() => [...live()!.containers.values()].some((c) => c.name === "after-restart"), "inventory after recovery", 10_000);
    expect(live()!.online).toBe(true);
    expect(live()!.facts?.dockerVersion).toBeTruthy();
  });
});
