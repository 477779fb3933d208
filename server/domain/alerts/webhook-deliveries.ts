import type { Db } from "../../db/client";
import type { Log } from "../../log";
import { DEFAULT_BACKOFF, nextRetryDelay, type BackoffOptions } from "./backoff";
import type { WebhookEvent } from "./webhook-payload";
import { sendWebhook, type SendWebhook } from "./webhook-sender";

export type DeliveryOptions = { backoff?: Partial<BackoffOptions>; timeoutMs?: number; pollMs?: number; batch?: number };

/**
 * The persisted outbox of webhook notifications. Rows are written when an alert fires or resolves;
 * a poller sends the due ones and reschedules failures with exponential backoff, so a restart
 * resumes where it stopped. Secrets and URLs never reach the log.
 */
export class WebhookDeliveries {
  private readonly backoff: BackoffOptions;
  private readonly inFlight = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly deps: { db: Db; log: Log; send?: SendWebhook },
    private readonly opts: DeliveryOptions = {},
  ) {
    this.backoff = { ...DEFAULT_BACKOFF, ...opts.backoff };
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.kick(), this.opts.pollMs ?? 1_000);
    this.timer.unref();
    this.kick();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.polling;
  }

  /** Queues one delivery per webhook for an alert event and sends the due ones soon. */
  async enqueue(alertId: string, event: WebhookEvent, webhookIds: readonly string[], body: string): Promise<void> {
    if (webhookIds.length === 0) return;
    const now = new Date();
    await this.deps.db.webhookDelivery.createMany({
      data: webhookIds.map((webhookId) => ({ webhookId, alertId, event, payload: body, status: "pending", nextAttemptAt: now })),
    });
    this.kick();
  }

  /** Runs one poll now (or right after the running one). Resolves when the poll is done. */
  kick(): Promise<void> {
    if (this.polling) {
      this.again = true;
      return this.polling;
    }
    this.polling = (async () => {
      do {
        this.again = false;
        await this.pollOnce().catch((err: unknown) => this.deps.log.error({ err }, "webhook delivery poll failed"));
      } while (this.again && this.timer);
    })().finally(() => (this.polling = null));
    return this.polling;
  }

  private async pollOnce(): Promise<void> {
    const due = await this.deps.db.webhookDelivery.findMany({
      where: { status: "pending", nextAttemptAt: { lte: new Date() }, id: { notIn: [...this.inFlight] } },
      orderBy: { nextAttemptAt: "asc" },
      take: this.opts.batch ?? 20,
      include: { webhook: { select: { id: true, name: true, url: true, secret: true } } },
    });
    await Promise.all(due.map((d) => this.attempt(d)));
  }

  private async attempt(d: { id: string; event: string; payload: string; attempt: number; webhook: { id: string; name: string; url: string; secret: string | null } }): Promise<void> {
    this.inFlight.add(d.id);
    try {
      const send = this.deps.send ?? sendWebhook;
      const result = await send({ url: d.webhook.url, secret: d.webhook.secret, body: d.payload, deliveryId: d.id, event: d.event }, { timeoutMs: this.opts.timeoutMs });
      const attempt = d.attempt + 1;
      if (result.ok) {
        await this.deps.db.webhookDelivery.update({ where: { id: d.id }, data: { attempt, status: "delivered", httpStatus: result.status, error: null, nextAttemptAt: null, deliveredAt: new Date() } });
        return;
      }
      const delay = nextRetryDelay(attempt, this.backoff);
      await this.deps.db.webhookDelivery.update({
        where: { id: d.id },
        data: { attempt, status: delay === null ? "failed" : "pending", httpStatus: result.status, error: result.error, nextAttemptAt: delay === null ? null : new Date(Date.now() + delay) },
      });
      this.deps.log.warn({ webhook: d.webhook.name, delivery: d.id, attempt, error: result.error, retryInMs: delay }, delay === null ? "webhook delivery given up" : "webhook delivery failed; will retry");
    } finally {
      this.inFlight.delete(d.id);
    }
  }
}
