import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { io, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningAgent } from "../../agents/host/agent";
import { LogStore } from "../../app/_components/logs/log-store";
import { LogSubscriptions } from "../../app/_components/logs/log-subscriptions";
import { startControlEnv, type ControlEnv } from "../support/control-env";
import { docker } from "../support/docker-cli";
import { startSecondEngine, type SecondEngine } from "../support/second-engine";
import { startTestAgent } from "../support/test-agent";
import { waitFor } from "../support/test-services";

// The central log page's merge, with the browser's own store and subscriptions, fed by two real
// agents on two engines through the real server.
const IMAGE = "local/busybox:latest";
let env: ControlEnv;
let engine: SecondEngine;
let agentB: RunningAgent;
let hostB: string;
let socket: Socket;

beforeAll(async () => {
  env = await startControlEnv("merge");
  engine = await startSecondEngine({ dir: fs.mkdtempSync(path.join(os.tmpdir(), "pe-merge-")) });
  ({ agent: agentB, hostId: hostB } = await startTestAgent({ services: env.services, serverUrl: env.server.url, hostName: "merge-b", dockerHost: engine.dockerHost, stateDir: path.join(env.services.dir, "agent-b") }));
  await waitFor(() => env.services.registry.get(hostB)?.online, "second host online");
}, 120_000);
afterAll(async () => {
  socket?.disconnect();
  agentB?.stop();
  await engine?.stop();
  await env?.stop();
});

describe("[LOGS] the central page merges containers on two hosts by time", () => {
  it("orders lines from two hosts by engine timestamp, each tagged with its host and container", async () => {
    const script = (tag: string) => `i=0; while [ $i -lt 60 ]; do i=$((i+1)); echo "${tag} $i"; usleep 30000; done; sleep 3600`;
    const idA = (await docker(["run", "-d", "--name", env.name("merge-a"), "--label", "portolan.test=1", "--label", `portolan.run=${env.run}`, IMAGE, "sh", "-c", script("A")])).trim();
    const idB = (await docker(["run", "-d", "--network", "none", "--name", "merge-b-logger", IMAGE, "sh", "-c", script("B")], engine.dockerHost)).trim();
    await waitFor(() => env.services.registry.get(env.hostId)?.containers.get(idA) && env.services.registry.get(hostB)?.containers.get(idB), "both containers known");

    const res = await env.services.auth.api.signInEmail({ body: { email: "viewer@merge.test", password: "correct-horse-battery" }, asResponse: true });
    const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0]!;
    socket = io(env.server.url + "/live", { transports: ["websocket"], reconnection: false, forceNew: true, extraHeaders: { cookie, origin: env.server.url } });
    const store = new LogStore(10_000);
    const subs = new LogSubscriptions(socket, store, { tail: 1000, follow: true }, () => undefined);
    subs.setTargets([
      { hostId: env.hostId, containerId: idA, hostName: "merge-engine", containerName: "merge-a" },
      { hostId: hostB, containerId: idB, hostName: "merge-b", containerName: "merge-b-logger" },
    ]);
    const texts = () => Array.from({ length: store.size }, (_, i) => store.textAt(i));
    await waitFor(() => texts().includes("A 60") && texts().includes("B 60"), "every line of both containers", 30_000);

    const rows = Array.from({ length: store.size }, (_, i) => ({ ts: store.tsAt(i), text: store.textAt(i), host: store.sourceAt(i)!.hostId, container: store.sourceAt(i)!.containerId }));
    expect(rows).toHaveLength(120);
    expect(rows.map((r) => r.ts)).toEqual(rows.map((r) => r.ts).sort()); // one stream, in time order
    for (const r of rows) expect([r.host, r.container]).toEqual(r.text.startsWith("A ") ? [env.hostId, idA] : [hostB, idB]);
    const switches = rows.filter((r, i) => i > 0 && r.host !== rows[i - 1]!.host).length;
    expect(switches).toBeGreaterThan(20); // interleaved, not one host after the other
    subs.dispose();
  }, 90_000);
});
