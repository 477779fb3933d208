import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadServerConfig } from "../../server/config";
import { databaseProvider, redactDatabaseUrl, resolveDatabaseUrl } from "../../server/db/database-url";

describe("[DB][URL] DATABASE_URL picks the provider", () => {
  it.each([
    ["file:./data/portolan.db", "sqlite"],
    ["postgresql://portolan:pw@db.internal:5432/portolan", "postgresql"],
    ["postgres://portolan@127.0.0.1/portolan?sslmode=require", "postgresql"],
    ["POSTGRESQL://x@h/db", "postgresql"],
  ] as const)("%s → %s", (url, provider) => {
    expect(databaseProvider(url)).toBe(provider);
  });

  it("makes SQLite paths absolute and keeps PostgreSQL URLs as they are", () => {
    expect(resolveDatabaseUrl("file:./data/x.db")).toBe(`file:${path.resolve("data/x.db")}`);
    const pg = "postgresql://portolan:s3cret@127.0.0.1:5432/portolan?schema=public";
    expect(resolveDatabaseUrl(pg)).toBe(pg);
  });

  it.each(["mysql://root@localhost/db", "sqlserver://x", "./data/portolan.db"])("refuses %s with a clear message", (url) => {
    expect(() => resolveDatabaseUrl(url)).toThrow(/DATABASE_URL must be file:<path> \(SQLite\) or postgresql:\/\/… \(PostgreSQL\)/);
  });

  it("never shows a PostgreSQL password", () => {
    expect(redactDatabaseUrl("postgresql://portolan:s3cret@db:5432/portolan")).toBe("postgresql://portolan:***@db:5432/portolan");
    expect(redactDatabaseUrl("postgres://u@db/p?password=s3cret&sslmode=require")).toBe("postgres://u@db/p?password=***&sslmode=require");
    expect(redactDatabaseUrl("postgresql://u:s3cret@[bad")).not.toContain("s3cret");
    expect(redactDatabaseUrl("file:/var/lib/portolan/portolan.db")).toBe("file:/var/lib/portolan/portolan.db");
  });

  it("keeps keys beside a SQLite file, and in ./data (or PORTOLAN_DATA_DIR) with PostgreSQL", () => {
    expect(loadServerConfig({ DATABASE_URL: "file:/tmp/p/portolan.db" }).dataDir).toBe("/tmp/p");
    expect(loadServerConfig({ DATABASE_URL: "postgresql://u:pw@db/p" }).dataDir).toBe(path.resolve("data"));
    expect(loadServerConfig({ DATABASE_URL: "postgresql://u:pw@db/p", PORTOLAN_DATA_DIR: "/srv/portolan" }).dataDir).toBe("/srv/portolan");
  });
});
