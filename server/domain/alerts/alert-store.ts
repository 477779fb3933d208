import type { Db } from "../../db/client";
import { toAlertView, type AlertView } from "./webhook-payload";

/** A firing alert the engine holds in memory (mirrors a row with state "firing"). */
export type FiringAlert = {
  id: string;
  subjectKey: string;
  ruleId: string | null;
  kind: string;
  hostId: string;
  containerId: string | null;
  firedAt: number;
  value: number | null;
  message: string;
  webhookIds: string[];
  /** When value/message were last written (they are refreshed at most every few seconds). */
  writtenAt: number;
};

export type NewAlert = {
  subjectKey: string;
  ruleId: string;
  ruleName: string;
  kind: string;
  hostId: string;
  containerId: string | null;
  subject: string;
  value: number | null;
  message: string;
};

export async function loadFiring(db: Db): Promise<FiringAlert[]> {
  const rows = await db.alert.findMany({ where: { state: "firing" }, include: { rule: { select: { webhooks: { select: { id: true } } } } } });
  return rows.map((r) => ({
    id: r.id, subjectKey: r.subjectKey, ruleId: r.ruleId, kind: r.kind, hostId: r.hostId, containerId: r.containerId,
    firedAt: r.firedAt.getTime(), value: r.value, message: r.message, webhookIds: r.rule?.webhooks.map((w) => w.id) ?? [], writtenAt: r.firedAt.getTime(),
  }));
}

/**
 * Stores a new firing alert. If one is already firing for the subject (another engine won the race:
 * a partial unique index allows one), returns null.
 */
export async function createFiring(db: Db, a: NewAlert, now: Date): Promise<AlertView | null> {
  try {
    const row = await db.alert.create({ data: { ...a, state: "firing", firedAt: now } });
    return toAlertView(row);
  } catch (err) {
    if ((err as { code?: unknown }).code === "P2002") return null;
    throw err;
  }
}

/** Marks a firing alert resolved; null if it was not firing any more. */
export async function resolveFiring(db: Db, id: string, message: string, value: number | null, now: Date): Promise<AlertView | null> {
  const { count } = await db.alert.updateMany({ where: { id, state: "firing" }, data: { state: "resolved", resolvedAt: now, message, value } });
  if (count === 0) return null;
  const row = await db.alert.findUnique({ where: { id } });
  return row ? toAlertView(row) : null;
}

export async function refreshFiring(db: Db, id: string, value: number | null, message: string): Promise<void> {
  await db.alert.updateMany({ where: { id, state: "firing" }, data: { value, message } });
}

/** How long history is kept: resolved alerts, and deliveries that are no longer pending. */
export const HISTORY_DAYS = { alerts: 90, deliveries: 7 };

export async function pruneHistory(db: Db, now: number): Promise<void> {
  const day = 86_400_000;
  await db.webhookDelivery.deleteMany({ where: { status: { not: "pending" }, createdAt: { lt: new Date(now - HISTORY_DAYS.deliveries * day) } } });
  await db.alert.deleteMany({ where: { state: "resolved", firedAt: { lt: new Date(now - HISTORY_DAYS.alerts * day) } } });
}
