import http from "node:http";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../support/test-services";
import { holdExclusiveLock } from "./support/sqlite-lock";
import { apiToken, cli, makeWorkspace, sleep, startServer, trpc, type ServerProcess, type Workspace } from "./support/portolan-process";

let ws: Workspace;
let server: ServerProcess;
let token: string;

beforeAll(async () => {
  ws = makeWorkspace("dblock");
  server = await startServer(ws);
  token = await apiToken(ws, "db-outage-test");
}, 300_000);

afterAll(async () => {
  await server?.stop();
  ws?.cleanup();
});

/** GET /api/health on a fresh connection (a pooled one may be closed as idle just as it is reused). */
function healthy(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(`${url}/api/health`, { agent: false, timeout: 30_000 }, (res) => (res.resume(), res.on("end", () => resolve(res.statusCode === 200))));
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(false));
  });
}

/** Polls /api/health until stopped; the slowest answer shows how long the server stopped serving. */
function healthProbe(url: string) {
  let worst = 0;
  let failures = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const t = Date.now();
      if (!(await healthy(url))) failures++;
      worst = Math.max(worst, Date.now() - t);
      await sleep(100);
    }
  })();
  return { stop: async () => ((running = false), await loop, { worst, failures }) };
}

describe("[FAULTS][DATABASE] SQLite locked by another process past busy_timeout", () => {
  it("refuses changes with 503 'database is busy, retry', half-applies none, keeps serving and recovers", async () => {
    const before = await Promise.all([0, 1, 2].map((i) => trpc(server.url, token, "teams.create", { name: `before-${i}` })));
    expect(before.map((r) => r.status)).toEqual([200, 200, 200]);

    const probe = healthProbe(server.url);
    const lock = await holdExclusiveLock(ws.dbFile);
    const lockedAt = Date.now();
    const during = await Promise.all(
      [0, 1, 2, 3].map(async (i) => {
        const t = Date.now();
        const r = await trpc(server.url, token, i % 2 ? "hostGroups.create" : "teams.create", { name: `locked-${i}` }, "mutation", 120_000);
        return { ...r, ms: Date.now() - t };
      }),
    );
    // Once one write has found the database locked, the next ones are refused at once instead of each
    // blocking the (synchronous) SQLite driver, and with it the whole server, for busy_timeout.
    const fast: number[] = [];
    for (let i = 4; i < 8; i++) {
      const t = Date.now();
      const r = await trpc(server.url, token, i % 2 ? "hostGroups.create" : "teams.create", { name: `locked-${i}` }, "mutation", 120_000);
      fast.push(Date.now() - t);
      expect(r).toMatchObject({ status: 503, error: { code: "SERVICE_UNAVAILABLE", message: "database is busy, retry" } });
    }
    // Reads still work: in WAL mode readers never wait for the writer.
    const read = await trpc<{ name: string }[]>(server.url, token, "teams.list", undefined, "query");
    const lockHeldMs = Date.now() - lockedAt;
    await lock.release();
    const health = await probe.stop();
    console.log(`[db-lock] lock held ${lockHeldMs} ms; concurrent refusals after ${during.map((r) => r.ms).join(", ")} ms, later ones after ${fast.join(", ")} ms; slowest health answer ${health.worst} ms`);

    for (const r of during) {
      expect(r.status).toBe(503);
      expect(r.error).toMatchObject({ code: "SERVICE_UNAVAILABLE", message: "database is busy, retry" });
    }
    expect(read.status).toBe(200);
    expect(read.data?.map((t) => t.name)).toEqual(expect.arrayContaining(["before-0", "before-1", "before-2"]));
    expect(health.failures).toBe(0);
    // One busy_timeout (5 s) is the longest the server stopped answering, not one per queued request.
    expect(health.worst).toBeLessThan(8_000);
    expect(Math.max(...fast)).toBeLessThan(1_500);
    // No crash, no restart: the same process, still serving, and changes succeed again once the lock is gone.
    expect(server.child.exitCode).toBeNull();
    const after = await waitFor(async () => (await trpc(server.url, token, "teams.create", { name: "after" })).status === 200, "a change to succeed after the lock", 20_000);
    expect(after).toBe(true);

    const db = new Database(ws.dbFile, { readonly: true });
    try {
      const names = db.prepare(`SELECT name FROM "Team" UNION ALL SELECT name FROM "HostGroup"`).pluck().all() as string[];
      const audited = db.prepare(`SELECT target FROM "AuditEvent" WHERE action IN ('team.create', 'hostgroup.create')`).pluck().all() as string[];
      for (const name of ["before-0", "before-1", "before-2", "after"]) {
        expect(names).toContain(name);
        expect(audited).toContain(name);
      }
      // Refused changes left nothing behind: neither the row nor an audit entry.
      expect(names.filter((n) => n.startsWith("locked-"))).toEqual([]);
      expect(audited.filter((n) => n.startsWith("locked-"))).toEqual([]);
    } finally {
      db.close();
    }
    const verify = await cli(ws, ["audit", "verify"]);
    expect(verify.out).toMatch(/audit chain OK/);
    expect(verify.code).toBe(0);
  });
});
