import { io, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "../../server/auth/create-user";
import type { FleetChange } from "../../server/realtime/browser-events";
import { createTestServices, startRealtimeServer, waitFor } from "../support/test-services";

type Env = Awaited<ReturnType<typeof createTestServices>>;
let services: Env;
let server: Awaited<ReturnType<typeof startRealtimeServer>>;
let adminCookie: string;
let scopedCookie: string;
let scopedUserId: string;
let hostA: string;
let hostB: string;
const sockets: Socket[] = [];
const PASSWORD = "correct-horse-battery";

function browser(headers: Record<string, string>): Socket {
  const s = io(server.url + "/live", { transports: ["websocket"], reconnection: false, forceNew: true, extraHeaders: headers });
  sockets.push(s);
  return s;
}
const outcome = (s: Socket) =>
  new Promise<string>((resolve) => {
    s.once("connect", () => resolve("connected"));
    s.once("connect_error", (err) => resolve(err.message));
  });
const emit = (s: Socket, event: string, payload: unknown, timeoutMs = 5000) =>
  s.timeout(timeoutMs).emitWithAck(event, payload) as Promise<{ ok: boolean; data?: unknown; error?: { code: string; message: string } }>;
async function signIn(email: string): Promise<string> {
  const res = await services.auth.api.signInEmail({ body: { email, password: PASSWORD }, asResponse: true });
  return (res.headers.get("set-cookie") ?? "").split(";")[0]!;
}
async function connected(cookie: string): Promise<Socket> {
  const s = browser({ cookie, origin: server.url });
  expect(await outcome(s)).toBe("connected");
  return s;
}

beforeAll(async () => {
  services = await createTestServices();
  server = await startRealtimeServer(services);
  await createUser(services, { email: "admin@example.com", password: PASSWORD, grantOnAllHosts: "admin" });
  scopedUserId = (await createUser(services, { email: "scoped@example.com", password: PASSWORD })).id;
  hostA = (await services.db.host.create({ data: { name: "a", publicKey: "A".repeat(44) } })).id;
  hostB = (await services.db.host.create({ data: { name: "b", publicKey: "B".repeat(44) } })).id;
  const group = await services.db.hostGroup.create({ data: { name: "only-a", hosts: { create: [{ hostId: hostA }] } } });
  await services.db.grant.create({ data: { userId: scopedUserId, roleId: "role-viewer", hostGroupId: group.id } });
  adminCookie = await signIn("admin@example.com");
  scopedCookie = await signIn("scoped@example.com");
});
afterAll(async () => {
  sockets.forEach((s) => s.disconnect());
  await server.close();
  await services.cleanup();
});

describe("[LIVE] browser gateway", () => {
  it("pushes coalesced fleet changes to subscribed browsers only", async () => {
    const a = await connected(adminCookie);
    const b = await connected(adminCookie);
    const idle = await connected(adminCookie); // connected but never subscribed
    expect(await emit(a, "fleet:subscribe", {})).toMatchObject({ ok: true });
    expect(await emit(b, "fleet:subscribe", {})).toMatchObject({ ok: true });
    const got: FleetChange[][] = [];
    const gotB: FleetChange[][] = [];
    const gotIdle: FleetChange[][] = [];
    a.on("fleet:changed", (c: FleetChange[]) => got.push(c));
    b.on("fleet:changed", (c: FleetChange[]) => gotB.push(c));
    idle.on("fleet:changed", (c: FleetChange[]) => gotIdle.push(c));
    services.registry.connected(hostA);
    services.registry.disconnected(hostA);
    services.registry.connected(hostB);
    await waitFor(() => got.length > 0 && gotB.length > 0, "fleet:changed on both browsers");
    expect(got[0]).toEqual(expect.arrayContaining([expect.objectContaining({ hostId: hostA, kinds: ["presence"] }), expect.objectContaining({ hostId: hostB, kinds: ["presence"] })]));
    expect(got).toHaveLength(1); // three registry changes, one nudge
    await new Promise((r) => setTimeout(r, 300));
    expect(gotIdle).toHaveLength(0);
  });

  it("during a burst of changes, flushes at most once per 40 ms", async () => {
    const a = await connected(adminCookie);
    expect(await emit(a, "fleet:subscribe", {})).toMatchObject({ ok: true });
    const arrivals: number[] = [];
    a.on("fleet:changed", () => arrivals.push(performance.now()));
    const started = performance.now();
    for (let i = 0; i < 40; i++) {
      services.registry.connected(i % 2 ? hostA : hostB);
      await new Promise((r) => setTimeout(r, 5));
    }
    await waitFor(() => arrivals.length > 0 && performance.now() - arrivals.at(-1)! > 200, "the burst's last nudge");
    const burstMs = arrivals.at(-1)! - started;
    expect(arrivals.length).toBeGreaterThan(1);
    expect(arrivals.length).toBeLessThanOrEqual(Math.ceil(burstMs / 40) + 1); // 40 changes, far fewer nudges
  });

  it("a caller granted one host group hears only about its hosts", async () => {
    const s = await connected(scopedCookie);
    expect(await emit(s, "fleet:subscribe", {})).toMatchObject({ ok: true });
    const got: FleetChange[][] = [];
    s.on("fleet:changed", (c: FleetChange[]) => got.push(c));
    services.registry.connected(hostB);
    services.registry.connected(hostA);
    await waitFor(() => got.length > 0, "a nudge");
    expect(got.flat().map((c) => c.hostId)).toEqual([hostA]);
  });

  it("sends each change with the host's new state; its containers only to callers with container:read", async () => {
    // hostA: a snapshot with two containers (out of name order), then one container's change.
    const hostOnly = (await createUser(services, { email: "host-only@example.com", password: PASSWORD })).id;
    const role = await services.db.role.create({ data: { name: "host-reader", permissions: JSON.stringify(["host:read"]) } });
    const group = await services.db.hostGroup.findUniqueOrThrow({ where: { name: "only-a" } });
    await services.db.grant.create({ data: { userId: hostOnly, roleId: role.id, hostGroupId: group.id } });
    const admin = await connected(adminCookie);
    const narrow = await connected(await signIn("host-only@example.com"));
    for (const s of [admin, narrow]) expect(await emit(s, "fleet:subscribe", {})).toMatchObject({ ok: true });
    const got: FleetChange[] = [];
    const gotNarrow: FleetChange[] = [];
    admin.on("fleet:changed", (c: FleetChange[]) => got.push(...c.filter((x) => x.hostId === hostA)));
    narrow.on("fleet:changed", (c: FleetChange[]) => gotNarrow.push(...c));

    const web = { id: "a".repeat(64), name: "web", image: "local/busybox:latest", imageId: "sha256:1", command: "httpd", state: "running" as const, status: "Up 1 second", health: "none" as const, createdAt: 1, startedAt: 2, finishedAt: null, exitCode: null, ports: [], labels: {}, networks: [], restartCount: 0 };
    const api = { ...web, id: "b".repeat(64), name: "api" };
    services.registry.connected(hostA);
    services.registry.applySnapshot(hostA, {
      generation: 7,
      facts: { hostname: "edge", os: "Debian", kernel: "6.1", architecture: "x86_64", cpus: 2, memoryBytes: 1e9, dockerVersion: "20.10.24", apiVersion: "1.41", cgroupVersion: "1", cgroupDriver: "cgroupfs", storageDriver: "overlay2", securityOptions: [], agentVersion: "0.1.0" },
      runtime: { available: true, error: null, checkedAt: Date.now() },
      containers: [web, api],
    });
    await waitFor(() => got.some((c) => c.kinds.includes("snapshot")), "the snapshot's change");
    const snap = got.find((c) => c.kinds.includes("snapshot"))!;
    expect(snap.host).toMatchObject({ id: hostA, name: "a", online: true, presence: "online", dockerVersion: "20.10.24", containers: { total: 2, running: 2 } });
    expect(snap.containers?.map((c) => [c.name, c.hostId, c.hostName, c.hostOnline])).toEqual([["api", hostA, "a", true], ["web", hostA, "a", true]]);

    services.registry.applyChange(hostA, { generation: 7, kind: "upsert", action: "die", time: Date.now(), container: { ...web, state: "exited", status: "Exited (0)" } });
    await waitFor(() => got.some((c) => c.kinds.includes("containers")), "the container change");
    const change = got.find((c) => c.kinds.includes("containers"))!;
    expect(change.host?.containers).toMatchObject({ total: 2, running: 1, stopped: 1 });
    expect(change.containers?.find((c) => c.name === "web")?.state).toBe("exited");

    // host:read without container:read: the summary, never the containers.
    await waitFor(() => gotNarrow.some((c) => c.kinds.includes("containers")), "the narrow caller's change");
    expect(gotNarrow.every((c) => c.hostId === hostA && c.host?.id === hostA && c.containers === undefined)).toBe(true);
  });

  it("checks every event: host:subscribe needs host:read on that host; bad payloads and unknown events are refused", async () => {
    const s = await connected(scopedCookie);
    expect(await emit(s, "host:subscribe", { hostId: hostA })).toMatchObject({ ok: true, data: { hostId: hostA } });
    const denied = await emit(s, "host:subscribe", { hostId: hostB });
    expect(denied).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    expect(await services.db.auditEvent.findFirst({ where: { action: "authz.denied", target: "live:host:subscribe", hostId: hostB } })).toMatchObject({ actor: "scoped@example.com", result: "denied" });
    expect(await emit(s, "host:subscribe", { hostId: "x".repeat(100) })).toMatchObject({ ok: false, error: { code: "BAD_REQUEST" } });
    expect(await emit(s, "host:subscribe", { hostId: hostA, room: "fleet" })).toMatchObject({ ok: false, error: { code: "BAD_REQUEST" } });
    // An event outside the policy table has no handler: no ack ever comes.
    await expect(emit(s, "join", { room: `host:${hostB}` }, 1000)).rejects.toThrow(/timed out|timeout/i);
  });

  it("removing a grant ends the caller's live stream within seconds; a new subscribe is refused", async () => {
    const s = await connected(scopedCookie);
    expect(await emit(s, "fleet:subscribe", {})).toMatchObject({ ok: true });
    const ended: unknown[] = [];
    s.on("stream:ended", (info: unknown) => ended.push(info));
    const grant = await services.db.grant.findFirstOrThrow({ where: { userId: scopedUserId } });
    await services.db.grant.delete({ where: { id: grant.id } });
    services.accessChanges.notify("test: grant removed");
    await waitFor(() => ended.length > 0, "stream:ended", 5000);
    expect(ended[0]).toMatchObject({ stream: "fleet" });
    const got: FleetChange[][] = [];
    s.on("fleet:changed", (c: FleetChange[]) => got.push(c));
    services.registry.disconnected(hostA);
    await new Promise((r) => setTimeout(r, 400));
    expect(got).toHaveLength(0);
    expect(await emit(s, "fleet:subscribe", {})).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    await services.db.grant.create({ data: { userId: scopedUserId, roleId: grant.roleId, hostGroupId: grant.hostGroupId } });
  });

  it("revoking the session disconnects the socket, and the next event is refused even before that", async () => {
    const cookie = await signIn("scoped@example.com");
    const s = await connected(cookie);
    const ended: unknown[] = [];
    s.on("session:ended", (info: unknown) => ended.push(info));
    const token = decodeURIComponent(cookie.split("=")[1]!).split(".")[0]!;
    await services.db.session.delete({ where: { token } });
    // No change event yet: the per-event check alone must refuse.
    expect(await emit(s, "fleet:subscribe", {})).toMatchObject({ ok: false, error: { code: "UNAUTHORIZED" } });
    await waitFor(() => ended.length > 0 && s.disconnected, "session:ended and disconnect", 5000);
  });

  it("refuses a handshake without a session", async () => {
    expect(await outcome(browser({ origin: server.url }))).toBe("unauthorized");
    expect(await outcome(browser({ origin: server.url, cookie: "better-auth.session_token=forged.value" }))).toBe("unauthorized");
  });

  it("refuses a cross-origin handshake even with a valid cookie", async () => {
    expect(await outcome(browser({ cookie: adminCookie, origin: "http://evil.example" }))).toBe("cross-origin connection refused");
    expect(await outcome(browser({ cookie: adminCookie }))).toBe("cross-origin connection refused");
  });
});
