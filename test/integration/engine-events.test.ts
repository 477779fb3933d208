import net from "node:net";
import path from "node:path";
import { TRPCError } from "@trpc/server";
import { io, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningAgent } from "../../agents/host/agent";
import { eventKey } from "../../agents/host/engine-events/parse-engine-event";
import type { EngineEvent, EngineEventBatch } from "../../agents/protocol";
import { createUser } from "../../server/auth/create-user";
import type { Actor } from "../../server/auth/resolve-actor";
import { DockerEventFeed } from "../../server/domain/events/event-feed";
import type { DockerEventItem } from "../../server/domain/events/event-item";
import { EventIngest } from "../../server/domain/events/store-events";
import { createCaller } from "../../server/trpc/router";
import { actorFor } from "../support/actors";
import { docker } from "../support/docker-cli";
import { startTestAgent } from "../support/test-agent";
import { createTestServices, startRealtimeServer, waitFor } from "../support/test-services";

type Env = Awaited<ReturnType<typeof createTestServices>>;
const ENGINE_SOCKET = "/var/run/docker.sock";
const PASSWORD = "correct-horse-battery";
const TAG = `pt-ev-${process.pid}`;

let services: Env;
let server: Awaited<ReturnType<typeof startRealtimeServer>>;
let agent: RunningAgent;
let hostId: string;
let otherHostId: string;
let admin: Actor;
let otherViewer: Actor;
const sent: EngineEvent[] = []; // every engine event the agent put on the wire
const sockets: Socket[] = [];

/**
 * The agent reaches the engine through this proxy, so a test can cut its event stream (and refuse
 * reconnects for a while) without restarting the shared engine.
 */
const proxy = {
  server: null as net.Server | null,
  path: "",
  blocked: false,
  open: new Set<net.Socket>(),
  cut() {
    for (const s of this.open) s.destroy();
    this.open.clear();
  },
};

beforeAll(async () => {
  services = await createTestServices();
  server = await startRealtimeServer(services);
  proxy.path = path.join(services.dir, "docker.sock");
  proxy.server = net.createServer((client) => {
    if (proxy.blocked) return void client.destroy();
    const upstream = net.connect(ENGINE_SOCKET);
    proxy.open.add(client).add(upstream);
    const close = () => {
      client.destroy();
      upstream.destroy();
      proxy.open.delete(client);
      proxy.open.delete(upstream);
    };
    for (const s of [client, upstream]) s.on("error", close).on("close", close);
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => proxy.server!.listen(proxy.path, resolve));

  ({ agent, hostId } = await startTestAgent({ services, serverUrl: server.url, hostName: "events-host", dockerHost: `unix://${proxy.path}` }));
  agent.socket.onAnyOutgoing((event: string, batch: EngineEventBatch) => {
    if (event === "engine:events") sent.push(...batch.events);
  });
  otherHostId = (await services.db.host.create({ data: { name: "elsewhere", publicKey: "E".repeat(44) } })).id;
  const group = await services.db.hostGroup.create({ data: { name: "elsewhere-only", hosts: { create: [{ hostId: otherHostId }] } } });
  const adminUser = await createUser(services, { email: "admin@example.com", password: PASSWORD, grantOnAllHosts: "admin" });
  const viewerUser = await createUser(services, { email: "viewer@example.com", password: PASSWORD });
  await services.db.grant.create({ data: { userId: viewerUser.id, roleId: "role-viewer", hostGroupId: group.id } });
  admin = await actorFor(services, adminUser);
  otherViewer = await actorFor(services, viewerUser);
  // The engine stream is live once an event of ours comes through.
  await docker(["volume", "create", "--label", "portolan.test=1", `${TAG}-warmup`]);
  await waitFor(() => services.db.dockerEvent.findFirst({ where: { hostId, actorId: `${TAG}-warmup` } }), "the first engine event", 20_000);
});

afterAll(async () => {
  sockets.forEach((s) => s.disconnect());
  agent?.stop();
  for (const args of [["rm", "-f", `${TAG}-c`, `${TAG}-gap`], ["volume", "rm", "-f", `${TAG}-warmup`, `${TAG}-v`, `${TAG}-live`], ["network", "rm", `${TAG}-n`]]) {
    await docker(args).catch(() => undefined);
  }
  proxy.server?.close();
  proxy.cut();
  await server?.close();
  await services?.cleanup();
});

const caller = (actor: Actor | null) => createCaller({ services, actor, sourceIp: "127.0.0.1", requestOrigin: "http://127.0.0.1:3000" });
const stored = (where: { actorId?: string; actorName?: string; type?: string }) =>
  services.db.dockerEvent.findMany({ where: { hostId, ...where }, orderBy: [{ time: "asc" }, { id: "asc" }] });
async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "OK";
  } catch (err) {
    return err instanceof TRPCError ? err.code : String(err);
  }
}

