import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Container } from "../../agents/protocol";
import { loadAccess } from "../../server/auth/access";
import { createUser } from "../../server/auth/create-user";
import type { Actor } from "../../server/auth/resolve-actor";
import { appRouter, createCaller } from "../../server/trpc/router";
import { actorFor } from "../support/actors";
import { createTestServices } from "../support/test-services";

type Env = Awaited<ReturnType<typeof createTestServices>>;
type Role = "anonymous" | "viewerA" | "operatorA" | "customA" | "admin";
const ROLES: Role[] = ["anonymous", "viewerA", "operatorA", "customA", "admin"]; // admin last: its calls may delete fixtures
const PASSWORD = "correct-horse-battery";

let services: Env;
const actors = {} as Record<Role, Actor | null>;
const ids = {} as Record<string, string>;
let n = 0;
const unique = (p: string) => `${p}-${++n}`;

const caller = (actor: Actor | null) => createCaller({ services, actor, sourceIp: "127.0.0.1", requestOrigin: "http://127.0.0.1:3000" });
async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "OK";
  } catch (err) {
    return err instanceof TRPCError ? err.code : `THROWN ${String(err)}`;
  }
}

function container(id: string, name: string): Container {
  return { id, name, image: "local/busybox:latest", imageId: "sha256:1", command: "sleep 1d", state: "running", status: "Up", health: "none", createdAt: 1, startedAt: 2, finishedAt: null, exitCode: null, ports: [], labels: {}, networks: [], restartCount: 0 };
}
function online(hostId: string, c: Container) {
  services.registry.connected(hostId);
  services.registry.applySnapshot(hostId, {
    generation: 1,
    facts: { hostname: hostId, os: "Debian", kernel: "6.1", architecture: "x86_64", cpus: 2, memoryBytes: 1e9, dockerVersion: "20.10.24", apiVersion: "1.41", cgroupVersion: "1", cgroupDriver: "cgroupfs", storageDriver: "overlay2", securityOptions: [], agentVersion: "0.1.0" },
    runtime: { available: true, error: null, checkedAt: Date.now() },
    containers: [c],
  });
}

beforeAll(async () => {
  services = await createTestServices();
  const { db } = services;
  ids.A = (await db.host.create({ data: { name: "host-a", publicKey: "A".repeat(44) } })).id;
  ids.B = (await db.host.create({ data: { name: "host-b", publicKey: "B".repeat(44) } })).id;
  ids.cA = "a".repeat(64);
  ids.cB = "b".repeat(64);
  online(ids.A, container(ids.cA, "web-a"));
  online(ids.B, container(ids.cB, "web-b"));
  ids.groupA = (await db.hostGroup.create({ data: { name: "group-a", hosts: { create: [{ hostId: ids.A }] } } })).id;
  ids.customRole = (await db.role.create({ data: { name: "restarter", permissions: JSON.stringify(["host:read", "container:read", "container:restart", "audit:read"]) } })).id;

  const admin = await createUser(services, { email: "admin@x.test", password: PASSWORD, grantOnAllHosts: "admin" });
  const viewer = await createUser(services, { email: "viewer@x.test", password: PASSWORD });
  const operator = await createUser(services, { email: "operator@x.test", password: PASSWORD });
  const custom = await createUser(services, { email: "custom@x.test", password: PASSWORD });
  // viewerA through a team, the others directly: both paths must count.
  const team = await db.team.create({ data: { name: "viewers", members: { create: [{ userId: viewer.id }] } } });
  await db.grant.createMany({
    data: [
      { teamId: team.id, roleId: "role-viewer", hostGroupId: ids.groupA },
      { userId: operator.id, roleId: "role-operator", hostGroupId: ids.groupA },
      { userId: custom.id, roleId: ids.customRole, hostGroupId: ids.groupA },
    ],
  });
  actors.anonymous = null;
  actors.viewerA = await actorFor(services, viewer);
  actors.operatorA = await actorFor(services, operator);
  actors.customA = await actorFor(services, custom);
  actors.admin = await actorFor(services, admin);

  // Fixtures the admin's calls may change or delete.
  const victim = await createUser(services, { email: "victim@x.test", password: PASSWORD });
  ids.victim = victim.id;
  ids.victimTeam = (await db.team.create({ data: { name: "victims" } })).id;
  ids.spareRole = (await db.role.create({ data: { name: "spare", permissions: "[]" } })).id;
  ids.spareGroup = (await db.hostGroup.create({ data: { name: "spare" } })).id;
  ids.victimGrant = (await db.grant.create({ data: { userId: victim.id, roleId: "role-viewer", hostGroupId: ids.groupA } })).id;
  ids.retentionRule = (await db.logRetentionRule.create({ data: { label: "keep=yes", maxMb: 1, maxDays: 1 } })).id;
  ids.victimToken = (await db.apiToken.create({ data: { userId: victim.id, name: "v", tokenHash: "h".repeat(64), prefix: "pat_vvvvvv" } })).id;
  // Alerts: one alert per host, a rule and a webhook (on a port fetch refuses: "Send test" makes no request).
  for (const h of ["A", "B"] as const) {
    ids[`alert${h}`] = (await db.alert.create({ data: { ruleName: "r", kind: "host_offline", hostId: ids[h]!, subject: h, subjectKey: `r|${ids[h]}|`, state: "firing", firedAt: new Date(), message: "offline" } })).id;
  }
  ids.alertRule = (await db.alertRule.create({ data: { name: "offline", kind: "host_offline", params: '{"seconds":30}' } })).id;
  ids.webhook = (await db.webhookTarget.create({ data: { name: "hook", url: "http://127.0.0.1:25/hook" } })).id;
});
afterAll(() => services.cleanup());

