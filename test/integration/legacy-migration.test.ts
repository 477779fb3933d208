import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { loadAccess } from "../../server/auth/access";
import { createServices } from "../../server/bootstrap";
import { loadServerConfig } from "../../server/config";
import { verifyAuditChain } from "../../server/domain/audit/audit-queries";
import { recordAudit } from "../../server/domain/audit/record-audit";
import { createServerLogger } from "../../server/log";
import { TEST_DATABASE } from "../support/test-database";

const INIT = "20261129000000_init";
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portolan-legacy-"));
afterAll(() => { if (!process.env.KEEP) fs.rmSync(dir, { recursive: true, force: true }); });

/** A database as the foundation release left it: only the first migration, users with a `role` column. */
function legacyDatabase(file: string): void {
  const sql = fs.readFileSync(path.join("prisma", "migrations", INIT, "migration.sql"), "utf8");
  const db = new Database(file);
  db.exec(sql);
  db.exec(`CREATE TABLE "_prisma_migrations" ("id" TEXT PRIMARY KEY NOT NULL, "checksum" TEXT NOT NULL, "finished_at" DATETIME,
    "migration_name" TEXT NOT NULL, "logs" TEXT, "rolled_back_at" DATETIME, "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0)`);
  db.prepare(`INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count) VALUES (?, ?, datetime('now'), ?, 1)`)
    .run(crypto.randomUUID(), crypto.createHash("sha256").update(sql).digest("hex"), INIT);
  const insertUser = db.prepare(`INSERT INTO "user" (id, name, email, role, updatedAt) VALUES (?, ?, ?, ?, datetime('now'))`);
  insertUser.run("u-admin", "Ada", "ada@x.test", "admin");
  insertUser.run("u-op", "Otto", "otto@x.test", "operator");
  insertUser.run("u-view", "Vera", "vera@x.test", "viewer");
  db.prepare(`INSERT INTO "AuditEvent" (actor, action, result) VALUES ('ada@x.test', 'auth.login', 'ok')`).run();
  db.close();
}

// SQLite only: the PostgreSQL history starts at prisma/postgres/migrations/20261129150000_postgres_baseline,
// so no pre-baseline PostgreSQL database exists to upgrade. What this upgrade leaves behind (built-in roles,
// All hosts, append-only audit log) is checked on both providers in database-providers.test.ts.
describe.skipIf(TEST_DATABASE === "postgres")("[DB] upgrading a foundation-era SQLite database", () => {
  it("keeps every user's access as a grant on All hosts and starts the audit chain after the old entries", async () => {
    const file = path.join(dir, "legacy.db");
    legacyDatabase(file);
    const services = await createServices(loadServerConfig({ DATABASE_URL: `file:${file}`, NODE_ENV: "test" }), createServerLogger("silent"));
    try {
      const admin = await loadAccess(services.db, "u-admin");
      expect(admin.global.has("user:manage")).toBe(true);
      const operator = await loadAccess(services.db, "u-op");
      expect(operator.everywhere.has("container:stop")).toBe(true);
      expect(operator.global.size).toBe(0);
      const viewer = await loadAccess(services.db, "u-view");
      expect(viewer.everywhere.has("container:stop")).toBe(false);
      expect(viewer.everywhere.has("host:read")).toBe(true);

      await recordAudit(services.db, { actor: "ada@x.test", action: "test.after-upgrade", result: "ok" });
      expect(await verifyAuditChain(services.db)).toMatchObject({ ok: true, entries: 2, preChain: 1 });
      // The triggers came with the upgrade (Prisma words the trigger's abort as a constraint error).
      await expect(services.db.auditEvent.deleteMany({})).rejects.toThrow();
      expect(await services.db.auditEvent.count()).toBe(2);
    } finally {
      await services.db.$disconnect();
    }
  }, 60_000);
});
