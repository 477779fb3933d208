import Database from "better-sqlite3";
import type { Db } from "../db/client";
import { dialectOf } from "../db/dialect";
import { sqliteMainFile } from "../db/sqlite-file";
import { AppError } from "../errors";
import { databaseUnavailable } from "./db-errors";

/**
 * better-sqlite3 is synchronous: a write waiting for another process's lock blocks the whole event loop for
 * busy_timeout (5 s), and every queued write would block it again. After one write has found the database
 * busy, the gate refuses further audited writes at once until a probe on a second connection (which never
 * waits) can take the write lock. PostgreSQL waits without blocking, so it is never gated.
 */
type Gate = { busySince: number | null; probe: Database.Database | null; file: string | null };

// Next bundles its own copy of this module; both copies must see the same gate for the same database.
const KEY = Symbol.for("portolan.db-write-gates");
const gates: WeakMap<object, Gate> = ((globalThis as Record<symbol, unknown>)[KEY] ??= new WeakMap()) as WeakMap<object, Gate>;

function gateOf(db: Db): Gate {
  let gate = gates.get(db);
  if (!gate) gates.set(db, (gate = { busySince: null, probe: null, file: null }));
  return gate;
}

/** Throws AppError("UNAVAILABLE") at once while the database is known to be locked by someone else. */
export async function admitWrite(db: Db): Promise<void> {
  const gate = gates.get(db);
  if (!gate?.busySince) return;
  if (writeLockFree(gate)) gate.busySince = null;
  else throw new AppError("UNAVAILABLE", "database is busy, retry");
}

/** Notes a failed write: a lock that ran out closes the gate until the probe finds the lock free. */
export async function writeFailed(db: Db, err: unknown): Promise<void> {
  if (databaseUnavailable(err)?.message !== "database is busy, retry" || dialectOf(db) !== "sqlite") return;
  const gate = gateOf(db);
  gate.file ??= await sqliteMainFile(db).catch(() => null);
  if (gate.file) gate.busySince ??= Date.now();
}

function writeLockFree(gate: Gate): boolean {
  try {
    gate.probe ??= new Database(gate.file!, { timeout: 0, fileMustExist: true });
    gate.probe.exec("BEGIN IMMEDIATE");
    gate.probe.exec("ROLLBACK");
    return true;
  } catch (err) {
    if (!databaseUnavailable(err)) {
      // The probe itself is broken (file gone…): stop gating rather than refuse forever.
      gate.probe?.close();
      gate.probe = null;
      return true;
    }
    return false;
  }
}
