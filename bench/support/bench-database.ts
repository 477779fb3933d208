import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import type { Cleanup } from "./benchmark";

const PG_URL_FILE = process.env.PORTOLAN_TEST_PG_URL_FILE ?? "/var/lib/portolan-test/pg-url";

export type BenchDatabase = { provider: "postgresql" | "sqlite"; url: string };

async function withAdmin<T>(adminUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * A fresh, empty database for one benchmark stack (the first server migrates it, as in production):
 * a new PostgreSQL database when scripts/ensure-postgres.sh has set one up (admin URL in
 * PORTOLAN_TEST_PG_URL or its file), dropped at cleanup; else a SQLite file in `dir`.
 */
export async function freshDatabase(dir: string, label: string, cleanup: Cleanup): Promise<BenchDatabase> {
  const adminUrl = process.env.PORTOLAN_TEST_PG_URL ?? (fs.existsSync(PG_URL_FILE) ? fs.readFileSync(PG_URL_FILE, "utf8").trim() : "");
  if (!adminUrl) return { provider: "sqlite", url: `file:${path.join(dir, `${label}.db`)}` };
  const name = `portolan_bench_${Date.now()}_${crypto.randomBytes(3).toString("hex")}`;
  await withAdmin(adminUrl, (c) => c.query(`CREATE DATABASE "${name}" TEMPLATE template0`));
  cleanup.add(`database ${name}`, () => withAdmin(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { provider: "postgresql", url: url.toString() };
}
