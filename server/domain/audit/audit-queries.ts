import type { Db } from "../../db/client";
import { ignoringCase } from "../../db/dialect";
import { ChainVerifier, type ChainVerdict } from "./audit-chain";

export type AuditFilter = { from?: Date; to?: Date; actor?: string; hostId?: string; action?: string };

export type AuditItem = {
  id: number;
  at: string;
  actor: string;
  actorId: string | null;
  sourceIp: string | null;
  hostId: string | null;
  action: string;
  target: string | null;
  params: unknown;
  result: string;
  hash: string;
};

function where(db: Db, f: AuditFilter) {
  return {
    ...(f.from || f.to ? { at: { ...(f.from ? { gte: f.from } : {}), ...(f.to ? { lte: f.to } : {}) } } : {}),
    ...(f.actor ? { actor: ignoringCase(db, { contains: f.actor }) } : {}),
    ...(f.hostId ? { hostId: f.hostId } : {}),
    // "container." matches every container action; an exact name matches one.
    ...(f.action ? (f.action.endsWith(".") ? { action: ignoringCase(db, { startsWith: f.action }) } : { action: f.action }) : {}),
  };
}

/** Newest first, keyset-paginated by id (cursor = the last id seen). */
export async function listAudit(db: Db, filter: AuditFilter, page: { cursor?: number; limit: number }) {
  const rows = await db.auditEvent.findMany({
    where: { ...where(db, filter), ...(page.cursor ? { id: { lt: page.cursor } } : {}) },
    orderBy: { id: "desc" },
    take: page.limit + 1,
  });
  const items = rows.slice(0, page.limit).map(toItem);
  return { items, nextCursor: rows.length > page.limit ? items[items.length - 1]!.id : null };
}

/** Every matching entry, oldest first, in pages (for exports). */
export async function* eachAudit(db: Db, filter: AuditFilter): AsyncGenerator<AuditItem> {
  let after = 0;
  for (;;) {
    const rows = await db.auditEvent.findMany({ where: { ...where(db, filter), id: { gt: after } }, orderBy: { id: "asc" }, take: 1000 });
    for (const row of rows) yield toItem(row);
    if (rows.length < 1000) return;
    after = rows[rows.length - 1]!.id;
  }
}

/** Walks the whole chain in id order and reports the first broken link. */
export async function verifyAuditChain(db: Db): Promise<ChainVerdict> {
  const verifier = new ChainVerifier();
  let after = 0;
  for (;;) {
    const rows = await db.auditEvent.findMany({ where: { id: { gt: after } }, orderBy: { id: "asc" }, take: 1000 });
    if (!verifier.feed(rows) || rows.length < 1000) return verifier.verdict();
    after = rows[rows.length - 1]!.id;
  }
}

function toItem(row: { id: number; at: Date; actor: string; actorId: string | null; sourceIp: string | null; hostId: string | null; action: string; target: string | null; params: string | null; result: string; hash: string }): AuditItem {
  let params: unknown = null;
  try {
    params = row.params ? JSON.parse(row.params) : null;
  } catch {
    params = row.params;
  }
  return { id: row.id, at: row.at.toISOString(), actor: row.actor, actorId: row.actorId, sourceIp: row.sourceIp, hostId: row.hostId, action: row.action, target: row.target, params, result: row.result, hash: row.hash };
}
