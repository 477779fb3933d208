import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { docker } from "../support/docker-cli";
import { waitFor } from "../support/test-services";
import { apiToken, cli, enrollToken, killHard, makeWorkspace, startAgentProcess, startServer, tail, trpc, type ServerProcess, type Workspace } from "./support/portolan-process";

const IMAGE = "local/busybox:latest";
const BURST = 450;

let ws: Workspace;
let server: ServerProcess;
let token: string;
let agent: ReturnType<typeof startAgentProcess>;
let containerId: string;
let hostId: string;

type Host = { id: string; name: string; online: boolean };
type Container = { id: string; name: string; hostId: string };

async function hostOnlineWithContainer(url: string): Promise<boolean> {
  const hosts = await trpc<Host[]>(url, token, "hosts.list", undefined, "query", 10_000);
  if (!hosts.data?.find((h) => h.id === hostId)?.online) return false;
  const containers = await trpc<Container[]>(url, token, "containers.list", { hostId }, "query", 10_000);
  return containers.data?.some((c) => c.id === containerId) ?? false;
}

beforeAll(async () => {
  ws = makeWorkspace("crash");
  server = await startServer(ws, { env: { PORTOLAN_AGENT_TIMEOUT: "10" } });
  token = await apiToken(ws, "crash-test");
  containerId = await docker(["run", "-d", "--label", "portolan.test=1", "--name", `portolan-fault-crash-${process.pid}`, IMAGE, "sleep", "3600"]);
  agent = startAgentProcess(ws, { url: server.url, token: await enrollToken(ws, "crash-host"), name: "crash-host" });
  hostId = await waitFor(async () => {
    const hosts = await trpc<Host[]>(server.url, token, "hosts.list", undefined, "query");
    return hosts.data?.find((h) => h.name === "crash-host" && h.online)?.id;
  }, `the agent to come online:\n${tail(agent.log)}`, 90_000);
  await waitFor(() => hostOnlineWithContainer(server.url), "the test container in the inventory", 30_000);
}, 300_000);

afterAll(async () => {
  await agent?.stop();
  await server?.stop();
  if (containerId) await docker(["rm", "-f", containerId]).catch(() => undefined);
  ws?.cleanup();
});

describe("[FAULTS][CRASH] server SIGKILLed during a burst of audited mutations", () => {
  it("keeps every acknowledged change with its audit entry, half-writes none, verifies the chain, and the agent resyncs", async () => {
    // Teams the burst deletes (each delete is audited with the team's name).
    const doomed: { id: string; name: string }[] = [];
    for (let i = 0; i < 60; i++) {
      const made = await trpc<{ id: string; name: string }>(server.url, token, "teams.create", { name: `doomed-${i}` });
      expect(made.status).toBe(200);
      doomed.push(made.data!);
    }

    type Op = { kind: "team.create" | "hostgroup.create" | "team.delete"; name: string; call: () => Promise<{ status: number }> };
    const ops: Op[] = Array.from({ length: BURST }, (_, i): Op => {
      const target = doomed[Math.floor(i / 3) % doomed.length]!;
      if (i % 3 === 0) return { kind: "team.create", name: `burst-team-${i}`, call: () => trpc(server.url, token, "teams.create", { name: `burst-team-${i}` }) };
      if (i % 3 === 1) return { kind: "hostgroup.create", name: `burst-group-${i}`, call: () => trpc(server.url, token, "hostGroups.create", { name: `burst-group-${i}` }) };
      return { kind: "team.delete", name: target.name, call: () => trpc(server.url, token, "teams.delete", { teamId: target.id }) };
    });
    // Only the first delete of a team can succeed; later ones are NOT_FOUND (not acknowledged as a change).
    const acked = new Set<Op>();
    let settled = 0;
    const started = Date.now();
    const burst = Promise.all(
      ops.map(async (op) => {
        try {
          if ((await op.call()).status === 200) acked.add(op);
        } catch {
          /* the server died under this request: not acknowledged */
        } finally {
          settled++;
        }
      }),
    );
    // SIGKILL once a good part of the burst is acknowledged and the rest is in flight.
    await waitFor(() => acked.size >= 80, "80 acknowledged mutations", 120_000);
    await killHard(server);
    const killedAfterMs = Date.now() - started;
    await burst;
    console.log(`[crash] killed after ${killedAfterMs} ms: ${acked.size} of ${BURST} acknowledged, ${settled} settled`);
    expect(acked.size).toBeLessThan(BURST); // the kill really happened mid-burst

    server = await startServer(ws, { port: server.port, env: { PORTOLAN_AGENT_TIMEOUT: "10" }, name: "server-restarted" });
    const restartedAt = Date.now();

    const verify = await cli(ws, ["audit", "verify"]);
    expect(verify.out).toMatch(/audit chain OK: \d+ entries/);
    expect(verify.code).toBe(0);

    const db = new Database(ws.dbFile, { readonly: true });
    try {
      const teams = new Set(db.prepare(`SELECT name FROM "Team"`).all().map((r) => (r as { name: string }).name));
      const groups = new Set(db.prepare(`SELECT name FROM "HostGroup"`).all().map((r) => (r as { name: string }).name));
      const audited = new Set(
        db.prepare(`SELECT action, target FROM "AuditEvent" WHERE result = 'ok'`).all().map((r) => `${(r as { action: string }).action} ${(r as { target: string }).target}`),
      );

      // Acknowledged: the change and its audit entry are both there.
      for (const op of acked) {
        expect(audited.has(`${op.kind} ${op.name}`), `audit entry of acknowledged ${op.kind} ${op.name}`).toBe(true);
        if (op.kind === "team.create") expect(teams.has(op.name)).toBe(true);
        if (op.kind === "hostgroup.create") expect(groups.has(op.name)).toBe(true);
        if (op.kind === "team.delete") expect(teams.has(op.name)).toBe(false);
      }
      // Not half-written, whether acknowledged or not: a row exists exactly when its audit entry says so.
      for (const op of ops) {
        const logged = audited.has(`${op.kind} ${op.name}`);
        if (op.kind === "team.create") expect(teams.has(op.name), `team ${op.name} vs its audit entry`).toBe(logged);
        if (op.kind === "hostgroup.create") expect(groups.has(op.name), `group ${op.name} vs its audit entry`).toBe(logged);
        if (op.kind === "team.delete") expect(teams.has(op.name), `deleted team ${op.name} vs its audit entry`).toBe(!logged);
      }
      const integrity = db.prepare("PRAGMA integrity_check").pluck().get();
      expect(integrity).toBe("ok");
    } finally {
      db.close();
    }

    // The agent (never restarted) reconnects on its own and resyncs its inventory.
    await waitFor(() => hostOnlineWithContainer(server.url), `the agent to reconnect and resync:\n${tail(agent.log)}`, 90_000);
    console.log(`[crash] agent seen back online with its containers ${Date.now() - restartedAt} ms after the server answered again`);
    expect(agent.child.exitCode).toBeNull();

    // The restarted server keeps chaining after the entries written before the kill.
    expect((await trpc(server.url, token, "teams.create", { name: "after-restart" })).status).toBe(200);
    const again = await cli(ws, ["audit", "verify"]);
    expect(again.code).toBe(0);
  });
});
