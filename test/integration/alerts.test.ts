import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { io, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAgent, type RunningAgent } from "../../agents/host/agent";
import { loadOrCreateIdentity } from "../../agents/host/identity";
import { createLogger } from "../../agents/host/log";
import { createDockerRuntime } from "../../agents/host/runtime/docker-runtime";
import { createUser } from "../../server/auth/create-user";
import type { Actor } from "../../server/auth/resolve-actor";
import { AlertEngine } from "../../server/domain/alerts/alert-engine";
import { createServerLogger } from "../../server/log";
import { createCaller } from "../../server/trpc/router";
import { actorFor } from "../support/actors";
import { failure } from "../support/control-env";
import { docker } from "../support/docker-cli";
import { startTestAgent } from "../support/test-agent";
import { createTestServices, startRealtimeServer, waitFor } from "../support/test-services";

// A real alert engine on real services, with the real agent on the local engine and an HTTP
// receiver on 127.0.0.1 standing in for a webhook endpoint.

const DOCKER_HOST = process.env.DOCKER_HOST ?? "unix:///var/run/docker.sock";
const PASSWORD = "correct-horse-battery";
const RUN = `alerts-${process.pid}`;
const SECRET = "a-webhook-secret-of-some-length";
const IMAGE = "local/busybox:latest";

type Env = Awaited<ReturnType<typeof createTestServices>>;
type Received = { headers: http.IncomingHttpHeaders; body: string; json: { event: string; alert: Record<string, unknown> } };

let services: Env;
let server: Awaited<ReturnType<typeof startRealtimeServer>>;
let agent: RunningAgent;
let hostId: string;
let admin: Actor;
let viewer: Actor;
let webhookId: string;
const receiver = {
  server: null as http.Server | null,
  url: "",
  got: [] as Received[],
  /** Status codes to answer with, in turn; 204 when exhausted. */
  script: [] as number[],
};

const as = (actor: Actor) => createCaller({ services, actor, sourceIp: "127.0.0.1", requestOrigin: "http://127.0.0.1" });
const name = (suffix: string) => `pt-${RUN}-${suffix}`;
const labels = ["--label", "portolan.test=1", "--label", `portolan.run=${RUN}`];
const received = (event: string, alertId: string) => receiver.got.find((r) => r.json.event === event && r.json.alert.id === alertId);

function newEngine() {
  return new AlertEngine(
    { ...services, log: createServerLogger(process.env.TEST_LOG_LEVEL ?? "silent") },
    { tickMs: 200, webhooks: { pollMs: 100, timeoutMs: 2_000, backoff: { baseMs: 300, maxMs: 2_000, maxAttempts: 5, jitter: 0 } } },
  );
}

async function firingAlert(ruleId: string, containerId?: string) {
  return waitFor(async () => {
    const { items } = await as(admin).alerts.list({ state: "firing" });
    return items.find((a) => a.ruleId === ruleId && (!containerId || a.containerId === containerId));
  }, `a firing alert of rule ${ruleId}`, 20_000);
}

async function resolvedAlert(alertId: string) {
  return waitFor(async () => {
    const { items } = await as(admin).alerts.list({ state: "resolved" });
    return items.find((a) => a.id === alertId);
  }, `alert ${alertId} resolved`, 20_000);
}

/** A loopback port nothing listens on (it was just free). */
async function closedPort(): Promise<number> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

async function runningContainer(args: string[]): Promise<string> {
  const id = await docker(["run", "-d", ...labels, ...args]);
  await waitFor(() => services.registry.get(hostId)?.containers.get(id)?.state === "running", "container seen running");
  return id;
}

