import fs from "node:fs";
import path from "node:path";

export const DEFAULT_DATABASE_URL = "file:./data/portolan.db";

/** SQLite by default; PostgreSQL for deployments with several server replicas. */
export type DatabaseProvider = "sqlite" | "postgresql";

export function databaseProvider(url: string): DatabaseProvider {
  return /^postgres(ql)?:\/\//i.test(url) ? "postgresql" : "sqlite";
}

/**
 * Resolves DATABASE_URL: a SQLite file URL becomes absolute (relative paths are taken from the working
 * directory, never from the schema's folder) and its folder is created; a PostgreSQL URL is kept as is.
 */
export function resolveDatabaseUrl(raw: string | undefined = process.env.DATABASE_URL): string {
  const url = raw && raw.length > 0 ? raw : DEFAULT_DATABASE_URL;
  if (databaseProvider(url) === "postgresql") return url;
  if (!url.startsWith("file:")) {
    throw new Error(`DATABASE_URL must be file:<path> (SQLite) or postgresql://… (PostgreSQL), got ${url.split(":")[0]}:`);
  }
  const file = path.resolve(url.slice("file:".length));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  return `file:${file}`;
}

/** The URL with its password (and any password parameter) masked, for logs. */
export function redactDatabaseUrl(url: string): string {
  if (databaseProvider(url) === "sqlite") return url;
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    for (const key of [...u.searchParams.keys()]) if (/pass/i.test(key)) u.searchParams.set(key, "***");
    return u.toString();
  } catch {
    return `${url.split(":")[0]}://[unparseable URL]`;
  }
}

/** The SQLite file's folder, or null when the database is not a file. */
export function databaseFileDir(url: string): string | null {
  return databaseProvider(url) === "sqlite" ? path.dirname(url.slice("file:".length)) : null;
}