type Host = "A" | "B";
type Cell = { call: (c: ReturnType<typeof caller>, host: Host) => Promise<unknown>; allowed: Role[] | Record<Host, Role[]> };

const ALL_SIGNED_IN: Role[] = ["viewerA", "operatorA", "customA", "admin"];
const READERS_OF_A: Role[] = ["viewerA", "operatorA", "customA", "admin"];
const EVERYONE: Role[] = ["anonymous", ...ALL_SIGNED_IN];
const WRITERS_OF_A: Role[] = ["operatorA", "admin"]; // customA only restarts; viewerA only reads

/** Every procedure of the router, in an order where deletions come after their fixtures are used. */
const MATRIX: Record<string, Cell> = {
  "session.me": { call: (c) => c.session.me(), allowed: ALL_SIGNED_IN },
  "session.setupStatus": { call: (c) => c.session.setupStatus(), allowed: EVERYONE },
  "session.completeSetup": { call: (c) => c.session.completeSetup({ code: "AAAA-BBBB", email: "x@y.z", password: PASSWORD }), allowed: EVERYONE },
  "hosts.list": { call: (c) => c.hosts.list(), allowed: ALL_SIGNED_IN },
  "hosts.get": { call: (c, h) => c.hosts.get({ hostId: ids[h]! }), allowed: { A: READERS_OF_A, B: ["admin"] } },
  "hosts.createEnrollment": { call: (c) => c.hosts.createEnrollment({ name: unique("edge") }), allowed: ["admin"] },
  // Host B's container named with host A's id: authorised on B, where the server finds it.
  "containers.action": {
    call: (c, h) => c.containers.action({ hostId: ids.A!, containerId: h === "A" ? ids.cA! : ids.cB!, action: "restart" }),
    allowed: { A: ["operatorA", "customA", "admin"], B: ["admin"] },
  },
  "containers.list": { call: (c, h) => c.containers.list({ hostId: ids[h]! }), allowed: { A: READERS_OF_A, B: ["admin"] } },
  // Control procedures: the fake hosts have no agent link, so allowed calls end in PRECONDITION_FAILED (host offline).
  "containers.inspect": { call: (c, h) => c.containers.inspect({ containerId: h === "A" ? ids.cA! : ids.cB! }), allowed: { A: READERS_OF_A, B: ["admin"] } },
  "containers.create": { call: (c, h) => c.containers.create({ hostId: ids[h]!, spec: { image: "local/busybox:latest" } }), allowed: { A: WRITERS_OF_A, B: ["admin"] } },
  "containers.recreate": { call: (c, h) => c.containers.recreate({ containerId: h === "A" ? ids.cA! : ids.cB! }), allowed: { A: WRITERS_OF_A, B: ["admin"] } },
  "images.list": { call: (c, h) => c.images.list({ hostId: ids[h]! }), allowed: { A: ["viewerA", "operatorA", "admin"], B: ["admin"] } },
  "images.remove": { call: (c, h) => c.images.remove({ hostId: ids[h]!, imageId: "local/busybox:latest" }), allowed: { A: WRITERS_OF_A, B: ["admin"] } },
  "images.prune": { call: (c, h) => c.images.prune({ hostId: ids[h]! }), allowed: { A: WRITERS_OF_A, B: ["admin"] } },
  "images.pull": { call: (c, h) => c.images.pull({ hostId: ids[h]!, reference: "library/alpine:3.19" }), allowed: { A: WRITERS_OF_A, B: ["admin"] } },
  "volumes.list": { call: (c, h) => c.volumes.list({ hostId: ids[h]! }), allowed: { A: ["viewerA", "operatorA", "admin"], B: ["admin"] } },
  "volumes.create": { call: (c, h) => c.volumes.create({ hostId: ids[h]!, name: "data" }), allowed: { A: WRITERS_OF_A, B: ["admin"] } },
  "volumes.remove": { call: (c, h) => c.volumes.remove({ hostId: ids[h]!, name: "data" }), allowed: { A: WRITERS_OF_A, B: ["admin"] } },
  "volumes.prune": { call: (c, h) => c.volumes.prune({ hostId: ids[h]! }), allowed: { A: WRITERS_OF_A, B: ["admin"] } },
  "networks.list": { call: (c, h) => c.networks.list({ hostId: ids[h]! }), allowed: { A: ["viewerA", "operatorA", "admin"], B: ["admin"] } },
  "networks.create": { call: (c, h) => c.networks.create({ hostId: ids[h]!, name: "backend" }), allowed: { A: WRITERS_OF_A, B: ["admin"] } },
  "networks.remove": { call: (c, h) => c.networks.remove({ hostId: ids[h]!, networkId: "backend" }), allowed: { A: WRITERS_OF_A, B: ["admin"] } },
  "networks.prune": { call: (c, h) => c.networks.prune({ hostId: ids[h]! }), allowed: { A: WRITERS_OF_A, B: ["admin"] } },
  "security.container": { call: (c, h) => c.security.container({ containerId: h === "A" ? ids.cA! : ids.cB! }), allowed: { A: READERS_OF_A, B: ["admin"] } },
  // Across hosts: every signed-in caller gets an answer holding only the hosts they may read.
  "security.fleet": { call: (c, h) => c.security.fleet({ hostId: ids[h]! }), allowed: { A: READERS_OF_A, B: ["admin"] } },
  "processes.list": { call: (c, h) => c.processes.list({ containerId: h === "A" ? ids.cA! : ids.cB! }), allowed: { A: READERS_OF_A, B: ["admin"] } },
  "network.host": { call: (c, h) => c.network.host({ hostId: ids[h]! }), allowed: { A: ["viewerA", "operatorA", "admin"], B: ["admin"] } },
  "account.sessions": { call: (c) => c.account.sessions(), allowed: ALL_SIGNED_IN },
  "account.revokeSessions": { call: (c) => c.account.revokeSessions({}), allowed: ALL_SIGNED_IN },
  "account.changePassword": { call: (c) => c.account.changePassword({ currentPassword: PASSWORD, newPassword: PASSWORD }), allowed: ALL_SIGNED_IN },
  "tokens.list": { call: (c) => c.tokens.list(), allowed: ALL_SIGNED_IN },
  "tokens.create": { call: (c) => c.tokens.create({ name: unique("tok") }), allowed: ALL_SIGNED_IN },
  "tokens.revoke": { call: (c) => c.tokens.revoke({ tokenId: ids.victimToken! }), allowed: ALL_SIGNED_IN }, // NOT_FOUND: not theirs
  "roles.list": { call: (c) => c.roles.list(), allowed: ALL_SIGNED_IN },
  "roles.permissions": { call: (c) => c.roles.permissions(), allowed: ALL_SIGNED_IN },
  "roles.create": { call: (c) => c.roles.create({ name: unique("role"), permissions: ["host:read"] }), allowed: ["admin"] },
  "roles.update": { call: (c) => c.roles.update({ roleId: ids.spareRole!, description: "changed" }), allowed: ["admin"] },
  "hostGroups.list": { call: (c) => c.hostGroups.list(), allowed: ALL_SIGNED_IN },
  "hostGroups.create": { call: (c) => c.hostGroups.create({ name: unique("grp") }), allowed: ["admin"] },
  "hostGroups.update": { call: (c) => c.hostGroups.update({ groupId: ids.spareGroup!, description: "x" }), allowed: ["admin"] },
  "hostGroups.setHosts": { call: (c) => c.hostGroups.setHosts({ groupId: ids.spareGroup!, hostIds: [ids.B!] }), allowed: ["admin"] },
  "teams.candidates": { call: (c) => c.teams.candidates(), allowed: ["admin"] },
  "grants.subjects": { call: (c) => c.grants.subjects(), allowed: ["admin"] },
  "teams.list": { call: (c) => c.teams.list(), allowed: ["admin"] },
  "teams.create": { call: (c) => c.teams.create({ name: unique("team") }), allowed: ["admin"] },
  "teams.update": { call: (c) => c.teams.update({ teamId: ids.victimTeam!, description: "x" }), allowed: ["admin"] },
  "teams.addMember": { call: (c) => c.teams.addMember({ teamId: ids.victimTeam!, userId: ids.victim! }), allowed: ["admin"] },
  "teams.removeMember": { call: (c) => c.teams.removeMember({ teamId: ids.victimTeam!, userId: ids.victim! }), allowed: ["admin"] },
  "grants.list": { call: (c) => c.grants.list(), allowed: ["admin"] },
  "grants.create": { call: (c) => c.grants.create({ teamId: ids.victimTeam!, roleId: "role-viewer", hostGroupId: ids.groupA! }), allowed: ["admin"] },
  "grants.delete": { call: (c) => c.grants.delete({ grantId: ids.victimGrant! }), allowed: ["admin"] },
  "users.list": { call: (c) => c.users.list(), allowed: ["admin"] },
  "users.create": { call: (c) => c.users.create({ email: `${unique("u")}@x.test`, password: PASSWORD }), allowed: ["admin"] },
  "users.update": { call: (c) => c.users.update({ userId: ids.victim!, name: "Victim" }), allowed: ["admin"] },
  "users.resetPassword": { call: (c) => c.users.resetPassword({ userId: ids.victim!, password: PASSWORD }), allowed: ["admin"] },
  "users.sessions": { call: (c) => c.users.sessions({ userId: ids.victim! }), allowed: ["admin"] },
  "users.revokeSessions": { call: (c) => c.users.revokeSessions({ userId: ids.victim! }), allowed: ["admin"] },
  "users.tokens": { call: (c) => c.users.tokens({ userId: ids.victim! }), allowed: ["admin"] },
  "users.revokeToken": { call: (c) => c.users.revokeToken({ tokenId: ids.victimToken! }), allowed: ["admin"] },
  "events.list": { call: (c, h) => c.events.list({ hostId: ids[h]! }), allowed: { A: READERS_OF_A, B: ["admin"] } },
  // customA holds host:read and container:read but not logs:read.
  "logs.search": { call: (c) => c.logs.search({ query: "x" }), allowed: ALL_SIGNED_IN },
  "logs.retention.list": { call: (c) => c.logs.retention.list(), allowed: ALL_SIGNED_IN },
  "logs.retention.set": { call: (c, h) => c.logs.retention.set({ hostId: ids[h]!, maxMb: 10, maxDays: 7 }), allowed: ["admin"] },
  "logs.retention.remove": { call: (c) => c.logs.retention.remove({ ruleId: ids.retentionRule! }), allowed: ["admin"] },
  "logs.read": { call: (c, h) => c.logs.read({ hostId: ids[h]!, containerId: h === "A" ? ids.cA! : ids.cB! }), allowed: { A: ["viewerA", "operatorA", "admin"], B: ["admin"] } },
  "metrics.query": { call: (c, h) => c.metrics.query({ hostId: ids[h]!, containerId: h === "A" ? ids.cA! : ids.cB!, metric: "cpu", from: Date.now() - 60_000, to: Date.now() }), allowed: { A: READERS_OF_A, B: ["admin"] } },
  "metrics.history": { call: (c, h) => c.metrics.history({ hostId: ids[h]!, metrics: ["cpu", "memory"], from: Date.now() - 86_400_000, to: Date.now() }), allowed: { A: READERS_OF_A, B: ["admin"] } },
  "metrics.sparklines": { call: (c, h) => c.metrics.sparklines({ hostId: ids[h]! }), allowed: { A: READERS_OF_A, B: ["admin"] } },
  "metrics.fleetTop": { call: (c) => c.metrics.fleetTop(), allowed: ALL_SIGNED_IN },
  "alerts.list": { call: (c, h) => c.alerts.list({ hostId: ids[h]! }), allowed: { A: READERS_OF_A, B: ["admin"] } },
  "alerts.acknowledge": { call: (c, h) => c.alerts.acknowledge({ hostId: ids[h]!, alertId: ids[`alert${h}`]! }), allowed: { A: WRITERS_OF_A, B: ["admin"] } },
  "alerts.rules.list": { call: (c) => c.alerts.rules.list(), allowed: ALL_SIGNED_IN },
  "alerts.rules.create": { call: (c) => c.alerts.rules.create({ name: unique("rule"), kind: "host_offline", params: { seconds: 30 } }), allowed: ["admin"] },
  "alerts.rules.update": { call: (c) => c.alerts.rules.update({ ruleId: ids.alertRule!, enabled: false }), allowed: ["admin"] },
  "alerts.webhooks.list": { call: (c) => c.alerts.webhooks.list(), allowed: ["admin"] },
  "alerts.webhooks.create": { call: (c) => c.alerts.webhooks.create({ name: unique("hook"), url: "https://hooks.example.test/x" }), allowed: ["admin"] },
  "alerts.webhooks.test": { call: (c) => c.alerts.webhooks.test({ webhookId: ids.webhook! }), allowed: ["admin"] },
  "audit.list": { call: (c) => c.audit.list({}), allowed: ["admin"] }, // customA's audit:read is on a group, not all hosts
  "audit.verify": { call: (c) => c.audit.verify(), allowed: ["admin"] },
  "alerts.rules.delete": { call: (c) => c.alerts.rules.delete({ ruleId: ids.alertRule! }), allowed: ["admin"] },
  "alerts.webhooks.delete": { call: (c) => c.alerts.webhooks.delete({ webhookId: ids.webhook! }), allowed: ["admin"] },
  "roles.delete": { call: (c) => c.roles.delete({ roleId: ids.spareRole! }), allowed: ["admin"] },
  "hostGroups.delete": { call: (c) => c.hostGroups.delete({ groupId: ids.spareGroup! }), allowed: ["admin"] },
  "teams.delete": { call: (c) => c.teams.delete({ teamId: ids.victimTeam! }), allowed: ["admin"] },
  "users.delete": { call: (c) => c.users.delete({ userId: ids.victim! }), allowed: ["admin"] },
  "hosts.revoke": { call: (c, h) => c.hosts.revoke({ hostId: ids[h]! }), allowed: { A: ["admin"], B: ["admin"] } },
};

