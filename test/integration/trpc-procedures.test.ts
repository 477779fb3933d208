import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiToken } from "../../server/auth/api-tokens";
import { createUser } from "../../server/auth/create-user";
import { resolveActor, type Actor } from "../../server/auth/resolve-actor";
import { appRouter, createCaller } from "../../server/trpc/router";
import { actorFor } from "../support/actors";
import { createTestServices } from "../support/test-services";

type Env = Awaited<ReturnType<typeof createTestServices>>;
let services: Env;
let admin: Actor;
let viewer: Actor;

const caller = (actor: Actor | null) => createCaller({ services, actor, sourceIp: "127.0.0.1", requestOrigin: "http://127.0.0.1:3000" });
const codeOf = async (p: Promise<unknown>) => {
  try {
    await p;
    return "OK";
  } catch (err) {
    return err instanceof TRPCError ? err.code : String(err);
  }
};

beforeAll(async () => {
  services = await createTestServices();
  const a = await createUser(services, { email: "Admin@Example.com", password: "correct-horse-battery", grantOnAllHosts: "admin" });
  const v = await createUser(services, { email: "viewer@example.com", password: "correct-horse-battery", grantOnAllHosts: "viewer" });
  admin = await actorFor(services, a);
  viewer = await actorFor(services, v);
});
afterAll(() => services.cleanup());

describe("[TRPC] permission metadata", () => {
  it("every procedure declares a permission", () => {
    const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { meta?: { scope?: string; permission?: unknown } } }>);
    expect(procedures.length).toBeGreaterThan(30);
    for (const [path, proc] of procedures) {
      const meta = proc._def.meta;
      expect(meta?.scope, path).toMatch(/^(public|authenticated|global|host|container|list)$/);
      if (meta?.scope !== "public" && meta?.scope !== "authenticated") expect(meta?.permission, path).toBeTruthy();
    }
  });
});

describe("[TRPC] hosts and containers", () => {
  it("happy path: an admin creates an enrollment and lists hosts and containers", async () => {
    const enrollment = await caller(admin).hosts.createEnrollment({ name: "edge-7" });
    expect(enrollment.token).toMatch(/^pet_[A-Za-z0-9_-]{43}$/);
    expect(enrollment.command).toContain(`PORTOLAN_ENROLL_TOKEN=${enrollment.token}`);
    expect(enrollment.command).toContain("PORTOLAN_URL=http://127.0.0.1:3000");
    expect(new Date(enrollment.expiresAt).getTime() - Date.now()).toBeGreaterThan(29 * 60 * 1000);
    const audit = await services.db.auditEvent.findFirst({ where: { action: "host.create-enrollment" } });
    expect(audit).toMatchObject({ actorId: admin.id, target: "edge-7", result: "ok" });

    const host = await services.db.host.create({ data: { name: "edge-7", publicKey: "k".repeat(44) } });
    services.registry.connected(host.id);
    services.registry.applySnapshot(host.id, {
      generation: 1,
      facts: { hostname: "edge", os: "Debian", kernel: "6.1", architecture: "x86_64", cpus: 2, memoryBytes: 1e9, dockerVersion: "20.10.24", apiVersion: "1.41", cgroupVersion: "1", cgroupDriver: "cgroupfs", storageDriver: "overlay2", securityOptions: ["name=seccomp,profile=default"], agentVersion: "0.1.0" },
      runtime: { available: true, error: null, checkedAt: Date.now() },
      containers: [{ id: "a".repeat(64), name: "web", image: "local/busybox:latest", imageId: "sha256:1", command: "httpd", state: "running", status: "Up 1 second", health: "none", createdAt: 1, startedAt: 2, finishedAt: null, exitCode: null, ports: [], labels: { tier: "web" }, networks: [], restartCount: 0 }],
    });
    const hosts = await caller(viewer).hosts.list();
    expect(hosts).toEqual([expect.objectContaining({ id: host.id, name: "edge-7", online: true, presence: "online", dockerVersion: "20.10.24", containers: expect.objectContaining({ total: 1, running: 1 }) })]);
    const fleet = await caller(viewer).containers.list();
    expect(fleet).toEqual([expect.objectContaining({ hostId: host.id, name: "web", state: "running", labels: { tier: "web" } })]);
    expect(await caller(viewer).containers.list({ hostId: "nope" })).toEqual([]);
    expect((await caller(viewer).hosts.get({ hostId: host.id })).facts?.cgroupDriver).toBe("cgroupfs");
  });

  it("401 without a session or token", async () => {
    expect(await codeOf(caller(null).hosts.list())).toBe("UNAUTHORIZED");
    expect(await codeOf(caller(null).containers.list())).toBe("UNAUTHORIZED");
    expect(await codeOf(caller(null).hosts.createEnrollment({ name: "x" }))).toBe("UNAUTHORIZED");
  });

  it("403 for a viewer on admin procedures, and nothing is created", async () => {
    const before = await services.db.enrollmentToken.count();
    expect(await codeOf(caller(viewer).hosts.createEnrollment({ name: "sneaky" }))).toBe("FORBIDDEN");
    expect(await codeOf(caller(viewer).hosts.revoke({ hostId: "x" }))).toBe("FORBIDDEN");
    expect(await services.db.enrollmentToken.count()).toBe(before);
  });

  it("rejects bad input with BAD_REQUEST", async () => {
    expect(await codeOf(caller(admin).hosts.createEnrollment({ name: "" }))).toBe("BAD_REQUEST");
    expect(await codeOf(caller(admin).hosts.createEnrollment({ name: "$(reboot)" }))).toBe("BAD_REQUEST");
    expect(await codeOf(caller(admin).hosts.get({ hostId: "" }))).toBe("BAD_REQUEST");
    expect(await codeOf(caller(admin).hosts.get({ hostId: "missing" }))).toBe("NOT_FOUND");
    expect(await codeOf(caller(admin).hosts.revoke({ hostId: "missing" }))).toBe("NOT_FOUND");
  });
});

