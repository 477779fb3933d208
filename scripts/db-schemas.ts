/**
 * One schema source, two database providers. prisma/schema.prisma (SQLite) is the source; this writes
 * the PostgreSQL side from it:
 *   prisma/postgres/schema.prisma                the source with the provider and client output swapped
 *   prisma/postgres/migrations/<m>/migration.sql `prisma migrate diff` between consecutive snapshots,
 *                                                plus prisma/postgres/extras/<m>.sql (hand-written SQL:
 *                                                triggers, seed rows) when present
 *   prisma/snapshots/<m>.prisma                  the source as of migration <m>: the base of the next diff
 *
 *   npm run db:schemas                      regenerate the PostgreSQL schema and migrations
 *   npm run db:schemas -- --name add_thing  after editing prisma/schema.prisma: a new migration for BOTH
 *                                           providers (prisma/migrations/<ts>_add_thing and its twin)
 *   npm run db:schemas -- --check           exit 1 if anything committed is out of date
 *
 * `migrate diff --from-schema-datamodel` works with the wasm engine (`migrate dev` does not, see STACK.md).
 */
import { execFile } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);

export const LAYOUT = {
  source: "prisma/schema.prisma",
  sqliteMigrations: "prisma/migrations",
  pgSchema: "prisma/postgres/schema.prisma",
  pgMigrations: "prisma/postgres/migrations",
  pgExtras: "prisma/postgres/extras",
  snapshots: "prisma/snapshots",
} as const;

type Provider = "sqlite" | "postgresql";
const PROJECT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const GENERATED_NOTE = "// GENERATED from prisma/schema.prisma by `npm run db:schemas`. Do not edit: edit the source and rerun.\n";

/** The source schema for another provider: datasource provider swapped, client generated beside the SQLite one (suffix -pg). */
export function schemaFor(source: string, provider: Provider, from: { sourceDir: string; targetDir: string }): string {
  const datasource = /(datasource\s+\w+\s*\{[^}]*?provider\s*=\s*)"sqlite"/;
  if (!datasource.test(source)) throw new Error(`${LAYOUT.source}: no datasource with provider = "sqlite"`);
  if (/@db\./.test(source)) throw new Error(`${LAYOUT.source}: native types (@db.*) are provider-specific; keep the source portable`);
  let out = source.replace(datasource, `$1"${provider}"`);
  if (provider === "postgresql") {
    out = out.replace(/(generator\s+client\s*\{[^}]*?output\s*=\s*)"([^"]+)"/, (_m, head: string, output: string) => {
      const target = path.relative(from.targetDir, path.resolve(from.sourceDir, output) + "-pg");
      return `${head}"${target.split(path.sep).join("/")}"`;
    });
  }
  return out;
}

export function postgresSchema(root: string, source = read(root, LAYOUT.source)): string {
  return GENERATED_NOTE + schemaFor(source, "postgresql", { sourceDir: path.join(root, "prisma"), targetDir: path.dirname(path.join(root, LAYOUT.pgSchema)) });
}

const diffs = new Map<string, Promise<string>>();

/** `prisma migrate diff` between two schema texts (null = empty database), as SQL for `provider`. Memoised: each run costs seconds. */
export function diffScript(from: string | null, to: string, provider: Provider): Promise<string> {
  const key = crypto.createHash("sha256").update(JSON.stringify([from, to, provider])).digest("hex");
  let diff = diffs.get(key);
  if (!diff) {
    diff = runDiff(from, to, provider);
    diffs.set(key, diff);
    diff.catch(() => diffs.delete(key));
  }
  return diff;
}