describe("[ACCESS] scoping", () => {
  it("list procedures return only what the caller may read", async () => {
    const hosts = await caller(actors.viewerA).hosts.list();
    expect(hosts.map((h) => h.name)).toEqual(["host-a"]);
    const containers = await caller(actors.viewerA).containers.list();
    expect(containers.map((c) => c.name)).toEqual(["web-a"]);
    expect((await caller(actors.admin).containers.list()).map((c) => c.name).sort()).toEqual(["web-a", "web-b"]);
  });

  it("alerts are listed and counted only for hosts the caller may read", async () => {
    const mine = await caller(actors.viewerA).alerts.list();
    expect(mine.items.map((a) => a.hostId)).toEqual([ids.A]);
    expect(mine.counts).toEqual({ firing: 1, unacknowledged: 1 });
    expect((await caller(actors.admin).alerts.list()).counts.firing).toBe(2);
  });

  it("an API token narrowed to permissions and a host group holds only the intersection", async () => {
    const adminCaller = caller(actors.admin);
    const { token } = await adminCaller.tokens.create({ name: "narrow", permissions: ["host:read", "user:manage"], hostGroupIds: [ids.groupA!] });
    const { resolveActor } = await import("../../server/auth/resolve-actor");
    const viaToken = (await resolveActor(services, new Headers({ authorization: `Bearer ${token}` })))!;
    const c = caller(viaToken);
    expect((await c.hosts.list()).map((h) => h.name)).toEqual(["host-a"]);
    expect(await outcome(c.hosts.get({ hostId: ids.B! }))).toBe("FORBIDDEN");
    expect(await c.containers.list()).toEqual([]); // container:read is not in the token: nothing to list
    expect(await outcome(c.containers.list({ hostId: ids.A! }))).toBe("FORBIDDEN");
    expect(await outcome(c.users.list())).toBe("FORBIDDEN"); // global permission, but the token is narrowed to a group
    expect(await outcome(c.tokens.create({ name: "child" }))).toBe("FORBIDDEN"); // tokens cannot mint tokens
    const fromViewer = await caller(actors.viewerA).tokens.create({ name: "wide", permissions: ["user:manage", "host:read"] });
    const viewerToken = (await resolveActor(services, new Headers({ authorization: `Bearer ${fromViewer.token}` })))!;
    expect(await outcome(caller(viewerToken).users.list())).toBe("FORBIDDEN"); // a token never exceeds its user
  });

  it("nobody can grant more than they hold", async () => {
    const { db } = services;
    const delegate = await createUser(services, { email: "delegate@x.test", password: PASSWORD });
    const grantRole = await db.role.create({ data: { name: "granter", permissions: JSON.stringify(["grant:manage"]) } });
    await db.grant.createMany({
      data: [
        { userId: delegate.id, roleId: grantRole.id, hostGroupId: "group-all" },
        { userId: delegate.id, roleId: "role-operator", hostGroupId: ids.groupA! },
      ],
    });
    const d = caller(await actorFor(services, delegate));
    const target = await createUser(services, { email: "target@x.test", password: PASSWORD });
    expect(await outcome(d.grants.create({ userId: target.id, roleId: "role-viewer", hostGroupId: ids.groupA! }))).toBe("OK");
    expect(await outcome(d.grants.create({ userId: target.id, roleId: "role-operator", hostGroupId: "group-all" }))).toBe("FORBIDDEN");
    expect(await outcome(d.grants.create({ userId: target.id, roleId: "role-admin", hostGroupId: ids.groupA! }))).toBe("FORBIDDEN");
    expect(await outcome(d.grants.create({ userId: delegate.id, roleId: "role-admin", hostGroupId: "group-all" }))).toBe("FORBIDDEN");
    const access = await loadAccess(db, target.id);
    expect([...(access.hosts.get(ids.A!) ?? [])]).toContain("host:read");
    expect(access.everywhere.size + access.global.size).toBe(0);
  });

  it("a container is authorised on the host the server finds it on, never on a hostId the caller names", async () => {
    const op = caller(actors.operatorA);
    expect(await outcome(op.containers.list({ hostId: ids.B! }))).toBe("FORBIDDEN");
    expect(await outcome(op.containers.action({ hostId: ids.A!, containerId: ids.cB!, action: "stop" }))).toBe("FORBIDDEN");
    expect(await outcome(op.containers.action({ containerId: ids.cB!.slice(0, 12), action: "stop" }))).toBe("FORBIDDEN");
    expect(await outcome(op.containers.action({ hostId: ids.B!, containerId: "web-a", action: "stop" }))).toBe("FORBIDDEN");
    expect(await outcome(caller(actors.admin).containers.action({ hostId: ids.A!, containerId: ids.cB!, action: "stop" }))).toBe("NOT_FOUND");
    // Per-action permissions: the custom role may restart but not stop; a viewer may do neither.
    expect(await outcome(caller(actors.customA).containers.action({ containerId: ids.cA!, action: "stop" }))).toBe("FORBIDDEN");
    expect(await outcome(caller(actors.viewerA).containers.action({ containerId: ids.cA!, action: "restart" }))).toBe("FORBIDDEN");
    // Nothing reached the command channel for any refusal.
    expect(await services.db.command.count()).toBe(0);
  });

  it("validates container references and actions before anything else", async () => {
    const admin = caller(actors.admin);
    for (const containerId of ["../x", "%2e%2e", "a/b", "x".repeat(1_000_000), ""]) {
      expect(await outcome(admin.containers.action({ hostId: ids.A!, containerId, action: "stop" })), containerId.slice(0, 10)).toBe("BAD_REQUEST");
    }
    expect(await outcome(admin.containers.action({ containerId: ids.cA!, action: "exec" as "stop" }))).toBe("BAD_REQUEST");
    expect(await outcome(admin.containers.action({ containerId: ids.cA!, action: "stop", params: { timeout: 10_000 } }))).toBe("BAD_REQUEST");
    expect(await outcome(admin.containers.action({ containerId: ids.cA!, action: "stop", params: { Privileged: true } }))).toBe("BAD_REQUEST");
    expect(await services.db.command.count()).toBe(0);
  });

  it("refuses to leave the fleet without an enabled admin", async () => {
    const { db } = services;
    const admins = await db.grant.findMany({ where: { roleId: "role-admin", hostGroupId: "group-all" } });
    expect(admins).toHaveLength(1);
    expect(await outcome(caller(actors.admin).grants.delete({ grantId: admins[0]!.id }))).toBe("CONFLICT");
    expect(await outcome(caller(actors.admin).users.update({ userId: actors.admin!.id, disabled: true }))).toBe("BAD_REQUEST");
    expect(await db.grant.count({ where: { id: admins[0]!.id } })).toBe(1);
  });
});

