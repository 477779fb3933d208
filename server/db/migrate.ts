import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import type { Db } from "./client";
import { dialectOf } from "./dialect";

const run = promisify(execFile);
/** Each provider has its own history; prisma.config.ts picks the same folder from DATABASE_URL. */
const MIGRATIONS_DIR = { sqlite: path.resolve("prisma", "migrations"), postgresql: path.resolve("prisma", "postgres", "migrations") };

/** Committed migrations that the database has not finished applying. */
export async function pendingMigrations(db: Db): Promise<string[]> {
  const committed = fs.readdirSync(MIGRATIONS_DIR[dialectOf(db)], { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
  let applied: string[] = [];
  try {
    const rows = await db.$queryRawUnsafe<{ migration_name: string }[]>(
      "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL",
    );
    applied = rows.map((r) => r.migration_name);
  } catch {
    // no migrations table yet: a new database
  }
  return committed.filter((name) => !applied.includes(name));
}

/**
 * Applies committed migrations (`prisma migrate deploy`, wasm engine: nothing is downloaded).
 * Skipped when nothing is pending, so a CLI run beside a live server never contends for the schema lock.
 * The schema engine needs a SQLite file to itself, so our own connection is closed around it; on
 * PostgreSQL it takes an advisory lock, so replicas starting together apply each migration once (a
 * replica that gives up waiting for that lock after Prisma's 10 s tries again).
 */
export async function migrateDatabase(db: Db, databaseUrl: string): Promise<string> {
  const pending = await pendingMigrations(db);
  await db.$disconnect();
  if (pending.length === 0) return "up to date";
  const prismaBin = path.resolve("node_modules", ".bin", "prisma");
  for (let attempt = 1; ; attempt++) {
    try {
      await run(prismaBin, ["migrate", "deploy"], {
        env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
        timeout: 120_000,
      });
      return `applied ${pending.join(", ")}`;
    } catch (err) {
      const lockWait = /acquire a postgres advisory lock/.test(String((err as { stderr?: unknown }).stderr ?? ""));
      if (!lockWait || attempt >= MIGRATION_LOCK_ATTEMPTS) throw err;
    }
  }
}

const MIGRATION_LOCK_ATTEMPTS = 12;
