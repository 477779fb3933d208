import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { openDatabase } from "../../server/db/client";
import { migrateDatabase } from "../../server/db/migrate";

/**
 * Which database the tests run on: SQLite files by default, PostgreSQL with PORTOLAN_TEST_DATABASE=postgres
 * (server started and login role made by scripts/ensure-postgres.sh; admin URL from PORTOLAN_TEST_PG_URL or
 * the file that script writes).
 */
export const TEST_DATABASE: "sqlite" | "postgres" = process.env.PORTOLAN_TEST_DATABASE === "postgres" ? "postgres" : "sqlite";

const URL_FILE = process.env.PORTOLAN_TEST_PG_URL_FILE ?? "/var/lib/portolan-test/pg-url";
const DB_PREFIX = "portolan_test_";
const STALE_MS = 6 * 3_600_000;

function adminUrl(): string {
  const url = process.env.PORTOLAN_TEST_PG_URL ?? (fs.existsSync(URL_FILE) ? fs.readFileSync(URL_FILE, "utf8").trim() : "");
  if (!url) throw new Error(`PORTOLAN_TEST_DATABASE=postgres needs PORTOLAN_TEST_PG_URL or ${URL_FILE}: run scripts/ensure-postgres.sh`);
  return url;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** The migrations' fingerprint: a template database is built once per migration set and cloned per test. */
function migrationsHash(): string {
  const root = path.resolve("prisma", "postgres", "migrations");
  const h = crypto.createHash("sha256");
  for (const name of fs.readdirSync(root).sort()) {
    const file = path.join(root, name, "migration.sql");
    if (fs.existsSync(file)) h.update(name).update(fs.readFileSync(file));
  }
  return h.digest("hex").slice(0, 16);
}

let template: Promise<string> | null = null;

/**
 * A migrated template database (the real `prisma migrate deploy`, once per migration set and machine),
 * built under an advisory lock so concurrent test processes build it once. Clones take ~100 ms where a
 * deploy takes seconds. Test databases left behind by killed runs are dropped here too.
 */
function migratedTemplate(): Promise<string> {
  template ??= admin(async (client) => {
    const name = `portolan_tpl_${migrationsHash()}`;
    await client.query("SELECT pg_advisory_lock(hashtext('portolan-test-template'))");
    try {
      const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
      if (!exists.rowCount) {
        const building = `${name}_building`;
        await client.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`);
        await client.query(`CREATE DATABASE "${building}"`);
        const url = withDatabase(adminUrl(), building);
        await migrateDatabase(await openDatabase(url), url);
        await client.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`);
        const stale = await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'portolan_tpl_%' AND datname <> $1", [name]);
        for (const { datname } of stale.rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      }
      const old = await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE $1", [`${DB_PREFIX}%`]);
      for (const { datname } of old.rows) {
        const created = Number(datname.slice(DB_PREFIX.length).split("_")[0]);
        if (Date.now() - created > STALE_MS) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      }
    } finally {
      await client.query("SELECT pg_advisory_unlock(hashtext('portolan-test-template'))");
    }
    return name;
  });
  template.catch(() => (template = null));
  return template;
}

/**
 * A fresh database for one test: a SQLite file in `dir`, or a new PostgreSQL database — migrated, or
 * with `empty` not even that (the server migrates it as in production).
 */
export async function createTestDatabase(dir: string, opts: { empty?: boolean } = {}): Promise<{ url: string; drop(): Promise<void> }> {
  if (TEST_DATABASE === "sqlite") return { url: `file:${path.join(dir, "test.db")}`, drop: async () => {} };
  const tpl = opts.empty ? "template0" : await migratedTemplate();
  const name = `${DB_PREFIX}${Date.now()}_${crypto.randomBytes(4).toString("hex")}`;
  await admin((c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${tpl}"`));
  return {
    url: withDatabase(adminUrl(), name),
    drop: () => dropDatabase(name),
  };
}

/** Drops a test database, ending its connections; tried a few times, since one may be mid-start. */
async function dropDatabase(name: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await admin(async (c) => void (await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)));
    } catch (err) {
      if (attempt >= 3) throw err;
      await new Promise((r) => setTimeout(r, 500 * attempt));
    }
  }
}
