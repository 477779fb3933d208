import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import { io as connectSocket, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isLogMarker, type LogBatch, type LogLine } from "../../agents/protocol/logs";
import type { RunningAgent } from "../../agents/host/agent";
import { createUser } from "../../server/auth/create-user";
import { clusterOf } from "../../server/cluster/attach-cluster";
import { runBackgroundDuties } from "../../server/cluster/background-duties";
import { ClusteredRegistry } from "../../server/cluster/clustered-registry";
import { PEER_EXPIRY_MS } from "../../server/cluster/replica-peers";
import type { DockerEventItem } from "../../server/domain/events/event-item";
import type { LiveMetricsTick } from "../../server/domain/metrics/metrics-hub";
import type { FleetChange } from "../../server/realtime/browser-events";
import { createCaller } from "../../server/trpc/router";
import { actorFor } from "../support/actors";
import { docker } from "../support/docker-cli";
import { freePort, startProcess, type Managed } from "../support/processes";
import { startTcpSwitch } from "../support/tcp-switch";
import { startTestAgent } from "../support/test-agent";
import { createTestServices, startRealtimeServer, waitFor } from "../support/test-services";

// Two server replicas on one SQLite file (WAL) and one Redis: replica 1 in this process (so the test can
// read its registry and call its tRPC procedures), replica 2 as its own process (so it can be killed).
// The agent dials one address (a TCP switch standing in for the load balancer) that leads to replica 2;
// the browser is connected to replica 1.
const DOCKER_HOST = process.env.DOCKER_HOST ?? "unix:///var/run/docker.sock";
const PASSWORD = "correct-horse-battery";
const IMAGE = "local/busybox:latest";
const run = `replicas-${process.pid}`;

let dir: string;
let redis: Managed;
let replica2: Managed;
let replica2Port: number;
let services1: Awaited<ReturnType<typeof createTestServices>>;
const cleanupDirs: string[] = [];
let server1: Awaited<ReturnType<typeof startRealtimeServer>>;
let lb: Awaited<ReturnType<typeof startTcpSwitch>>;
let agent: RunningAgent;
let hostId: string;
let browser: Socket;
let redisKeys: Redis;
let caller: ReturnType<typeof createCaller>;
let containerId: string;
const fleet: FleetChange[] = [];

const registry1 = () => services1.registry as ClusteredRegistry;
const replica1Id = () => clusterOf(server1.io)!.replicaId;
const emit = (event: string, payload: unknown) => browser.timeout(10_000).emitWithAck(event, payload) as Promise<{ ok: boolean; data?: any; error?: { code: string } }>; // eslint-disable-line @typescript-eslint/no-explicit-any

function startReplica2(env: Record<string, string>): Managed {
  return startProcess("node", ["--import", "tsx", "test/support/replica-process.ts"], { env: { ...env, PORT: String(replica2Port) }, log: path.join(dir, "replica2.log") });
}