// Runs last: the admin's calls revoke both hosts and delete fixtures.
describe("[ACCESS] matrix: every procedure × role × host", () => {
  it("covers every procedure of the router", () => {
    expect(Object.keys(MATRIX).sort()).toEqual(Object.keys(appRouter._def.procedures).sort());
  });

  it("allows exactly what the model says, refuses the rest, and audits every allowed mutation and every refusal", async () => {
    const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>;
    const failures: string[] = [];
    for (const [path, cell] of Object.entries(MATRIX)) {
      const hosts: Host[] = Array.isArray(cell.allowed) ? ["A"] : ["A", "B"];
      for (const host of hosts) {
        const allowed = Array.isArray(cell.allowed) ? cell.allowed : cell.allowed[host];
        for (const role of ROLES) {
          const before = await services.db.auditEvent.count();
          const got = await outcome(cell.call(caller(actors[role]), host));
          const denied = got === "FORBIDDEN" || got === "UNAUTHORIZED";
          const want = allowed.includes(role) ? "allowed" : role === "anonymous" ? "UNAUTHORIZED" : "FORBIDDEN";
          const label = `${path} as ${role} on ${host}: got ${got}, want ${want}`;
          if (want === "allowed" ? denied || got.startsWith("THROWN") || got === "INTERNAL_SERVER_ERROR" : got !== want) failures.push(label);
          const audited = (await services.db.auditEvent.count()) > before;
          if (got === "FORBIDDEN" && !audited) failures.push(`${label}: refusal not audited`);
          if (got === "OK" && procedures[path]!._def.type === "mutation" && !audited) failures.push(`${label}: mutation not audited`);
        }
      }
    }
    expect(failures).toEqual([]);
  }, 60_000);
});
