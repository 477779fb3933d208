import type { Readable } from "node:stream";
import { MAX_TERMINAL_OUTPUT_CHARS } from "../../protocol/terminal";

export type PumpLimits = {
  /** Characters sent but not yet acked before the pump stops sending. */
  windowChars: number;
  /** Characters buffered (unsent + unacked) before the process's stream is paused. */
  pauseAboveChars: number;
  /** Largest message. */
  messageChars: number;
};

export const DEFAULT_PUMP_LIMITS: PumpLimits = {
  windowChars: 256 * 1024,
  pauseAboveChars: 1024 * 1024,
  messageChars: MAX_TERMINAL_OUTPUT_CHARS,
};

/**
 * Moves a terminal's output from Docker to the server: bytes become text through one streaming
 * UTF-8 decoder (a character split across reads is held until it is whole), small reads are joined
 * into one message, and at most `windowChars` are in flight unacked. Past `pauseAboveChars` buffered,
 * the Docker stream is paused, so a browser that does not keep up slows the process instead of
 * filling the agent's memory.
 */
export class OutputPump {
  private readonly decoder = new TextDecoder("utf-8");
  private pending: string[] = [];
  private pendingChars = 0;
  private inFlight = 0;
  private scheduled = false;
  private paused = false;
  private stopped = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly stream: Readable,
    /** Resolves once the receiver acked the message. Rejects when it will not: the pump stops. */
    private readonly send: (data: string) => Promise<void>,
    private readonly onFailed: (err: Error) => void,
    private readonly limits: PumpLimits = DEFAULT_PUMP_LIMITS,
  ) {
    stream.on("data", (chunk: Buffer | string) => this.push(typeof chunk === "string" ? chunk : this.decoder.decode(chunk, { stream: true })));
    stream.on("end", () => this.push(this.decoder.decode()));
  }

  /** Characters decoded but not yet acked (sent or not). */
  get buffered(): number {
    return this.pendingChars + this.inFlight;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /** Resolves once everything decoded so far has been sent (or the pump stopped), or after `timeoutMs`. */
  drained(timeoutMs: number): Promise<void> {
    if (this.pendingChars === 0 || this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  stop(): void {
    this.stopped = true;
    this.pending = [];
    this.pendingChars = 0;
    this.inFlight = 0;
    this.wakeIdle();
  }

  private push(text: string): void {
    if (!text || this.stopped) return;
    this.pending.push(text);
    this.pendingChars += text.length;
    if (!this.paused && this.buffered > this.limits.pauseAboveChars) {
      this.paused = true;
      this.stream.pause();
    }
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.flush();
      });
    }
  }

  private flush(): void {
    while (!this.stopped && this.pendingChars > 0 && this.inFlight < this.limits.windowChars) {
      const message = this.take(this.limits.messageChars);
      this.inFlight += message.length;
      this.send(message).then(
        () => {
          if (this.stopped) return;
          this.inFlight -= message.length;
          if (this.paused && this.buffered <= this.limits.pauseAboveChars / 2) {
            this.paused = false;
            this.stream.resume();
          }
          this.flush();
        },
        (err: Error) => {
          this.stop();
          this.onFailed(err);
        },
      );
    }
    if (this.pendingChars === 0) this.wakeIdle();
  }

  /** Up to `max` characters from the front of the queue, never splitting a surrogate pair. */
  private take(max: number): string {
    let joined = this.pending.join("");
    let cut = Math.min(max, joined.length);
    if (cut < joined.length && isHighSurrogate(joined.charCodeAt(cut - 1))) cut -= 1;
    const message = joined.slice(0, cut);
    joined = joined.slice(cut);
    this.pending = joined ? [joined] : [];
    this.pendingChars = joined.length;
    return message;
  }

  private wakeIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    waiters.forEach((w) => w());
  }
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