beforeAll(async () => {
  try {
    execFileSync("redis-server", ["--version"]);
  } catch {
    throw new Error("redis-server is not installed: run scripts/ensure-redis.sh first");
  }
  const redisPort = await freePort();
  const redisDir = fs.mkdtempSync(path.join(os.tmpdir(), "portolan-redis-"));
  cleanupDirs.push(redisDir);
  redis = startProcess("redis-server", ["--port", String(redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", redisDir], { log: path.join(redisDir, "redis.log") });
  const probe = new Redis(redisPort, "127.0.0.1", { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => 100 });
  probe.on("error", () => undefined); // refused until the server is up
  await waitFor(() => probe.ping().then((r) => r === "PONG"), "test redis", 10_000);
  probe.disconnect();

  // The test database (SQLite file, or PostgreSQL in that pass) and data dir (so the same server key) for both replicas.
  const REDIS_URL = `redis://127.0.0.1:${redisPort}`;
  services1 = await createTestServices({ REDIS_URL });
  dir = services1.dir;
  const env = { DATABASE_URL: services1.config.databaseUrl, PORTOLAN_DATA_DIR: services1.config.dataDir, REDIS_URL, PORTOLAN_AGENT_TIMEOUT: "5", NODE_ENV: "test" };
  expect(services1.registry).toBeInstanceOf(ClusteredRegistry);
  server1 = await startRealtimeServer(services1);
  await clusterOf(server1.io)!.ready;

  replica2Port = await freePort();
  replica2 = startReplica2(env);
  await waitFor(() => clusterOf(server1.io)!.peers().length === 1, "replica 2 joined the cluster", 30_000);
  // Replica 2 started first, so it took the leader lease (alerts, log retention); replica 1 waits.
  redisKeys = new Redis(redisPort, "127.0.0.1");
  await waitFor(() => redisKeys.get("portolan:leader").then((v) => v !== null && v !== replica1Id()), "replica 2 leading", 10_000);
  await runBackgroundDuties(server1.io, services1);

  lb = await startTcpSwitch();
  lb.target(replica2Port);
  ({ agent, hostId } = await startTestAgent({ services: services1, serverUrl: `http://127.0.0.1:${lb.port}`, hostName: `${run}-engine`, dockerHost: DOCKER_HOST }));

  const admin = await createUser(services1, { email: "admin@replicas.test", password: PASSWORD, grantOnAllHosts: "admin" });
  caller = createCaller({ services: services1, actor: await actorFor(services1, admin), sourceIp: "127.0.0.1", requestOrigin: "http://127.0.0.1" });
  const res = await services1.auth.api.signInEmail({ body: { email: "admin@replicas.test", password: PASSWORD }, asResponse: true });
  const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0]!;
  browser = connectSocket(server1.url + "/live", { transports: ["websocket"], reconnection: false, forceNew: true, extraHeaders: { cookie, origin: server1.url } });
  await new Promise<void>((resolve, reject) => browser.once("connect", () => resolve()).once("connect_error", reject));
  browser.on("fleet:changed", (changes: FleetChange[]) => fleet.push(...changes));
  expect(await emit("fleet:subscribe", {})).toMatchObject({ ok: true });
}, 90_000);

afterAll(async () => {
  browser?.disconnect();
  agent?.stop();
  const ids = await docker(["ps", "-aq", "--filter", `label=portolan.run=${run}`]).then((o) => o.split("\n").filter(Boolean), () => []);
  if (ids.length) await docker(["rm", "-f", ...ids]).catch(() => undefined);
  await replica2?.stop();
  redisKeys?.disconnect();
  if (server1) {
    await services1.alerts.stop();
    services1.logs.retention.stop();
    await server1.close();
    await clusterOf(server1.io)?.close();
  }
  await lb?.close();
  await services1?.cleanup();
  await redis?.stop();
  for (const d of cleanupDirs) fs.rmSync(d, { recursive: true, force: true });
}, 30_000);

describe("[REPLICAS] a browser on replica 1, the agent on replica 2", () => {
  it("shows the host online, held by replica 2, with its containers, and pushes changes", async () => {
    await waitFor(() => registry1().get(hostId)?.online, "host online on replica 1", 20_000);
    const holder = registry1().holder(hostId);
    expect(holder).toBeTruthy();
    expect(holder).not.toBe(replica1Id()); // replica 1 knows it only through replica 2
    expect(services1.commands.links.isLocal(hostId)).toBe(false);

    fleet.length = 0;
    containerId = (await docker(["run", "-d", "--name", `pt-${run}-talker`, "--label", "portolan.test=1", "--label", `portolan.run=${run}`, IMAGE, "sh", "-c", 'i=0; while :; do i=$((i+1)); echo "line $i"; sleep 0.1; done'])).trim();
    await waitFor(() => registry1().get(hostId)?.containers.get(containerId)?.state === "running", "the new container on replica 1", 20_000);
    await waitFor(() => fleet.some((c) => c.hostId === hostId && (c.kinds.includes("containers") || c.kinds.includes("snapshot"))), "a container nudge on the browser");
  }, 60_000);

  it("streams a container's log lines to the browser on replica 1", async () => {
    const batches: LogBatch[] = [];
    browser.on("logs:batch", (batch: LogBatch, ack: () => void) => {
      batches.push(batch);
      ack();
    });
    const reply = await emit("logs:subscribe", { hostId, containerId, options: { tail: 5, follow: true } });
    expect(reply).toMatchObject({ ok: true });
    const streamId = reply.data.streamId as string;
    const lines = () => batches.filter((b) => b.streamId === streamId).flatMap((b) => b.items.filter((i): i is LogLine => !isLogMarker(i)));
    await waitFor(() => lines().length >= 15, "15 lines through replica 2", 20_000);
    const numbers = lines().map((l) => Number(l.text.split(" ")[1]));
    expect(numbers.every((n, i) => i === 0 || n === numbers[i - 1]! + 1)).toBe(true); // in order, none lost or twice
    expect(await emit("logs:unsubscribe", { streamId })).toMatchObject({ ok: true });
  }, 40_000);

  it("delivers metrics (host and the watched container in detail) to the browser on replica 1", async () => {
    const ticks: LiveMetricsTick[] = [];
    browser.on("metrics:tick", (tick: LiveMetricsTick) => ticks.push(tick));
    expect(await emit("metrics:subscribe", { hostId, containerId })).toMatchObject({ ok: true });
    // The detail exists only if the watch, sent from replica 1, reached the agent through replica 2.
    await waitFor(() => ticks.some((t) => t.hostId === hostId && t.details.some((d) => d.id === containerId)), "a tick with the container's detail", 20_000);
    expect(ticks.every((t) => t.hostId === hostId)).toBe(true);
    const history = await caller.metrics.query({ hostId, containerId, metric: "cpu", from: Date.now() - 60_000, to: Date.now() });
    expect(history.points.length).toBeGreaterThan(0); // replica 1's live ring was fed by the mirrored ticks
    expect(await emit("metrics:unsubscribe", { hostId, containerId })).toMatchObject({ ok: true });
  }, 40_000);

  it("runs a web terminal opened on replica 1 in the container on the agent on replica 2", async () => {
    let output = "";
    let exit: { sessionId: string; code: number | null } | null = null;
    browser.on("terminal:output", (out: { data: string }, ack: () => void) => {
      output += out.data;
      ack(); // the agent's next output waits for this, across both replicas
    });
    browser.on("terminal:exit", (e: { sessionId: string; code: number | null }) => (exit = e));
    const opened = await emit("terminal:open", { hostId, containerId, mode: "exec", cmd: ["sh", "-c", "read x; echo got-$x; exit 3"], cols: 80, rows: 24 });
    expect(opened).toMatchObject({ ok: true });
    const sessionId = opened.data.sessionId as string;
    expect(await emit("terminal:input", { sessionId, seq: 0, data: "abc\r" })).toMatchObject({ ok: true });
    await waitFor(() => output.includes("got-abc"), "the command's output on replica 1", 15_000);
    await waitFor(() => exit, "the session's end on replica 1", 15_000);
    expect(exit).toMatchObject({ sessionId, code: 3 });
  }, 40_000);

  it("runs reads and commands from replica 1 on the agent on replica 2, results and engine events back", async () => {
    const inspected = await caller.containers.inspect({ hostId, containerId });
    expect(JSON.stringify(inspected)).toContain(containerId);

    // A rule created on replica 1 reaches the alert engine, which runs only on the leader (replica 2).
    const rule = await caller.alerts.rules.create({ name: `${run}-died`, kind: "container_died", params: { ignoreCleanExit: false }, labelSelector: `portolan.run=${run}` });
    await new Promise((r) => setTimeout(r, 500)); // the leader re-reads its rules (no way to observe it from here)

    const events: DockerEventItem[] = [];
    browser.on("docker:events", (items: DockerEventItem[]) => events.push(...items));
    expect(await emit("events:subscribe", { hostId })).toMatchObject({ ok: true });

    const killed = await caller.containers.action({ hostId, containerId, action: "kill", params: { signal: "SIGKILL" } });
    expect(killed).toMatchObject({ ok: true, hostId, containerId });
    expect((await docker(["inspect", "-f", "{{.State.Status}}", containerId])).trim()).toBe("exited");
    const row = await services1.db.command.findUnique({ where: { id: killed.commandId } });
    expect(row?.status).toBe("ok");
    await waitFor(() => registry1().get(hostId)?.containers.get(containerId)?.state === "exited", "the exited state on replica 1");
    await waitFor(() => events.some((e) => e.actorId === containerId && e.action === "die"), "the engine's die event on the browser", 15_000);
    // Stored once, by replica 2, though both replicas' browsers saw it.
    const stored = await services1.db.dockerEvent.count({ where: { hostId, actorId: containerId, action: "die" } });
    expect(stored).toBe(1);
    await waitFor(() => services1.db.alert.count({ where: { ruleId: rule.id, containerId } }), "the alert fired on the leader", 15_000);
    await new Promise((r) => setTimeout(r, 1_000)); // room for a second replica to fire it too, if it would
    expect(await services1.db.alert.count({ where: { ruleId: rule.id } })).toBe(1);
  }, 60_000);

  it("stops showing the host online when replica 2 dies, takes over its duties, and serves the host once the agent reconnects to replica 1", async () => {
    expect(registry1().get(hostId)?.online).toBe(true);
    expect(clusterOf(server1.io)!.leading()).toBe(false);
    lb.target(null); // the balancer has nowhere to send the agent for now
    const killedAt = Date.now();
    process.kill(-replica2.child.pid!, "SIGKILL");
    await waitFor(() => !registry1().get(hostId)?.online, "the host offline on replica 1", PEER_EXPIRY_MS + 5_000);
    expect(Date.now() - killedAt).toBeLessThan(PEER_EXPIRY_MS + 5_000);
    expect(registry1().holder(hostId)).toBeNull();
    await waitFor(() => clusterOf(server1.io)!.peers().length === 0, "replica 2 given up");
    await waitFor(() => clusterOf(server1.io)!.leading(), "replica 1 leading once replica 2's lease expired", 10_000);
    expect(await redisKeys.get("portolan:leader")).toBe(replica1Id());

    lb.target(Number(new URL(server1.url).port));
    await waitFor(() => registry1().get(hostId)?.online, "the agent back, on replica 1", 30_000);
    expect(registry1().holder(hostId)).toBe(replica1Id());
    expect(services1.commands.links.isLocal(hostId)).toBe(true);
    const started = await caller.containers.action({ hostId, containerId, action: "start" });
    expect(started).toMatchObject({ ok: true });
    expect((await docker(["inspect", "-f", "{{.State.Status}}", containerId])).trim()).toBe("running");
  }, 90_000);
});
