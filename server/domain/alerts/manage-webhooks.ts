import type { Db, Tx } from "../../db/client";
import { AppError } from "../../errors";
import { testAlert, webhookBody } from "./webhook-payload";
import type { SendWebhook, WebhookResult } from "./webhook-sender";

export type WebhookView = {
  id: string;
  name: string;
  url: string;
  /** Whether deliveries are signed; the secret itself is never returned. */
  signed: boolean;
  rules: number;
  lastDelivery: { status: string; attempt: number; error: string | null; at: string } | null;
  pending: number;
  failed: number;
};

/** What the audit log may show of a URL: its origin (paths and queries often carry tokens). */
export function urlOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "(invalid)";
  }
}

export async function listWebhooks(db: Db | Tx): Promise<WebhookView[]> {
  const rows = await db.webhookTarget.findMany({
    orderBy: { name: "asc" },
    select: { id: true, name: true, url: true, secret: true, _count: { select: { rules: true } }, deliveries: { orderBy: { createdAt: "desc" }, take: 1 } },
  });
  const stats = await db.webhookDelivery.groupBy({ by: ["webhookId", "status"], where: { status: { in: ["pending", "failed"] } }, _count: { _all: true } });
  const count = (id: string, status: string) => stats.find((s) => s.webhookId === id && s.status === status)?._count._all ?? 0;
  return rows.map((r) => {
    const last = r.deliveries[0];
    return {
      id: r.id, name: r.name, url: r.url, signed: Boolean(r.secret), rules: r._count.rules,
      lastDelivery: last ? { status: last.status, attempt: last.attempt, error: last.error, at: (last.deliveredAt ?? last.createdAt).toISOString() } : null,
      pending: count(r.id, "pending"), failed: count(r.id, "failed"),
    };
  });
}

/** Sends one clearly-marked test notification now (no retry) and reports what happened. */
export async function testWebhook(db: Db, send: SendWebhook, webhookId: string, timeoutMs = 10_000): Promise<WebhookResult> {
  const hook = await db.webhookTarget.findUnique({ where: { id: webhookId } });
  if (!hook) throw new AppError("NOT_FOUND", "no such webhook");
  return send({ url: hook.url, secret: hook.secret, body: webhookBody("test", testAlert()), deliveryId: `test-${Date.now()}`, event: "test" }, { timeoutMs });
}