beforeAll(async () => {
  receiver.server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      receiver.got.push({ headers: req.headers, body, json: JSON.parse(body) as Received["json"] });
      res.writeHead(receiver.script.shift() ?? 204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.server!.listen(0, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(receiver.server.address() as AddressInfo).port}/hook`;

  services = await createTestServices();
  server = await startRealtimeServer(services);
  ({ agent, hostId } = await startTestAgent({ services, serverUrl: server.url, hostName: `${RUN}-engine`, dockerHost: DOCKER_HOST }));
  await waitFor(() => services.registry.get(hostId)?.online && services.registry.get(hostId)?.facts, "agent online with a snapshot");
  admin = await actorFor(services, await createUser(services, { email: "admin@alerts.test", password: PASSWORD, grantOnAllHosts: "admin" }));
  viewer = await actorFor(services, await createUser(services, { email: "viewer@alerts.test", password: PASSWORD, grantOnAllHosts: "viewer" }));
  services.alerts = newEngine();
  await services.alerts.start();
  webhookId = (await as(admin).alerts.webhooks.create({ name: "receiver", url: receiver.url, secret: SECRET })).id;
}, 120_000);

afterAll(async () => {
  await services?.alerts.stop();
  agent?.stop();
  const ids = (await docker(["ps", "-aq", "--filter", `label=portolan.run=${RUN}`]).catch(() => "")).split("\n").filter(Boolean);
  if (ids.length) await docker(["rm", "-f", ...ids]).catch(() => undefined);
  await server?.close();
  await services?.cleanup();
  receiver.server?.close();
});

describe("[ALERTS] rules against real containers", () => {
  it("a killed container fires container_died; the webhook receives the signed JSON; a restart resolves it", async () => {
    const rule = await as(admin).alerts.rules.create({ name: "died", kind: "container_died", params: {}, labelSelector: `portolan.run=${RUN}`, webhookIds: [webhookId] });
    const id = await runningContainer(["--name", name("died"), IMAGE, "sleep", "1000"]);
    await docker(["kill", id]);

    const alert = await firingAlert(rule.id, id);
    expect(alert).toMatchObject({ kind: "container_died", hostId, subject: `${name("died")} on ${RUN}-engine`, message: "exited with code 137 (killed)", value: 137 });
    const fired = await waitFor(() => received("alert.fired", alert.id), "the webhook got alert.fired");
    expect(fired.json.alert).toMatchObject({ id: alert.id, containerId: id, hostName: `${RUN}-engine`, state: "firing", ruleName: "died" });
    expect(fired.headers["content-type"]).toBe("application/json");
    const timestamp = String(fired.headers["x-portolan-timestamp"]);
    const expected = `sha256=${crypto.createHmac("sha256", SECRET).update(`${timestamp}.${fired.body}`).digest("hex")}`;
    expect(fired.headers["x-portolan-signature"]).toBe(expected);

    await docker(["start", id]);
    const resolved = await resolvedAlert(alert.id);
    expect(resolved.message).toBe("running again");
    await waitFor(() => received("alert.resolved", alert.id), "the webhook got alert.resolved");
  });

  it("a failing health check fires container_unhealthy and a passing one resolves it", async () => {
    const rule = await as(admin).alerts.rules.create({ name: "unhealthy", kind: "container_unhealthy", params: { seconds: 0 }, labelSelector: `portolan.run=${RUN}` });
    const id = await runningContainer(["--name", name("health"), "--health-cmd", "test ! -f /tmp/sick", "--health-interval", "1s", "--health-retries", "1", IMAGE, "sleep", "1000"]);
    await waitFor(() => services.registry.get(hostId)?.containers.get(id)?.health === "healthy", "container healthy", 20_000);
    expect((await as(admin).alerts.list({ state: "firing" })).items.filter((a) => a.ruleId === rule.id)).toEqual([]);

    await docker(["exec", id, "touch", "/tmp/sick"]);
    const alert = await firingAlert(rule.id, id);
    expect(alert.message).toMatch(/^unhealthy for \d+ s$/);

    await docker(["exec", id, "rm", "/tmp/sick"]);
    expect((await resolvedAlert(alert.id)).message).toBe("healthy");
  });

  it("a crash-looping container fires container_restarting; removing it resolves the alert", async () => {
    const rule = await as(admin).alerts.rules.create({ name: "restarting", kind: "container_restarting", params: { count: 2, minutes: 5 }, labelSelector: `portolan.run=${RUN}` });
    const id = await docker(["run", "-d", ...labels, "--name", name("loop"), "--restart", "always", IMAGE, "sh", "-c", "sleep 0.3; exit 3"]);
    const alert = await firingAlert(rule.id, id);
    expect(alert.value).toBeGreaterThan(2);
    expect(alert.message).toMatch(/^restarted \d+ times in 5 min$/);
    await docker(["rm", "-f", id]);
    expect((await resolvedAlert(alert.id)).message).toBe("container removed");
  });

  it("host_offline fires after N s when the agent stops and resolves when it reconnects", async () => {
    const rule = await as(admin).alerts.rules.create({ name: "offline", kind: "host_offline", params: { seconds: 2 } });
    agent.stop();
    await waitFor(() => services.registry.get(hostId)?.online === false, "host offline");
    const offlineAt = Date.now();
    const alert = await firingAlert(rule.id);
    expect(Date.now() - offlineAt).toBeGreaterThanOrEqual(1_800);
    expect(alert).toMatchObject({ hostId, containerId: null, subject: `${RUN}-engine` });

    const stateDir = path.join(services.dir, "agent");
    agent = await startAgent({
      config: { serverUrl: server.url, enrollToken: undefined, stateDir, dockerHost: DOCKER_HOST, logLevel: "error" },
      identity: await loadOrCreateIdentity(stateDir),
      runtime: createDockerRuntime(DOCKER_HOST),
      log: createLogger("error"),
      onFatal: (m) => {
        throw new Error(m);
      },
    });
    expect((await resolvedAlert(alert.id)).message).toBe("online");
    await as(admin).alerts.rules.delete({ ruleId: rule.id });
  });

  it("cpu_above fires from samples above the threshold for N s and resolves on the first below", async () => {
    const rule = await as(admin).alerts.rules.create({ name: "cpu", kind: "cpu_above", params: { threshold: 80, seconds: 2 }, target: "host" });
    await waitFor(() => services.metrics.wanted, "the engine to ask for metric samples once a CPU rule exists");
    const t0 = Date.now();
    const sample = (dt: number, cpuPercent: number) => services.metrics.publish([{ hostId, containerId: null, t: t0 + dt, cpuPercent, memoryBytes: 1e8, memoryPercent: 10 }]);
    sample(0, 91);
    sample(1_000, 95);
    await services.alerts.evaluate();
    expect((await as(admin).alerts.list({ state: "firing" })).items.filter((a) => a.ruleId === rule.id)).toEqual([]); // only 1 s so far
    sample(2_000, 93);
    const alert = await firingAlert(rule.id);
    expect(alert).toMatchObject({ value: 93, message: "CPU 93.0% above 80% for 2 s" });
    sample(3_000, 12);
    expect((await resolvedAlert(alert.id)).message).toBe("CPU 12.0%");
  });

  it("a firing alert survives a server restart: neither resolved nor fired again", async () => {
    const rule = await as(admin).alerts.rules.create({ name: "restart-proof", kind: "cpu_above", params: { threshold: 60, seconds: 1 }, target: "host" });
    const t0 = Date.now();
    services.metrics.publish([{ hostId, containerId: null, t: t0, cpuPercent: 70, memoryBytes: null, memoryPercent: null }]);
    services.metrics.publish([{ hostId, containerId: null, t: t0 + 1_000, cpuPercent: 75, memoryBytes: null, memoryPercent: null }]);
    const alert = await firingAlert(rule.id);
    await services.alerts.stop();
    services.alerts = newEngine();
    await services.alerts.start();
    services.metrics.publish([{ hostId, containerId: null, t: t0 + 2_000, cpuPercent: 71, memoryBytes: null, memoryPercent: null }]);
    await services.alerts.evaluate();
    expect(await services.db.alert.findMany({ where: { ruleId: rule.id }, select: { id: true, state: true } })).toEqual([{ id: alert.id, state: "firing" }]);
    services.metrics.publish([{ hostId, containerId: null, t: t0 + 3_000, cpuPercent: 10, memoryBytes: null, memoryPercent: null }]);
    expect((await resolvedAlert(alert.id)).message).toBe("CPU 10.0%");
    await as(admin).alerts.rules.delete({ ruleId: rule.id });
  });

  it("memory_above on containers follows the label selector", async () => {
    const rule = await as(admin).alerts.rules.create({ name: "memory", kind: "memory_above", params: { threshold: 50, seconds: 0 }, target: "container", labelSelector: `portolan.run=${RUN}` });
    const mine = await runningContainer(["--name", name("mem"), IMAGE, "sleep", "1000"]);
    const other = "f".repeat(64); // not on the host: never matches a selector
    services.metrics.publish([
      { hostId, containerId: other, t: Date.now(), cpuPercent: 1, memoryBytes: 9e8, memoryPercent: 99 },
      { hostId, containerId: mine, t: Date.now(), cpuPercent: 1, memoryBytes: 9e8, memoryPercent: 75 },
    ]);
    const alert = await firingAlert(rule.id);
    expect(alert.containerId).toBe(mine);
    expect((await as(admin).alerts.list({ state: "firing" })).items.filter((a) => a.ruleId === rule.id)).toHaveLength(1);
    await as(admin).alerts.rules.update({ ruleId: rule.id, enabled: false });
    expect((await resolvedAlert(alert.id)).message).toBe("rule disabled");
  });
});

describe("[ALERTS][LIVE] browsers", () => {
  async function liveSocket(email: string): Promise<Socket> {
    const res = await services.auth.api.signInEmail({ body: { email, password: PASSWORD }, asResponse: true });
    const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0]!;
    const s = io(server.url + "/live", { transports: ["websocket"], reconnection: false, forceNew: true, extraHeaders: { cookie, origin: server.url } });
    await new Promise<void>((resolve, reject) => (s.once("connect", () => resolve()), s.once("connect_error", reject)));
    await s.emitWithAck("fleet:subscribe", {});
    return s;
  }

  it("a firing alert nudges browsers that may read its host, and nobody else", async () => {
    await createUser(services, { email: "nobody@alerts.test", password: PASSWORD });
    const [reader, nobody] = [await liveSocket("viewer@alerts.test"), await liveSocket("nobody@alerts.test")];
    const nudges: Record<string, string[][]> = { reader: [], nobody: [] };
    reader.on("fleet:changed", (c: { hostId: string; kinds: string[] }[]) => nudges.reader!.push(c.filter((x) => x.hostId === hostId).flatMap((x) => x.kinds)));
    nobody.on("fleet:changed", (c: { kinds: string[] }[]) => nudges.nobody!.push(c.flatMap((x) => x.kinds)));
    const rule = await as(admin).alerts.rules.create({ name: "live", kind: "memory_above", params: { threshold: 10, seconds: 0 }, target: "host" });
    services.metrics.publish([{ hostId, containerId: null, t: Date.now(), cpuPercent: 1, memoryBytes: 1, memoryPercent: 50 }]);
    await firingAlert(rule.id);
    await waitFor(() => nudges.reader!.some((kinds) => kinds.includes("alerts")), "the reader got an alerts nudge");
    expect(nudges.nobody).toEqual([]);
    reader.disconnect();
    nobody.disconnect();
    await as(admin).alerts.rules.delete({ ruleId: rule.id });
  });
});

describe("[ALERTS] webhooks", () => {
  it("retries a failing receiver with exponential backoff until it accepts", async () => {
    const rule = await as(admin).alerts.rules.create({ name: "retry", kind: "cpu_above", params: { threshold: 50, seconds: 0 }, target: "host", webhookIds: [webhookId] });
    receiver.script = [500, 503];
    const before = receiver.got.length;
    services.metrics.publish([{ hostId, containerId: null, t: Date.now(), cpuPercent: 70, memoryBytes: null, memoryPercent: null }]);
    const alert = await firingAlert(rule.id);
    const delivery = await waitFor(async () => {
      const d = await services.db.webhookDelivery.findFirst({ where: { alertId: alert.id, event: "alert.fired" } });
      return d?.status === "delivered" ? d : null;
    }, "delivered after retries", 15_000);
    expect(delivery).toMatchObject({ attempt: 3, httpStatus: 204, error: null });
    const attempts = receiver.got.slice(before).filter((r) => r.json.alert.id === alert.id && r.json.event === "alert.fired");
    expect(attempts).toHaveLength(3);
    expect(new Set(attempts.map((a) => a.headers["x-portolan-delivery"])).size).toBe(1); // one delivery, three attempts, same body
    expect(new Set(attempts.map((a) => a.body)).size).toBe(1);
    await as(admin).alerts.rules.delete({ ruleId: rule.id });
  });

  it("a delivery queued before a restart is sent by the next engine", async () => {
    await services.alerts.stop();
    const alert = await services.db.alert.create({
      data: { ruleName: "gone", kind: "cpu_above", hostId, subject: "x", subjectKey: "gone|x|", state: "resolved", firedAt: new Date(), resolvedAt: new Date(), message: "queued before restart" },
    });
    await services.db.webhookDelivery.create({ data: { webhookId, alertId: alert.id, event: "alert.resolved", payload: JSON.stringify({ version: 1, event: "alert.resolved", alert: { id: alert.id } }), status: "pending", nextAttemptAt: new Date() } });
    services.alerts = newEngine();
    await services.alerts.start();
    await waitFor(() => received("alert.resolved", alert.id), "the pending delivery was sent after the restart");
  });

  it("the test button reports success and failure without throwing", async () => {
    const ok = await as(admin).alerts.webhooks.test({ webhookId });
    expect(ok).toMatchObject({ ok: true, status: 204, error: null });
    expect(receiver.got.at(-1)!.json.event).toBe("test");
    receiver.script = [500];
    expect(await as(admin).alerts.webhooks.test({ webhookId })).toMatchObject({ ok: false, status: 500, error: "HTTP 500" });
    const dead = await as(admin).alerts.webhooks.create({ name: "dead", url: `http://127.0.0.1:${await closedPort()}/hook` });
    expect(await as(admin).alerts.webhooks.test({ webhookId: dead.id })).toMatchObject({ ok: false, error: "connection refused" });
    const blocked = await as(admin).alerts.webhooks.create({ name: "blocked", url: "http://127.0.0.1:25/hook" }); // fetch refuses SMTP's port
    expect(await as(admin).alerts.webhooks.test({ webhookId: blocked.id })).toMatchObject({ ok: false, error: "that port is blocked for web requests" });
  });

  it("never returns or logs the secret, and refuses non-http URLs", async () => {
    const list = await as(admin).alerts.webhooks.list();
    expect(JSON.stringify(list)).not.toContain(SECRET);
    expect(list.find((w) => w.id === webhookId)).toMatchObject({ signed: true, name: "receiver" });
    const audit = await services.db.auditEvent.findMany({ where: { action: { startsWith: "alert.webhook" } } });
    expect(audit.length).toBeGreaterThan(0);
    expect(JSON.stringify(audit)).not.toContain(SECRET);
    expect(JSON.stringify(audit)).not.toContain("/hook"); // only the origin of a URL is audited
    for (const url of ["file:///etc/passwd", "gopher://127.0.0.1/", "https://u:p@127.0.0.1/"]) {
      expect((await failure(as(admin).alerts.webhooks.create({ name: "bad", url }))).code).toBe("BAD_REQUEST");
    }
  });
});

