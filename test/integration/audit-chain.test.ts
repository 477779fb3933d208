import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "../../server/auth/create-user";
import { verifyAuditChain } from "../../server/domain/audit/audit-queries";
import { recordAudit } from "../../server/domain/audit/record-audit";
import { createCaller } from "../../server/trpc/router";
import { actorFor } from "../support/actors";
import { dropTrigger, failInserts, stopFailingInserts } from "../support/db-sql";
import { createTestServices } from "../support/test-services";

const run = promisify(execFile);
type Env = Awaited<ReturnType<typeof createTestServices>>;
let services: Env;

async function cliVerify(): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run("npx", ["tsx", "server/cli/main.ts", "audit", "verify"], {
      env: { ...process.env, DATABASE_URL: services.config.databaseUrl, PORTOLAN_DATA_DIR: services.dir },
    });
    return { code: 0, out: stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

beforeAll(async () => {
  services = await createTestServices();
});
afterAll(() => services.cleanup());

describe("[AUDIT] hash chain", () => {
  it("chains concurrent appends into one unbroken line", async () => {
    await Promise.all(Array.from({ length: 40 }, (_, i) => recordAudit(services.db, { actor: `a${i}`, action: "test.append", params: { i, password: "hunter2hunter2" }, result: "ok" })));
    const rows = await services.db.auditEvent.findMany({ orderBy: { id: "asc" } });
    expect(rows).toHaveLength(40);
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prevHash).toBe(rows[i - 1]!.hash);
    expect(JSON.stringify(rows)).not.toContain("hunter2");
    expect(await verifyAuditChain(services.db)).toMatchObject({ ok: true, entries: 40 });
  });

  it("is append-only in the database", async () => {
    await expect(services.db.auditEvent.updateMany({ data: { result: "ok" } })).rejects.toThrow(/append-only/);
    await expect(services.db.auditEvent.deleteMany({})).rejects.toThrow(/append-only/);
  });

  it("`audit verify` passes on an intact log and reports the first tampered entry", async () => {
    const ok = await cliVerify();
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/audit chain OK: 40 entries/);

    // An attacker with write access to the database file drops the guard and edits entry 7.
    const target = (await services.db.auditEvent.findMany({ orderBy: { id: "asc" }, skip: 6, take: 1 }))[0]!;
    await dropTrigger(services.db, "AuditEvent_no_update");
    await services.db.$executeRawUnsafe(`UPDATE "AuditEvent" SET "result" = 'denied' WHERE "id" = ${target.id}`);
    const broken = await cliVerify();
    expect(broken.code).toBe(3);
    expect(broken.out).toContain(`BROKEN at entry #${target.id}`);
    expect(broken.out).toMatch(/modified/);
  }, 60_000);

  it("detects a removed entry", async () => {
    const fresh = await createTestServices();
    try {
      for (let i = 0; i < 5; i++) await recordAudit(fresh.db, { actor: "x", action: "test.append", result: "ok" });
      const third = (await fresh.db.auditEvent.findMany({ orderBy: { id: "asc" } }))[2]!;
      await dropTrigger(fresh.db, "AuditEvent_no_delete");
      await fresh.db.$executeRawUnsafe(`DELETE FROM "AuditEvent" WHERE "id" = ${third.id}`);
      expect(await verifyAuditChain(fresh.db)).toMatchObject({ ok: false, brokenAt: third.id + 1, reason: expect.stringMatching(/removed/) });
    } finally {
      await fresh.cleanup();
    }
  });

  it("refuses the action when its audit entry cannot be written", async () => {
    const fresh = await createTestServices();
    try {
      const admin = await createUser(fresh, { email: "root@x.test", password: "correct-horse-battery", grantOnAllHosts: "admin" });
      const c = createCaller({ services: fresh, actor: await actorFor(fresh, admin), sourceIp: null, requestOrigin: null });
      await failInserts(fresh.db, "AuditEvent", "disk full");
      await expect(c.teams.create({ name: "ops" })).rejects.toThrow();
      await expect(c.grants.create({ userId: admin.id, roleId: "role-viewer", hostGroupId: "group-all" })).rejects.toThrow();
      expect(await fresh.db.team.count()).toBe(0);
      expect(await fresh.db.grant.count()).toBe(1);
      await stopFailingInserts(fresh.db, "AuditEvent");
      await c.teams.create({ name: "ops" });
      expect(await fresh.db.team.count()).toBe(1);
    } finally {
      await fresh.cleanup();
    }
  });
});
