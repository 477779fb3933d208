import { AppError } from "../errors";

// SQLite result codes and driver/network codes that mean "the database cannot serve right now" (as opposed
// to "this request is wrong"): the caller should retry later, and nothing was half-applied (each change runs
// in one transaction).
const BUSY_CODES = new Set(["SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_BUSY_SNAPSHOT", "SQLITE_BUSY_RECOVERY", "SQLITE_BUSY_TIMEOUT", "P1008", "P2024", "P2034"]);
const DOWN_CODES = /^(SQLITE_(CANTOPEN|IOERR|READONLY|FULL|CORRUPT|NOTADB)|P1001|P1002|P1017|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|57P0[123]|08\d\d\d)/;

/**
 * The one place that turns Prisma/driver errors about the database itself into an AppError("UNAVAILABLE"):
 * "database is busy, retry" for lock waits that ran out, "database unavailable, retry" for a database that
 * cannot be opened, read or reached. Returns null for every other error.
 */
export function databaseUnavailable(err: unknown): AppError | null {
  const codes = errorCodes(err);
  if (codes.some((c) => BUSY_CODES.has(c)) || codes.includes("database is locked")) return new AppError("UNAVAILABLE", "database is busy, retry");
  if (codes.some((c) => DOWN_CODES.test(c))) return new AppError("UNAVAILABLE", "database unavailable, retry");
  return null;
}

/** Every code (and driver message) found on the error, its causes and Prisma's driver-adapter details. */
function errorCodes(err: unknown, depth = 0): string[] {
  if (!err || typeof err !== "object" || depth > 5) return [];
  const e = err as { code?: unknown; originalCode?: unknown; originalMessage?: unknown; cause?: unknown; meta?: { driverAdapterError?: unknown } };
  const own = [e.code, e.originalCode, e.originalMessage].filter((v): v is string => typeof v === "string");
  return [...own, ...errorCodes(e.cause, depth + 1), ...errorCodes(e.meta?.driverAdapterError, depth + 1)];
}