describe("[ALERTS] acknowledge and validation", () => {
  it("acknowledges once (keeps the first), needs alert:ack, and refuses an alert of another host", async () => {
    const alert = (await as(admin).alerts.list({})).items[0]!;
    expect((await failure(as(viewer).alerts.acknowledge({ hostId, alertId: alert.id }))).code).toBe("FORBIDDEN");
    const acked = await as(admin).alerts.acknowledge({ hostId, alertId: alert.id });
    expect(acked).toMatchObject({ acknowledgedBy: "admin@alerts.test" });
    expect((await as(admin).alerts.acknowledge({ hostId, alertId: alert.id })).acknowledgedAt).toBe(acked.acknowledgedAt);
    const other = await services.db.host.create({ data: { name: "other", publicKey: "O".repeat(44) } });
    expect((await failure(as(admin).alerts.acknowledge({ hostId: other.id, alertId: alert.id }))).code).toBe("NOT_FOUND");
  });

  it("rejects bad rule parameters with a message naming the field", async () => {
    const bad = await failure(as(admin).alerts.rules.create({ name: "bad", kind: "cpu_above", params: { threshold: 500, seconds: 1 } }));
    expect(bad).toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("params.threshold") });
    expect((await failure(as(admin).alerts.rules.create({ name: "bad2", kind: "host_offline", params: { seconds: 5 }, labelSelector: "a=b" }))).code).toBe("BAD_REQUEST");
    expect((await failure(as(admin).alerts.rules.create({ name: "bad3", kind: "container_died", params: {}, webhookIds: ["nope"] }))).code).toBe("BAD_REQUEST");
    expect((await failure(as(viewer).alerts.rules.create({ name: "v", kind: "container_died", params: {} }))).code).toBe("FORBIDDEN");
  });

  it("lists pages newest first and counts firing alerts", async () => {
    const all = await as(admin).alerts.list({ limit: 200 });
    const page1 = await as(admin).alerts.list({ limit: 2 });
    const page2 = await as(admin).alerts.list({ limit: 2, cursor: page1.nextCursor! });
    expect([...page1.items, ...page2.items].map((a) => a.id)).toEqual(all.items.slice(0, 4).map((a) => a.id));
    expect(all.counts.firing).toBe(all.items.filter((a) => a.state === "firing").length);
  });
});
