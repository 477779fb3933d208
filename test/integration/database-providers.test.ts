import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Db } from "../../server/db/client";
import { dialectOf } from "../../server/db/dialect";
import { migrateDatabase, pendingMigrations } from "../../server/db/migrate";
import { listAudit, verifyAuditChain } from "../../server/domain/audit/audit-queries";
import { recordAudit, withAudit } from "../../server/domain/audit/record-audit";
import { METRIC_COUNT, metricIndex } from "../../server/domain/metrics/metric-names";
import { addSample, emptyBucket } from "../../server/domain/metrics/rollup-buckets";
import { readTier, rollUpHours, writeMinutes } from "../../server/domain/metrics/rollup-store";
import { createTestDatabase, TEST_DATABASE } from "../support/test-database";
import { createTestServices } from "../support/test-services";

// What must hold on SQLite and on PostgreSQL alike (the suite runs once per provider:
// PORTOLAN_TEST_DATABASE=postgres for the second pass).

type Env = Awaited<ReturnType<typeof createTestServices>>;
let services: Env;
const expected = TEST_DATABASE === "postgres" ? "postgresql" : "sqlite";

beforeAll(async () => {
  services = await createTestServices();
});
afterAll(() => services.cleanup());

describe(`[DB][PROVIDERS] on ${expected}`, () => {
  it("runs on the provider the suite asked for, fully migrated", async () => {
    expect(dialectOf(services.db)).toBe(expected);
    expect(services.config.databaseUrl.startsWith(expected === "postgresql" ? "postgresql://" : "file:")).toBe(true);
    expect(await pendingMigrations(services.db)).toEqual([]);
    await services.db.$transaction(async (tx) => expect(dialectOf(tx)).toBe(expected));
  });

  it("has the built-in roles, the All hosts group and an append-only audit log", async () => {
    expect((await services.db.role.findMany({ where: { builtin: true }, orderBy: { name: "asc" }, select: { id: true, name: true, description: true } }))).toEqual([
      { id: "role-admin", name: "admin", description: "Everything, including users, hosts, enrollment and the audit log" },
      { id: "role-operator", name: "operator", description: "Lifecycle, create, exec and logs on granted hosts" },
      { id: "role-viewer", name: "viewer", description: "Read-only on granted hosts; no exec, no secrets in env" },
    ]);
    expect(await services.db.hostGroup.findUnique({ where: { id: "group-all" }, select: { allHosts: true, name: true } })).toEqual({ allHosts: true, name: "All hosts" });
    await recordAudit(services.db, { actor: "x", action: "test.guard", result: "ok" });
    // Prisma words SQLite's trigger abort variously (sometimes as a constraint error); PostgreSQL's message comes through.
    const refused = expected === "postgresql" ? /append-only/ : undefined;
    await expect(services.db.auditEvent.updateMany({ data: { result: "denied" } })).rejects.toThrow(refused);
    await expect(services.db.auditEvent.deleteMany({})).rejects.toThrow(refused);
    if (expected === "postgresql") await expect(services.db.$executeRawUnsafe(`TRUNCATE "AuditEvent"`)).rejects.toThrow(refused);
    expect(await services.db.auditEvent.findMany({ select: { result: true } })).toEqual([{ result: "ok" }]);
  });

  it("keeps one linear audit chain while two server processes append at once", async () => {
    // A second client on the same database stands for a second replica: its own connections and its
    // own in-process queue, so only the database keeps the two apart.
    const replica: Db = await openDatabase(services.config.databaseUrl);
    try {
      const before = await services.db.auditEvent.count();
      const writes = [services.db, replica].flatMap((db, r) =>
        Array.from({ length: 15 }, (_, i) =>
          // Bare appends on both providers; on PostgreSQL also appends inside a change's transaction
          // (SQLite's single synchronous connection per client cannot hold a write transaction open
          // across awaits while a second client in the same thread waits for it).
          expected === "postgresql" && i % 2
            ? withAudit(db, { actor: `replica${r}`, action: "test.concurrent", params: { i }, result: "ok" }, (tx) => tx.team.create({ data: { name: `t-${r}-${i}` } }))
            : recordAudit(db, { actor: `replica${r}`, action: "test.concurrent", params: { i }, result: "ok" }),
        ),
      );
      await Promise.all(writes);
      const rows = await services.db.auditEvent.findMany({ orderBy: { id: "asc" } });
      expect(rows).toHaveLength(before + 30);
      for (let i = 1; i < rows.length; i++) expect(rows[i]!.prevHash).toBe(rows[i - 1]!.hash);
      expect(await verifyAuditChain(services.db)).toMatchObject({ ok: true, entries: before + 30 });
    } finally {
      await replica.$disconnect();
    }
  }, 60_000);

  it.runIf(expected === "postgresql")("migrates an empty database once when two replicas start together", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portolan-replicas-"));
    const database = await createTestDatabase(dir, { empty: true });
    try {
      const results = await Promise.all([0, 1].map(async () => migrateDatabase(await openDatabase(database.url), database.url)));
      // One applied the baseline; the other waited for Prisma's advisory lock (retrying past its 10 s
      // timeout when the first is slow) and found nothing left, or found it done before starting.
      expect(results.filter((r) => r.startsWith("applied ")).length).toBeGreaterThanOrEqual(1);
      const db = await openDatabase(database.url);
      try {
        expect(await pendingMigrations(db)).toEqual([]);
        expect(await db.role.count({ where: { builtin: true } })).toBe(3);
      } finally {
        await db.$disconnect();
      }
    } finally {
      await database.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);

  it("filters text without regard to case, as SQLite's LIKE does", async () => {
    await recordAudit(services.db, { actor: "Ada@Example.test", action: "container.restart", result: "ok" });
    const actor = await listAudit(services.db, { actor: "ada@EXAMPLE" }, { limit: 10 });
    expect(actor.items.map((i) => i.actor)).toEqual(["Ada@Example.test"]);
    const prefix = await listAudit(services.db, { action: "CONTAINER." }, { limit: 10 });
    expect(prefix.items.map((i) => i.action)).toEqual(["container.restart"]);
    // Exact matches stay exact on both.
    expect((await listAudit(services.db, { action: "CONTAINER.RESTART" }, { limit: 10 })).items).toEqual([]);
  });

  it("upserts metric rollups and rolls hours up with the same SQL on both", async () => {
    // Two samples per minute: cpu v - 10 and v + 10 (avg v); every other metric absent.
    const stats = (v: number) => {
      const b = emptyBucket();
      for (const cpu of [v - 10, v + 10]) addSample(b, new Float64Array(METRIC_COUNT).fill(NaN).fill(cpu, metricIndex("cpu"), metricIndex("cpu") + 1));
      return b;
    };
    const minute = Math.floor(Date.UTC(2026, 10, 29, 10, 0) / 60_000);
    await writeMinutes(services.db, [{ hostId: "h1", containerId: "", minute, stats: stats(10) }]);
    await writeMinutes(services.db, [{ hostId: "h1", containerId: "", minute, stats: stats(30) }, { hostId: "h1", containerId: "", minute: minute + 1, stats: stats(50) }]);
    expect(await services.db.metricRollup.count({ where: { tier: "1m" } })).toBe(2);
    expect(await rollUpHours(services.db, minute * 60_000, minute * 60_000)).toBe(1);
    const hours = await readTier(services.db, { tier: "1h", hostId: "h1", containerId: "", metrics: ["cpu"], from: minute * 60_000, to: minute * 60_000 + 3_600_000 });
    // The rewritten minute (30 replaced 10) and the next (50): min 20, weighted avg 40, max 60.
    expect(hours).toEqual([{ t: Date.UTC(2026, 10, 29, 10, 0), values: { cpu: [20, 40, 60] } }]);
    const row = await services.db.metricRollup.findFirst({ where: { tier: "1h", hostId: "h1" } });
    expect(row).toMatchObject({ samples: 4, pidsAvg: null, bucket: minute * 60 });
  });
});
