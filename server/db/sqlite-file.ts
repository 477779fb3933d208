import type { Db } from "./client";

/** The file behind a SQLite client (for a second connection to it), or null (in memory, or not SQLite). */
export async function sqliteMainFile(db: Db): Promise<string | null> {
  const rows = await db.$queryRawUnsafe<{ name: string; file: string }[]>("PRAGMA database_list");
  return rows.find((r) => r.name === "main")?.file || null;
}
