import type { Db, Tx } from "../../db/client";
import { dialectOf, lockAuditChain } from "../../db/dialect";
import { entryHash, GENESIS_HASH, PRE_CHAIN_PREFIX } from "./audit-chain";
import { admitWrite, writeFailed } from "../db-write-gate";

export type AuditEntry = {
  actorId?: string | null;
  actor: string;
  sourceIp?: string | null;
  hostId?: string | null;
  action: string;
  target?: string | null;
  params?: Record<string, unknown>;
  result: string;
};

type AuditWriter = Pick<Db, "auditEvent">;

const SECRET_KEYS = /token|password|secret|signature|key$|env/i;
const MAX_ATTEMPTS = 5;

// One writer at a time per database in this process. Across processes: on SQLite the unique prevHash
// refuses a fork (the loser re-reads the head); on PostgreSQL an advisory lock held to commit serialises
// the replicas, so the chain stays linear.
const queues = new WeakMap<object, Promise<unknown>>();

/** Appends one hash-chained audit entry. Callers await it before acknowledging the action: no entry, no action. */
export function recordAudit(db: Db, entry: AuditEntry): Promise<{ id: number; hash: string }> {
  if (dialectOf(db) === "sqlite") return serialised(db, () => append(db, entry));
  return serialised(db, () =>
    db.$transaction(async (tx) => {
      await lockAuditChain(tx);
      return append(tx, entry);
    }),
  );
}

/**
 * Runs a database change and its audit entry in one transaction: if the entry cannot be written the
 * change is rolled back and the caller sees the error.
 */
export function withAudit<T>(db: Db, entry: AuditEntry | ((result: T) => AuditEntry), change: (tx: Tx) => Promise<T>): Promise<T> {
  return serialised(db, () =>
    db.$transaction(async (tx) => {
      const result = await change(tx);
      await lockAuditChain(tx);
      await append(tx, typeof entry === "function" ? entry(result) : entry);
      return result;
    }),
  );
}

function serialised<T>(db: Db, run: () => Promise<T>): Promise<T> {
  const previous = queues.get(db) ?? Promise.resolve();
  // While another process holds the database's write lock, queued writes are refused at once (db-write-gate.ts).
  const gated = async () => {
    await admitWrite(db);
    return run().catch(async (err: unknown) => {
      await writeFailed(db, err);
      throw err;
    });
  };
  const mine = previous.catch(() => undefined).then(gated);
  queues.set(db, mine);
  return mine;
}

async function append(db: AuditWriter, entry: AuditEntry): Promise<{ id: number; hash: string }> {
  const fields = {
    at: new Date(),
    actorId: entry.actorId ?? null,
    actor: entry.actor.slice(0, 320),
    sourceIp: entry.sourceIp ?? null,
    hostId: entry.hostId ?? null,
    action: entry.action,
    target: entry.target ?? null,
    params: entry.params ? JSON.stringify(redact(entry.params)) : null,
    result: entry.result.slice(0, 500),
  };
  for (let attempt = 1; ; attempt++) {
    const head = await db.auditEvent.findFirst({ orderBy: { id: "desc" }, select: { hash: true } });
    const prevHash = !head || head.hash.startsWith(PRE_CHAIN_PREFIX) ? GENESIS_HASH : head.hash;
    try {
      const row = await db.auditEvent.create({ data: { ...fields, prevHash, hash: entryHash(prevHash, fields) }, select: { id: true, hash: true } });
      return row;
    } catch (err) {
      // Another process appended first: re-read the head and chain after it.
      const raced = (err as { code?: unknown }).code === "P2002";
      if (!raced || attempt >= MAX_ATTEMPTS) throw err;
    }
  }
}

/** Values under secret-looking keys never reach the log, at any depth. */
export function redact(value: unknown, depth = 0): unknown {
  if (value instanceof Date) return value.toISOString();
  if (depth > 6 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, SECRET_KEYS.test(k) ? "[redacted]" : redact(v, depth + 1)]),
  );
}
