import fs from "node:fs";
import path from "node:path";

export const DEFAULT_DATABASE_URL = "file:./data/portolan.db";

/**
 * Resolves DATABASE_URL to an absolute SQLite file URL (relative paths are taken from the working
 * directory, never from the schema's folder) and makes sure its folder exists.
 */
export function resolveDatabaseUrl(raw: string | undefined = process.env.DATABASE_URL): string {
  const url = raw && raw.length > 0 ? raw : DEFAULT_DATABASE_URL;
  if (!url.startsWith("file:")) throw new Error(`only SQLite file: URLs are supported for now, got ${url.split(":")[0]}:`);
  const file = path.resolve(url.slice("file:".length));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  return `file:${file}`;
}