describe("[AUTH] API tokens and sessions", () => {
  it("a bearer token acts as its user; revoked, expired and unknown tokens are refused", async () => {
    const { token, id } = await createApiToken(services.db, { userId: viewer.id, name: "ci" });
    const actor = await resolveActor(services, new Headers({ authorization: `Bearer ${token}` }));
    expect(actor).toMatchObject({ id: viewer.id, via: "token" });
    const stored = await services.db.apiToken.findUniqueOrThrow({ where: { id } });
    expect(stored.tokenHash).not.toContain(token.slice(4));

    await services.db.apiToken.update({ where: { id }, data: { revokedAt: new Date() } });
    await expect(resolveActor(services, new Headers({ authorization: `Bearer ${token}` }))).rejects.toThrow(/revoked/);
    const expired = await createApiToken(services.db, { userId: viewer.id, name: "old", expiresAt: new Date(Date.now() - 1000) });
    await expect(resolveActor(services, new Headers({ authorization: `Bearer ${expired.token}` }))).rejects.toThrow(/expired/);
    await expect(resolveActor(services, new Headers({ authorization: `Bearer pat_${"x".repeat(43)}` }))).rejects.toThrow(/unknown/);
    const refusals = await services.db.auditEvent.findMany({ where: { action: "auth.token" }, orderBy: { id: "asc" } });
    expect(refusals.map((r) => r.result)).toEqual(["denied: API token revoked", "denied: API token expired", "denied: unknown API token"]);
    expect(JSON.stringify(refusals)).not.toContain(token.slice(12));
  });

  it("signs in with the password through better-auth and resolves the session cookie", async () => {
    const res = await services.auth.api.signInEmail({ body: { email: "viewer@example.com", password: "correct-horse-battery" }, asResponse: true });
    expect(res.status).toBe(200);
    const cookie = res.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const session = cookie.split(";")[0]!;
    expect(await resolveActor(services, new Headers({ cookie: session }))).toMatchObject({ id: viewer.id, via: "session" });
    const wrong = await services.auth.api.signInEmail({ body: { email: "viewer@example.com", password: "wrong-password-123" }, asResponse: true });
    expect(wrong.status).toBe(401);
    const logins = await services.db.auditEvent.findMany({ where: { action: "auth.login" }, orderBy: { id: "asc" } });
    expect(logins.map((l) => [l.actor, l.actorId, l.result])).toEqual([
      ["viewer@example.com", viewer.id, "ok"],
      ["viewer@example.com", null, "denied"],
    ]);
    expect(JSON.stringify(logins)).not.toContain("wrong-password-123");
  });

  it("first run: the setup code is required and works once", async () => {
    const fresh = await createTestServices();
    try {
      const code = await fresh.firstRun.prepare(null);
      expect(code).toMatch(/^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$/);
      expect(await fresh.firstRun.needsSetup()).toBe(true);
      const setupCaller = createCaller({ services: fresh, actor: null, sourceIp: null, requestOrigin: null });
      expect(await codeOf(setupCaller.session.completeSetup({ code: "AAAA-AAAA-AAAA-AAAA", email: "a@b.co", password: "long-enough-pass" }))).toBe("FORBIDDEN");
      expect(await fresh.db.user.count()).toBe(0);
      await setupCaller.session.completeSetup({ code: code!, email: "root@b.co", password: "long-enough-pass" });
      const root = await fresh.db.user.findFirst({ include: { grants: true } });
      expect(root).toMatchObject({ email: "root@b.co", grants: [expect.objectContaining({ roleId: "role-admin", hostGroupId: "group-all" })] });
      expect(await codeOf(setupCaller.session.completeSetup({ code: code!, email: "second@b.co", password: "long-enough-pass" }))).toBe("CONFLICT");
      expect(await fresh.firstRun.needsSetup()).toBe(false);
    } finally {
      await fresh.cleanup();
    }
  });
});
