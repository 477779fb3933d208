import crypto from "node:crypto";
import { advanceCursors, isAfterCursors, isLogMarker, streamCursors, type LogBatch, type LogCursor, type LogItem, type LogOptions, type StreamCursors } from "../../../agents/protocol/logs";
import { AppError } from "../../errors";
import type { Log } from "../../log";
import type { AgentLinks } from "../../realtime/agent-links";

const OPEN_TIMEOUT_MS = 15_000;

/** Where a relayed stream's batches go: a browser socket, or the retention store. */
export type LogSink = {
  /** Resolves true once the receiver has taken the batch (the agent's next batch waits for it). */
  deliver(batch: LogBatch): Promise<boolean>;
};

type RelayedStream = {
  id: string;
  hostId: string;
  containerId: string;
  options: LogOptions;
  /** The last line delivered to the sink per stream: where a re-opened stream resumes (strictly after). */
  cursors: StreamCursors;
  /** The last line delivered (a real line: the agent checks the engine still has it). */
  last: LogCursor | null;
  sink: LogSink;
  /** The delivery in progress; a re-open waits for it so the cursor is final. */
  delivering: Promise<unknown>;
  closed: boolean;
};

export type OpenResult = { ok: true; streamId: string } | { ok: false; code: string; message: string };

/**
 * Log streams between agents and sinks. The server remembers each stream's cursor, so when an agent
 * reconnects (or restarts) every stream of its host is re-opened strictly after the last line the
 * sink received; lines at or before the cursor are dropped here too, so nothing arrives twice.
 */
export class LogRelay {
  private readonly streams = new Map<string, RelayedStream>();

  constructor(
    private readonly links: Pick<AgentLinks, "send" | "emit">,
    private readonly log: Log,
  ) {}

  async open(input: { hostId: string; containerId: string; options: LogOptions; sink: LogSink }): Promise<OpenResult> {
    const stream: RelayedStream = { ...input, id: crypto.randomBytes(12).toString("base64url"), cursors: input.options.after ? streamCursors(input.options.after) : {}, last: input.options.after ?? null, delivering: Promise.resolve(), closed: false };
    this.streams.set(stream.id, stream);
    const opened = await this.openOnAgent(stream);
    if (!opened.ok) this.streams.delete(stream.id);
    return opened;
  }

  close(streamId: string): void {
    const stream = this.streams.get(streamId);
    if (!stream) return;
    stream.closed = true;
    this.streams.delete(streamId);
    this.links.emit(stream.hostId, "logs:close", { streamId });
  }

  has(streamId: string): boolean {
    return this.streams.has(streamId);
  }

  /** A batch from an agent: only for a stream of that agent's host; acked once the sink has it. */
  async fromAgent(hostId: string, batch: LogBatch): Promise<void> {
    const stream = this.streams.get(batch.streamId);
    if (!stream || stream.hostId !== hostId) throw new AppError("NOT_FOUND", "no such log stream");
    const delivery = (async () => {
      const items = this.afterCursor(stream, batch.items);
      const ended = batch.end && !stream.closed;
      if (!items.length && !ended) return;
      const ok = await stream.sink.deliver({ streamId: stream.id, items, ...(ended ? { end: batch.end } : {}) });
      if (!ok) return this.close(stream.id);
      if (ended) this.streams.delete(stream.id);
    })();
    stream.delivering = delivery.catch(() => undefined);
    await delivery;
    if (!this.streams.has(stream.id) && !batch.end) throw new AppError("NOT_FOUND", "the log stream was closed");
  }

  /** The agent is back (maybe restarted): re-open its streams after their cursors. */
  agentConnected(hostId: string): void {
    for (const stream of this.streams.values()) {
      if (stream.hostId !== hostId || stream.closed) continue;
      void stream.delivering.then(async () => {
        if (stream.closed) return;
        const result = await this.openOnAgent(stream);
        if (result.ok) return;
        this.log.warn({ hostId, code: result.code }, "log stream could not resume");
        this.streams.delete(stream.id);
        await stream.sink.deliver({ streamId: stream.id, items: [], end: { reason: result.message } }).catch(() => false);
      });
    }
  }

  private async openOnAgent(stream: RelayedStream): Promise<OpenResult> {
    const options: LogOptions = stream.last ? { ...stream.options, after: { ts: stream.last.ts, stream: stream.last.stream, streams: { ...stream.cursors } } } : stream.options;
    const sent = this.links.send(stream.hostId, "logs:open", { streamId: stream.id, containerId: stream.containerId, options }, OPEN_TIMEOUT_MS);
    if (!sent) return { ok: false, code: "HOST_OFFLINE", message: "the host is offline" };
    const result = await sent;
    if (result.kind !== "reply") return { ok: false, code: "HOST_OFFLINE", message: "the host did not answer" };
    const reply = result.reply as { ok?: boolean; error?: { code?: string; message?: string } };
    if (reply?.ok === true) return { ok: true, streamId: stream.id };
    return { ok: false, code: String(reply?.error?.code ?? "AGENT_ERROR").slice(0, 40), message: String(reply?.error?.message ?? "the agent refused").slice(0, 500) };
  }

  /** Drops lines at or before the cursor and advances it to the last line kept. */
  private afterCursor(stream: RelayedStream, items: LogItem[]): LogItem[] {
    const kept: LogItem[] = [];
    for (const item of items) {
      if (isLogMarker(item)) {
        kept.push(item);
        continue;
      }
      if (!isAfterCursors(item, stream.cursors)) continue;
      kept.push(item);
      advanceCursors(stream.cursors, item);
      stream.last = { ts: item.ts, stream: item.stream };
    }
    return kept;
  }
}
