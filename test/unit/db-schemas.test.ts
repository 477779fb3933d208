import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { assertSplittable, checkGenerated, LAYOUT, nextTimestamp, writeGenerated } from "../../scripts/db-schemas";

// The PostgreSQL schema and migrations are generated from prisma/schema.prisma (npm run db:schemas).
// These tests regenerate them with the real `prisma migrate diff` and compare with what is committed.

const ROOT = path.resolve(".");
const temps: string[] = [];
afterAll(() => temps.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** A copy of the repository's prisma/ folder to change without touching the real one. */
function copyOfPrisma(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portolan-schemas-test-"));
  temps.push(dir);
  fs.cpSync(path.join(ROOT, "prisma"), path.join(dir, "prisma"), { recursive: true });
  return dir;
}

describe("[DB][SCHEMAS] one schema source, two providers", () => {
  it("the committed PostgreSQL schema and migrations are up to date with prisma/schema.prisma", async () => {
    expect(await checkGenerated(ROOT)).toEqual([]);
  }, 120_000);

  it("a schema change becomes one migration for both providers, from one command", async () => {
    const root = copyOfPrisma();
    const source = path.join(root, LAYOUT.source);
    fs.appendFileSync(source, "\nmodel Widget {\n  id    Int    @id @default(autoincrement())\n  label String @default(\"\")\n  at    DateTime\n}\n");

    // Out of date until the migration is written: the check names the fix.
    const before = await checkGenerated(root);
    expect(before).toEqual(expect.arrayContaining([
      `${LAYOUT.pgSchema} is out of date: run npm run db:schemas`,
      `${LAYOUT.source} changed since the last migration: run npm run db:schemas -- --name <what_changed>`,
    ]));
    await expect(writeGenerated(root)).rejects.toThrow(/--name/);

    const { created } = await writeGenerated(root, { name: "widgets", now: new Date("2026-01-01T00:00:00Z") });
    // Sorts after every existing migration even when the clock is behind them.
    expect(created).toMatch(/^\d{14}_widgets$/);
    const all = fs.readdirSync(path.join(root, LAYOUT.sqliteMigrations)).filter((n) => /^\d{14}_/.test(n)).sort();
    expect(all.at(-1)).toBe(created);

    const sqlite = fs.readFileSync(path.join(root, LAYOUT.sqliteMigrations, created!, "migration.sql"), "utf8");
    const pg = fs.readFileSync(path.join(root, LAYOUT.pgMigrations, created!, "migration.sql"), "utf8");
    expect(sqlite).toContain(`"id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT`);
    expect(sqlite).toContain(`"at" DATETIME NOT NULL`);
    expect(pg).toContain(`"id" SERIAL NOT NULL`);
    expect(pg).toContain(`"at" TIMESTAMP(3) NOT NULL`);
    expect(pg).not.toContain(`CREATE TABLE "Host"`); // only the change, not the whole schema
    expect(fs.readFileSync(path.join(root, LAYOUT.pgSchema), "utf8")).toMatch(/model Widget \{/);
    expect(fs.readFileSync(path.join(root, LAYOUT.snapshots, `${created}.prisma`), "utf8")).toBe(fs.readFileSync(source, "utf8"));

    expect(await checkGenerated(root)).toEqual([]);
    await expect(writeGenerated(root, { name: "again" })).rejects.toThrow(/has not changed/);

    // A hand edit to a generated PostgreSQL migration is caught.
    fs.appendFileSync(path.join(root, LAYOUT.pgMigrations, created!, "migration.sql"), "DROP TABLE \"Host\";\n");
    expect(await checkGenerated(root)).toEqual([`${LAYOUT.pgMigrations}/${created} is out of date: run npm run db:schemas`]);
  }, 180_000);

  it.each([
    ["a ';' inside a literal", "INSERT INTO t VALUES ('a; b');", /line 1/],
    ["a ';' in a comment", "-- first; then\nSELECT 1;", /line 1/],
  ])("refuses SQL that adapter-pg would split wrongly: %s", (_name, sql, error) => {
    expect(() => assertSplittable(sql, "m")).toThrow(error);
  });

  it("accepts statements that end their lines", () => {
    expect(() => assertSplittable("CREATE TABLE t (a TEXT);\n-- note\nINSERT INTO t VALUES (E'a\\073 b');\n", "m")).not.toThrow();
  });

  it.each([
    [["20261129140000_log_retention"], "2026-11-29T12:00:00Z", "20261129140001"],
    [["20261129140000_log_retention"], "2026-11-30T08:15:30.750Z", "20261130081530"],
    [["20261231235959_x"], "2020-01-01T00:00:00Z", "20270101000000"],
    [[], "2026-05-04T03:02:01Z", "20260504030201"],
  ])("nextTimestamp after %j at %s is %s", (existing, now, expected) => {
    expect(nextTimestamp(existing, new Date(now))).toBe(expected);
  });
});