describe("[EVENTS] engine events from a real engine", () => {
  it("stores a container's, a volume's and a network's events in order, with their types and actions", async () => {
    const id = await docker(["create", "--label", "portolan.test=1", "--name", `${TAG}-c`, "local/busybox:latest", "sleep", "1000"]);
    await docker(["start", `${TAG}-c`]);
    await docker(["stop", "-t", "0", `${TAG}-c`]);
    await docker(["rm", `${TAG}-c`]);
    await docker(["volume", "create", "--label", "portolan.test=1", `${TAG}-v`]);
    await docker(["volume", "rm", `${TAG}-v`]);
    const networkId = await docker(["network", "create", "--label", "portolan.test=1", `${TAG}-n`]);
    await docker(["network", "rm", `${TAG}-n`]);

    const lifecycle = ["create", "start", "die", "stop", "destroy"];
    const containerActions = async () => (await stored({ actorId: id })).map((e) => e.action).filter((a) => lifecycle.includes(a));
    await waitFor(async () => (await containerActions()).length === lifecycle.length, "the container's lifecycle events", 15_000);
    expect(await containerActions()).toEqual(lifecycle);
    const rows = await stored({ actorId: id });
    expect(new Set(rows.map((r) => r.type))).toEqual(new Set(["container"]));
    expect(rows.every((r) => r.actorName === `${TAG}-c`)).toBe(true);
    const die = rows.find((r) => r.action === "die")!;
    expect(JSON.parse(die.attributes!)).toMatchObject({ exitCode: "137", image: "local/busybox:latest", "portolan.test": "1" });

    await waitFor(async () => (await stored({ actorId: networkId })).some((e) => e.action === "destroy"), "network destroy", 15_000);
    expect((await stored({ actorId: `${TAG}-v`, type: "volume" })).map((e) => e.action)).toEqual(["create", "destroy"]);
    expect((await stored({ actorId: networkId })).map((e) => [e.type, e.action])).toEqual([["network", "create"], ["network", "destroy"]]);
  });

  it("events.list filters by host, type and action, newest first, and pages with a cursor", async () => {
    const a = caller(admin);
    const volumes = await a.events.list({ hostId, type: "volume", limit: 500 });
    expect(volumes.items.length).toBeGreaterThanOrEqual(3); // warm-up create, create and destroy
    expect(volumes.items.every((e) => e.type === "volume" && e.hostId === hostId && e.hostName === "events-host")).toBe(true);
    const times = volumes.items.map((e) => Date.parse(e.time));
    expect(times).toEqual([...times].sort((x, y) => y - x));
    expect((await a.events.list({ hostId: otherHostId })).items).toEqual([]);
    expect((await a.events.list({ hostId, action: "destroy", limit: 500 })).items.every((e) => e.action.includes("destroy"))).toBe(true);

    const first = await a.events.list({ hostId, limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toBeTruthy();
    const second = await a.events.list({ hostId, limit: 2, cursor: first.nextCursor! });
    expect(second.items.map((e) => e.id)).not.toContain(first.items[0]!.id);
    expect(Date.parse(second.items[0]!.time)).toBeLessThanOrEqual(Date.parse(first.items[1]!.time));
  });

  it("events.list shows a viewer of another group none of this host's events", async () => {
    const v = caller(otherViewer);
    expect((await v.events.list({})).items).toEqual([]);
    expect(await code(v.events.list({ hostId }))).toBe("FORBIDDEN");
    expect(await code(caller(null).events.list({}))).toBe("UNAUTHORIZED");
    expect((await caller(admin).events.list({})).items.length).toBeGreaterThan(0);
  });

  it("pushes new events live to subscribed browsers that may read the host, and refuses the others", async () => {
    const adminSocket = await browser("admin@example.com");
    const viewerSocket = await browser("viewer@example.com");
    const unsubscribed = await browser("admin@example.com");
    expect(await emit(adminSocket, "events:subscribe", {})).toMatchObject({ ok: true, data: { hostId: null } });
    expect(await emit(viewerSocket, "events:subscribe", { hostId })).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    expect(await emit(viewerSocket, "events:subscribe", {})).toMatchObject({ ok: true }); // fleet-wide: only hosts it may read
    const got: DockerEventItem[] = [];
    const leaked: DockerEventItem[] = [];
    adminSocket.on("docker:events", (items: DockerEventItem[]) => got.push(...items));
    viewerSocket.on("docker:events", (items: DockerEventItem[]) => leaked.push(...items));
    unsubscribed.on("docker:events", (items: DockerEventItem[]) => leaked.push(...items));

    await docker(["volume", "create", "--label", "portolan.test=1", `${TAG}-live`]);
    const item = await waitFor(() => got.find((e) => e.actorId === `${TAG}-live` && e.action === "create"), "a live docker:events push", 15_000);
    expect(item).toMatchObject({ hostId, hostName: "events-host", type: "volume" });
    expect(await services.db.dockerEvent.findUnique({ where: { id: item.id } })).not.toBeNull();
    await new Promise((r) => setTimeout(r, 300));
    expect(leaked).toEqual([]);
  });

  it("resumes after its engine stream is cut: nothing lost, nothing twice", async () => {
    const before = sent.length;
    proxy.blocked = true;
    proxy.cut();
    // While the agent cannot reach the engine, a container lives and dies.
    await docker(["run", "--label", "portolan.test=1", "--name", `${TAG}-gap`, "local/busybox:latest", "true"]);
    await docker(["rm", `${TAG}-gap`]);
    proxy.blocked = false;
    const want = ["create", "start", "die", "destroy"];
    const actions = async () => (await stored({ actorName: `${TAG}-gap` })).map((e) => e.action).filter((a) => want.includes(a));
    await waitFor(async () => (await actions()).length >= want.length, "events from the outage", 30_000);
    expect(await actions()).toEqual(want);
    expect(sent.length).toBeGreaterThan(before);
    // The engine replays from `since` inclusive; the agent must not send any event twice.
    const keys = sent.map(eventKey);
    expect(keys.length - new Set(keys).size).toBe(0);
    const all = await services.db.dockerEvent.findMany({ where: { hostId } });
    const rowKeys = all.map((r) => `${r.time.getTime()}|${r.type}|${r.action}|${r.actorId}|${r.attributes}`);
    expect(rowKeys.length - new Set(rowKeys).size).toBe(0);
  });
});

describe("[EVENTS] storage", () => {
  it("keeps the newest events per host, prunes in batches, and ignores a batch sent twice", async () => {
    const feed = new DockerEventFeed();
    const published: DockerEventItem[] = [];
    feed.on("stored", (items) => published.push(...items));
    const ingest = new EventIngest({ db: services.db, feed, log: services.log, retention: { keepPerHost: 10, checkEvery: 8 } });
    const batch = (from: number, n: number): EngineEventBatch => ({
      dropped: 0,
      events: Array.from({ length: n }, (_, i) => ({ timeNano: `${1_700_000_000_000 + from + i}000000`, type: "image", action: "pull", actorId: `img-${from + i}`, attributes: {} })),
    });
    const count = () => services.db.dockerEvent.count({ where: { hostId: otherHostId } });
    await ingest.store(otherHostId, batch(0, 4)); // first insert after start: checked (nothing to prune)
    await ingest.store(otherHostId, batch(4, 4));
    await ingest.store(otherHostId, batch(8, 3));
    expect(await count()).toBe(11); // over the limit, but only 7 inserts since the last check: not pruned yet
    expect((await ingest.store(otherHostId, batch(8, 3))).length).toBe(0); // the same batch again (lost ack)
    expect(await count()).toBe(11);
    await ingest.store(otherHostId, batch(11, 5)); // 12 since the check: pruned
    expect(await count()).toBe(10);
    const kept = await services.db.dockerEvent.findMany({ where: { hostId: otherHostId }, orderBy: { time: "asc" } });
    expect(kept.map((r) => r.actorId)).toEqual(Array.from({ length: 10 }, (_, i) => `img-${6 + i}`));
    expect(published).toHaveLength(16);
  });
});

async function browser(email: string): Promise<Socket> {
  const res = await services.auth.api.signInEmail({ body: { email, password: PASSWORD }, asResponse: true });
  const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0]!;
  const s = io(server.url + "/live", { transports: ["websocket"], reconnection: false, forceNew: true, extraHeaders: { cookie, origin: server.url } });
  sockets.push(s);
  await new Promise<void>((resolve, reject) => {
    s.once("connect", resolve);
    s.once("connect_error", reject);
  });
  return s;
}

const emit = (s: Socket, event: string, payload: unknown) => s.timeout(5_000).emitWithAck(event, payload) as Promise<unknown>;
