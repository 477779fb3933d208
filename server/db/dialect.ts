import type { Db, Tx } from "./client";
import type { DatabaseProvider } from "./database-url";

/**
 * The few places where SQLite and PostgreSQL differ and the code must not: raw SQL placeholders,
 * case-insensitive text filters, and the lock that keeps the audit chain linear across replicas.
 */

/** The provider behind a client or a transaction client (type-only imports: safe in any bundle). */
export function dialectOf(db: Db | Tx): DatabaseProvider {
  // Prisma keeps the generated client's provider on every client, transaction clients included.
  return (db as unknown as { _activeProvider?: string })._activeProvider === "postgresql" ? "postgresql" : "sqlite";
}

/** Raw SQL written with `?` placeholders, numbered `$1, $2, …` for PostgreSQL. Never put `?` in literals. */
export function sqlFor(db: Db | Tx, sql: string): string {
  if (dialectOf(db) === "sqlite") return sql;
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/**
 * A text filter that ignores case on both providers: SQLite's LIKE already does (for ASCII), PostgreSQL
 * needs `mode: "insensitive"` (ILIKE), which the SQLite client's types do not know.
 */
export function ignoringCase<F extends { contains: string } | { startsWith: string }>(db: Db | Tx, filter: F): F {
  return dialectOf(db) === "postgresql" ? ({ ...filter, mode: "insensitive" } as unknown as F) : filter;
}

/** Any fixed key: every replica appending to the audit chain queues on the same one. */
const AUDIT_CHAIN_LOCK = 7_107_210_101;

/**
 * Serialises audit appends across processes for the rest of the transaction. PostgreSQL: an advisory
 * lock released at commit, so each writer reads the head only after the previous one committed.
 * SQLite needs nothing: one writer at a time is the file's own rule, and the unique prevHash refuses a fork.
 */
export async function lockAuditChain(tx: Tx): Promise<void> {
  if (dialectOf(tx) === "postgresql") await tx.$executeRawUnsafe("SELECT pg_advisory_xact_lock($1)", AUDIT_CHAIN_LOCK);
}
