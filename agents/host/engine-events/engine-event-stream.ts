import type { EngineEvent } from "../../protocol";
import type { Logger } from "../log";
import { splitLines } from "../runtime/split-lines";
import { eventKey, parseEngineEvent, sinceParam } from "./parse-engine-event";

export type EventStream = NodeJS.ReadableStream & { destroy(): void };
/** Opens the engine's /events stream (every type), from `since` ("seconds.nanoseconds") when given. */
export type OpenEventStream = (since: string | null) => Promise<EventStream>;

export type EngineEventStreamOptions = {
  open: OpenEventStream;
  onEvent(event: EngineEvent): void;
  log: Logger;
  retryMinMs?: number;
  retryMaxMs?: number;
  /** How many recent event keys are remembered to drop replays after a reconnect. */
  rememberKeys?: number;
  /** Local clock in nanoseconds, used as the resume point before the first event is seen. */
  nowNano?(): bigint;
};

/**
 * Follows the engine's event stream for as long as it runs, and across engine restarts: each
 * reconnect resumes with `since` = the newest event seen (the engine replays from that instant,
 * inclusive), and events already delivered are recognised by (timeNano, type, action, actor id).
 */
export class EngineEventStream {
  private stream: EventStream | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  private failures = 0;
  private resumeFrom: string | null = null; // timeNano of the newest event delivered
  private readonly recent = new Map<string, true>(); // insertion-ordered: a small LRU of keys
  private readonly rememberKeys: number;
  private readonly nowNano: () => bigint;

  constructor(private readonly opts: EngineEventStreamOptions) {
    this.rememberKeys = opts.rememberKeys ?? 4096;
    this.nowNano = opts.nowNano ?? (() => BigInt(Date.now()) * 1_000_000n);
  }

  start(): void {
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.stream?.destroy();
    this.stream = null;
  }

  /** The newest event delivered (for tests and diagnostics). */
  get position(): string | null {
    return this.resumeFrom;
  }

  private async connect(): Promise<void> {
    this.retryTimer = null;
    if (this.stopped) return;
    const since = this.resumeFrom;
    // Before any event was seen, resume from when the stream first opened, so an early drop loses nothing.
    const openedAt = this.nowNano().toString();
    let stream: EventStream;
    try {
      stream = await this.opts.open(since ? sinceParam(since) : null);
    } catch (err) {
      this.retry(err as Error);
      return;
    }
    if (this.stopped) return void stream.destroy();
    if (this.failures > 0) this.opts.log.info("engine event stream resumed", { since });
    this.failures = 0;
    this.resumeFrom ??= openedAt;
    this.stream = stream;
    let ended = false;
    const end = (err: Error | null) => {
      if (ended) return;
      ended = true;
      if (this.stream === stream) this.stream = null;
      stream.destroy();
      if (!this.stopped) this.retry(err ?? new Error("engine event stream ended"));
    };
    splitLines(stream, (line) => this.onLine(line));
    stream.on("error", (err: Error) => end(err));
    stream.on("end", () => end(null));
    stream.on("close", () => end(null));
  }

  private onLine(line: string): void {
    const event = parseEngineEvent(line);
    if (!event) return;
    const key = eventKey(event);
    if (this.recent.has(key)) return;
    this.recent.set(key, true);
    if (this.recent.size > this.rememberKeys) this.recent.delete(this.recent.keys().next().value!);
    if (!this.resumeFrom || BigInt(event.timeNano) > BigInt(this.resumeFrom)) this.resumeFrom = event.timeNano;
    this.opts.onEvent(event);
  }

  private retry(err: Error): void {
    if (this.stopped || this.retryTimer) return;
    if (this.failures === 0) this.opts.log.warn("engine event stream lost; reconnecting", { error: err.message });
    const min = this.opts.retryMinMs ?? 1_000;
    const delay = Math.min(this.opts.retryMaxMs ?? 10_000, min * 2 ** Math.min(this.failures++, 4));
    this.retryTimer = setTimeout(() => void this.connect(), delay);
  }
}
