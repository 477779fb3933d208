import {
  MAX_LOG_BATCH_LINES,
  MAX_LOG_TAIL,
  advanceCursors,
  cursorOf,
  isAfterCursors,
  streamCursors,
  type LogBatch,
  type LogCursor,
  type LogItem,
  type LogLine,
  type LogOptions,
  type StreamCursors,
} from "../../protocol/logs";
import type { FollowerListener } from "./container-follower";
import { toDockerTime, type LogSource, type LogTarget } from "./docker-log-source";
import { Fifo } from "./fifo";
import { LogLineParser } from "./log-line-parser";

/** Past this many queued lines (or characters) a reader that cannot keep up loses lines, counted. */
export const QUEUE_MAX_LINES = 50_000;
export const QUEUE_MAX_CHARS = 32 * 1024 * 1024;
const BATCH_MAX_CHARS = 1024 * 1024;

export type SendResult = "delivered" | "closed";

export type SubscriptionDeps = {
  source: LogSource;
  /** Joins the container's shared follow stream; resolves once it is open. Absent when not following. */
  follow: ((listener: FollowerListener) => Promise<() => void>) | null;
  /** Sends one batch and resolves when the receiver acked it (backpressure) or the link failed. */
  send(batch: LogBatch): Promise<SendResult>;
  onClosed(): void;
};

/**
 * One viewer's stream of one container: the requested backlog (tail / since / until, or everything
 * strictly after a resume cursor), then the shared live follow, de-duplicated at the seam. One batch
 * is in flight at a time: when idle a line goes out at once; under load lines gather into the next
 * batch while the previous one is acknowledged, so batches grow with the load.
 */
export class LogSubscription {
  private readonly queue = new Fifo<LogItem>();
  private queuedChars = 0;
  private dropped = 0;
  /** The last line queued per stream: anything not later than it (in its stream) was seen already. */
  private readonly lastQueued: StreamCursors;
  private inFlight = false;
  private closed = false;
  private ending: string | null = null;
  /** Live lines that arrive while the backlog is still being read. */
  private early: LogLine[] | null = [];
  private leaveFollow: (() => void) | null = null;

  constructor(
    readonly streamId: string,
    private readonly target: LogTarget,
    private readonly options: LogOptions,
    private readonly deps: SubscriptionDeps,
  ) {
    this.lastQueued = options.after ? streamCursors(options.after) : {};
  }

  async start(): Promise<void> {
    const following = this.options.follow && !this.options.until && this.deps.follow;
    if (following) {
      this.leaveFollow = await this.deps.follow!({
        lines: (lines) => (this.early ? this.pushEarly(lines) : this.enqueue(lines)),
        ended: (reason) => this.end(reason),
      });
    }
    if (this.closed) return;
    try {
      await this.readBacklog();
    } catch (err) {
      this.queue.push({ marker: "gap", ts: cursorOf(this.lastQueued)?.ts ?? null, message: `could not read the log: ${(err as Error).message.slice(0, 300)}` });
    }
    const early = this.early ?? [];
    this.early = null;
    this.enqueue(early);
    if (!following) this.end("end of the requested range");
    this.pump();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.leaveFollow?.();
    this.deps.onClosed();
  }

  private async readBacklog(): Promise<void> {
    const { after, since, until, tail } = this.options;
    if (!after && tail === 0 && !since) return;
    const read = await this.deps.source.read(this.target.id, {
      tail: after ? MAX_LOG_TAIL : tail,
      since: after ? toDockerTime(Object.values(streamCursors(after)).sort()[0]!) ?? undefined : since ? toDockerTime(since) ?? undefined : undefined,
      until: until ? toDockerTime(until) ?? undefined : undefined,
    });
    const parser = new LogLineParser(this.target.tty);
    const lines = [...parser.push(read), ...parser.end()];
    if (after) this.checkResumeSeam(after, lines);
    this.enqueue(lines);
  }

  /**
   * Docker's `since` is inclusive, so the line we resume after must come back. If it does not,
   * the engine no longer has it (rotated, truncated, or too far back): say so where the gap is.
   */
  private checkResumeSeam(after: LogCursor, lines: LogLine[]): void {
    // The last delivered line is the oldest one the resume needs: if the engine still has it, it
    // still has everything after it (it drops oldest first).
    if (lines.some((l) => l.stream === after.stream && l.ts === after.ts)) return;
    const next = lines.find((l) => isAfterCursors(l, this.lastQueued));
    const until = next ? ` and ${next.ts}` : "";
    this.queue.push({ marker: "gap", ts: after.ts, message: `The engine no longer has every line between ${after.ts}${until}; some may be missing here.` });
  }

  private pushEarly(lines: LogLine[]): void {
    const early = this.early!;
    if (early.length + lines.length > QUEUE_MAX_LINES) {
      this.dropped += lines.length;
      return;
    }
    early.push(...lines);
  }

  private enqueue(lines: LogLine[]): void {
    if (this.closed) return;
    for (const line of lines) {
      if (!isAfterCursors(line, this.lastQueued)) continue; // seen already
      if (this.queue.length >= QUEUE_MAX_LINES || this.queuedChars + line.text.length > QUEUE_MAX_CHARS) {
        this.dropped++;
        continue;
      }
      if (this.dropped) {
        this.queue.push({ marker: "dropped", count: this.dropped, ts: cursorOf(this.lastQueued)?.ts ?? null, message: `${this.dropped} lines dropped: the viewer fell behind` });
        this.dropped = 0;
      }
      this.queue.push(line);
      this.queuedChars += line.text.length;
      advanceCursors(this.lastQueued, line);
    }
    this.pump();
  }

  private end(reason: string): void {
    this.ending ??= reason;
    this.pump();
  }

  private pump(): void {
    if (this.inFlight || this.closed || this.early) return;
    if (!this.queue.length && this.ending === null) return;
    const items: LogItem[] = [];
    let chars = 0;
    while (this.queue.length && items.length < MAX_LOG_BATCH_LINES) {
      const next = this.queue.peek()!;
      const size = "text" in next ? next.text.length : 0;
      if (items.length && chars + size > BATCH_MAX_CHARS) break;
      items.push(this.queue.take()!);
      chars += size;
    }
    this.queuedChars -= chars;
    const last = this.queue.length === 0 && this.ending !== null;
    const batch: LogBatch = { streamId: this.streamId, items, ...(last ? { end: { reason: this.ending! } } : {}) };
    this.inFlight = true;
    void this.deps.send(batch).then((result) => {
      this.inFlight = false;
      if (result === "closed" || last) return this.close();
      this.pump();
    });
  }
}
