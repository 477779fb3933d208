import type { Db } from "../../db/client";

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

const SECRET_KEYS = /token|password|secret|signature|key$/i;

/** Appends one audit entry. Callers await it before acknowledging the action: no entry, no action. */
export async function recordAudit(db: Db, entry: AuditEntry): Promise<void> {
  await db.auditEvent.create({
    data: {
      actorId: entry.actorId ?? null,
      actor: entry.actor,
      sourceIp: entry.sourceIp ?? null,
      hostId: entry.hostId ?? null,
      action: entry.action,
      target: entry.target ?? null,
      params: entry.params ? JSON.stringify(redact(entry.params)) : null,
      result: entry.result,
    },
  });
}

function redact(params: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, SECRET_KEYS.test(k) ? "[redacted]" : v]));
}