async function runDiff(from: string | null, to: string, provider: Provider): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portolan-schemas-"));
  try {
    const file = (name: string, text: string) => {
      const p = path.join(dir, name);
      fs.writeFileSync(p, provider === "sqlite" ? text : schemaFor(text, provider, { sourceDir: dir, targetDir: dir }));
      return p;
    };
    const args = ["migrate", "diff", ...(from === null ? ["--from-empty"] : ["--from-schema-datamodel", file("from.prisma", from)])];
    args.push("--to-schema-datamodel", file("to.prisma", to), "--script");
    // The config is loaded from the project; a SQLite URL there keeps it away from any live database.
    const { stdout } = await run(path.join(PROJECT, "node_modules", ".bin", "prisma"), args, {
      cwd: PROJECT,
      env: { ...process.env, DATABASE_URL: `file:${path.join(dir, "unused.db")}`, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
      timeout: 120_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function isEmptyMigration(sql: string): boolean {
  return sql.split("\n").every((line) => line.trim() === "" || line.trim().startsWith("--"));
}

/** Snapshot names (= PostgreSQL migration names) in order. */
export function snapshotNames(root: string): string[] {
  const dir = path.join(root, LAYOUT.snapshots);
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => f.endsWith(".prisma")).map((f) => f.slice(0, -".prisma".length)).sort();
}

/** What each PostgreSQL migration must contain, rendered from the snapshots and extras. */
export async function renderPostgresMigrations(root: string): Promise<Map<string, string>> {
  const names = snapshotNames(root);
  const sql = await Promise.all(
    names.map(async (name, i) => {
      const previous = i === 0 ? null : read(root, snapshotPath(names[i - 1]!));
      const diff = await diffScript(previous, read(root, snapshotPath(name)), "postgresql");
      const extrasFile = path.join(root, LAYOUT.pgExtras, `${name}.sql`);
      const extras = fs.existsSync(extrasFile) ? fs.readFileSync(extrasFile, "utf8") : "";
      const header =
        `-- GENERATED by \`npm run db:schemas\` from ${LAYOUT.snapshots}/${name}.prisma` +
        (extras ? ` and ${LAYOUT.pgExtras}/${name}.sql` : "") + ". Do not edit.\n";
      const sql = header + diff.trimEnd() + "\n" + (extras ? `\n-- ---- ${LAYOUT.pgExtras}/${name}.sql ----\n${extras.trimEnd()}\n` : "");
      assertSplittable(sql, name);
      return sql;
    }),
  );
  return new Map(names.map((n, i) => [n, sql[i]!]));
}

/**
 * adapter-pg applies a migration by splitting it at every ';' (quotes and comments are not parsed), so a
 * ';' may only end a statement: at the end of a line that is not a comment. Inside a literal write \073 in E''.
 */
export function assertSplittable(sql: string, name: string): void {
  sql.split("\n").forEach((line, i) => {
    const at = line.indexOf(";");
    if (at >= 0 && (line.trimStart().startsWith("--") || at !== line.trimEnd().length - 1)) {
      throw new Error(`PostgreSQL migration ${name}, line ${i + 1}: a ';' that does not end a statement breaks adapter-pg's statement split (write \\073 in an E'' literal): ${line.trim()}`);
    }
  });
}

/** Everything that is out of date, as messages naming the fix; empty when all is in order. */
export async function checkGenerated(root: string): Promise<string[]> {
  const problems: string[] = [];
  const source = read(root, LAYOUT.source);
  if (readOrNull(root, LAYOUT.pgSchema) !== postgresSchema(root, source)) problems.push(`${LAYOUT.pgSchema} is out of date: run npm run db:schemas`);
  const names = snapshotNames(root);
  if (!names.length) return [...problems, `no snapshots in ${LAYOUT.snapshots}`];
  const [rendered, pending] = await Promise.all([renderPostgresMigrations(root), diffScript(read(root, snapshotPath(names.at(-1)!)), source, "sqlite")]);
  if (!isEmptyMigration(pending)) problems.push(`${LAYOUT.source} changed since the last migration: run npm run db:schemas -- --name <what_changed>`);
  const committed = migrationDirs(root, LAYOUT.pgMigrations);
  for (const [name, sql] of rendered) {
    if (readOrNull(root, path.join(LAYOUT.pgMigrations, name, "migration.sql")) !== sql) problems.push(`${LAYOUT.pgMigrations}/${name} is out of date: run npm run db:schemas`);
  }
  for (const name of committed) if (!rendered.has(name)) problems.push(`${LAYOUT.pgMigrations}/${name} has no snapshot ${LAYOUT.snapshots}/${name}.prisma`);
  if (readOrNull(root, path.join(LAYOUT.pgMigrations, "migration_lock.toml")) !== LOCK_TOML) problems.push(`${LAYOUT.pgMigrations}/migration_lock.toml is missing or wrong`);
  // Every SQLite migration after the PostgreSQL baseline has a PostgreSQL twin of the same name.
  const baseline = names[0]!;
  for (const name of migrationDirs(root, LAYOUT.sqliteMigrations)) {
    if (name > baseline && !rendered.has(name)) problems.push(`${LAYOUT.sqliteMigrations}/${name} has no PostgreSQL twin: write migrations with npm run db:schemas -- --name`);
  }
  for (const name of names.slice(1)) {
    if (!fs.existsSync(path.join(root, LAYOUT.sqliteMigrations, name))) problems.push(`${LAYOUT.pgMigrations}/${name} has no SQLite twin in ${LAYOUT.sqliteMigrations}`);
  }
  return problems;
}

/** Writes the PostgreSQL schema and migrations; with `name`, first adds a migration for both providers. */
export async function writeGenerated(root: string, opts: { name?: string; now?: Date } = {}): Promise<{ created: string | null }> {
  const source = read(root, LAYOUT.source);
  const names = snapshotNames(root);
  const last = names.at(-1);
  let created: string | null = null;
  if (opts.name) {
    if (!/^[a-z0-9_]+$/.test(opts.name)) throw new Error("--name: lower-case letters, digits and _ only");
    if (!last) throw new Error(`no snapshots in ${LAYOUT.snapshots}`);
    const sqlite = await diffScript(read(root, snapshotPath(last)), source, "sqlite");
    if (isEmptyMigration(sqlite)) throw new Error(`${LAYOUT.source} has not changed since ${last}: nothing to migrate`);
    created = `${nextTimestamp([...migrationDirs(root, LAYOUT.sqliteMigrations), ...names], opts.now ?? new Date())}_${opts.name}`;
    write(root, path.join(LAYOUT.sqliteMigrations, created, "migration.sql"), sqlite);
    write(root, snapshotPath(created), source);
  } else if (last && !isEmptyMigration(await diffScript(read(root, snapshotPath(last)), source, "sqlite"))) {
    throw new Error(`${LAYOUT.source} changed since ${last}: run npm run db:schemas -- --name <what_changed>`);
  }
  write(root, LAYOUT.pgSchema, postgresSchema(root, source));
  for (const [name, sql] of await renderPostgresMigrations(root)) write(root, path.join(LAYOUT.pgMigrations, name, "migration.sql"), sql);
  write(root, path.join(LAYOUT.pgMigrations, "migration_lock.toml"), LOCK_TOML);
  return { created };
}

const LOCK_TOML = '# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "postgresql"\n';

/** A migration timestamp (UTC yyyymmddHHMMSS) later than every existing one, so the new folder sorts last. */
export function nextTimestamp(existing: readonly string[], now: Date): string {
  const stamps = existing.map((n) => n.slice(0, 14)).filter((s) => /^\d{14}$/.test(s)).sort();
  const latest = stamps.at(-1);
  let t = now.getTime() - (now.getTime() % 1000);
  if (latest) {
    const [y, mo, d, h, mi, s] = [0, 4, 6, 8, 10, 12].map((i, k) => Number(latest.slice(i, i + (k === 0 ? 4 : 2))));
    t = Math.max(t, Date.UTC(y!, mo! - 1, d!, h!, mi!, s!) + 1000);
  }
  return new Date(t).toISOString().replace(/[-:T]/g, "").slice(0, 14);
}

function snapshotPath(name: string): string {
  return path.join(LAYOUT.snapshots, `${name}.prisma`);
}

function migrationDirs(root: string, rel: string): string[] {
  const dir = path.join(root, rel);
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
}

function read(root: string, rel: string): string {
  return fs.readFileSync(path.join(root, rel), "utf8");
}

function readOrNull(root: string, rel: string): string | null {
  const p = path.join(root, rel);
  return fs.existsSync(p) ? fs.readFileSync(p, "utf8") : null;
}

function write(root: string, rel: string, text: string): void {
  const p = path.join(root, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  if (readOrNull(root, rel) !== text) fs.writeFileSync(p, text);
}

async function main(argv: string[]): Promise<number> {
  const nameAt = argv.indexOf("--name");
  if (argv.includes("--check")) {
    const problems = await checkGenerated(PROJECT);
    for (const p of problems) console.error(`db:schemas: ${p}`);
    if (!problems.length) console.log("db:schemas: PostgreSQL schema and migrations are up to date");
    return problems.length ? 1 : 0;
  }
  const { created } = await writeGenerated(PROJECT, { name: nameAt >= 0 ? argv[nameAt + 1] : undefined });
  if (created) console.log(`db:schemas: new migration ${created} (${LAYOUT.sqliteMigrations} and ${LAYOUT.pgMigrations}); review both`);
  console.log(`db:schemas: wrote ${LAYOUT.pgSchema} and ${LAYOUT.pgMigrations}; run npm run db:generate`);
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(`db:schemas: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  );
}
