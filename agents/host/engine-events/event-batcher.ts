import { ENGINE_EVENT_LIMITS, type EngineEvent, type EngineEventBatch } from "../../protocol/engine-events";

/** delivered: stored by the server; retry: not connected or no answer (kept); rejected: refused for good (discarded). */
export type SendResult = "delivered" | "retry" | "rejected";

export type BatcherOptions = {
  send(batch: EngineEventBatch): Promise<SendResult>;
  /** The shortest gap between two sends: a burst becomes one batch. */
  intervalMs?: number;
  /** Events kept while the server is unreachable; past it the oldest are dropped and counted. */
  maxQueue?: number;
  /** After a failed send, try again this long later (or as soon as resume() is called). */
  retryMs?: number;
  onDropped?(count: number): void;
  now?(): number;
};

/**
 * Queues engine events for the server. The first event after a quiet spell goes out at once (on the
 * next tick, so one chunk of lines is one batch); under load sends happen at most once per interval,
 * one at a time, in order. A batch that was not acknowledged goes back to the front of the queue.
 */
export class EventBatcher {
  private queue: EngineEvent[] = [];
  private dropped = 0;
  private sending = false;
  private paused = false;
  private stopped = false;
  private lastSend = -Infinity;
  private timer: NodeJS.Timeout | null = null;
  private readonly intervalMs: number;
  private readonly maxQueue: number;
  private readonly retryMs: number;
  private readonly now: () => number;

  constructor(private readonly opts: BatcherOptions) {
    this.intervalMs = opts.intervalMs ?? 250;
    this.maxQueue = opts.maxQueue ?? 10_000;
    this.retryMs = opts.retryMs ?? 2_000;
    this.now = opts.now ?? Date.now;
  }

  push(event: EngineEvent): void {
    if (this.stopped) return;
    this.queue.push(event);
    this.trim();
    this.schedule();
  }

  /** The link to the server is back: send what waits now. */
  resume(): void {
    this.paused = false;
    if (!this.sending) this.lastSend = -Infinity;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  get pending(): number {
    return this.queue.length;
  }

  private trim(): void {
    const over = this.queue.length - this.maxQueue;
    if (over <= 0) return;
    this.queue.splice(0, over); // the newest events matter most to a live view
    this.dropped += over;
    this.opts.onDropped?.(over);
  }

  private schedule(): void {
    if (this.stopped || this.sending || this.paused || this.timer || this.queue.length === 0) return;
    const wait = Math.max(0, this.lastSend + this.intervalMs - this.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, wait);
  }

  private async flush(): Promise<void> {
    if (this.stopped || this.sending || this.paused || this.queue.length === 0) return;
    const events = this.takeBatch();
    const batch: EngineEventBatch = { events, dropped: this.dropped };
    this.dropped = 0;
    this.sending = true;
    this.lastSend = this.now();
    let result: SendResult;
    try {
      result = await this.opts.send(batch);
    } catch {
      result = "retry";
    }
    this.sending = false;
    if (result === "retry" && !this.stopped) {
      this.queue.unshift(...events);
      this.dropped += batch.dropped;
      this.trim();
      this.paused = true;
      this.timer = setTimeout(() => {
        this.timer = null;
        this.paused = false;
        this.schedule();
      }, this.retryMs);
      return;
    }
    this.schedule();
  }

  /** As many queued events as fit one message (by count and by encoded size). */
  private takeBatch(): EngineEvent[] {
    let bytes = 0;
    let n = 0;
    while (n < this.queue.length && n < ENGINE_EVENT_LIMITS.batchEvents) {
      bytes += JSON.stringify(this.queue[n]).length;
      if (n > 0 && bytes > ENGINE_EVENT_LIMITS.batchBytes) break;
      n++;
    }
    return this.queue.splice(0, n);
  }
}
