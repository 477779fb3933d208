import { z } from "zod";
import { ZContainerRef } from "./commands";

/**
 * Container log streams, end to end: browser ⇄ server ⇄ agent ⇄ Docker. One batch per stream is in
 * flight at a time and the next is sent only after the receiver acks, so a slow browser slows the
 * agent (which batches more, and past its bound drops lines and says how many, where).
 */

/** Longest line text kept; longer lines are cut and flagged `truncated`. */
export const MAX_LOG_LINE_CHARS = 1024 * 1024;
/** The most lines a batch may carry (bytes are bounded by the socket's message limit too). */
export const MAX_LOG_BATCH_LINES = 5_000;
export const DEFAULT_LOG_TAIL = 500;
export const MAX_LOG_TAIL = 100_000;

/** RFC3339 in UTC with exactly nine fraction digits, so timestamps compare and sort as plain text. */
export const ZLogTs = z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/, "expected RFC3339 UTC with 9 fraction digits");
export type LogTs = z.infer<typeof ZLogTs>;
export const ZLogStreamName = z.enum(["stdout", "stderr"]);
export type LogStreamName = z.infer<typeof ZLogStreamName>;

export const ZLogLine = z.object({
  ts: ZLogTs,
  stream: ZLogStreamName,
  /** Raw text (may hold ANSI escapes: render them safely); invalid UTF-8 arrives as U+FFFD. */
  text: z.string().max(MAX_LOG_LINE_CHARS),
  truncated: z.literal(true).optional(),
});
export type LogLine = z.infer<typeof ZLogLine>;

/** Something the stream could not deliver, shown where it happened. */
export const ZLogMarker = z.object({
  marker: z.enum(["dropped", "gap"]),
  /** dropped: how many lines were dropped here (the reader fell too far behind). */
  count: z.number().int().nonnegative().optional(),
  /** Time of the marker's place in the stream (the last line before it, or the resume point). */
  ts: ZLogTs.nullable(),
  message: z.string().max(500),
});
export type LogMarker = z.infer<typeof ZLogMarker>;
export const ZLogItem = z.union([ZLogLine, ZLogMarker]);
export type LogItem = z.infer<typeof ZLogItem>;
export const isLogMarker = (item: LogItem): item is LogMarker => "marker" in item;

/**
 * Where a stream resumes: `ts`/`stream` name the last line delivered (the agent checks the engine
 * still has it, else it marks a gap). The engine writes stdout and stderr from separate readers, so
 * across the two streams lines are not in time order; within one stream they are. `streams` gives
 * each stream's own resume time (lines strictly later are new); a stream not named there resumes
 * strictly after `ts`.
 */
export const ZLogCursor = z.object({
  ts: ZLogTs,
  stream: ZLogStreamName,
  streams: z.object({ stdout: ZLogTs.optional(), stderr: ZLogTs.optional() }).strict().optional(),
});
export type LogCursor = z.infer<typeof ZLogCursor>;
/** The last delivered time per stream; a line is new when it is later than its own stream's time. */
export type StreamCursors = Partial<Record<LogStreamName, LogTs>>;

export function streamCursors(after: LogCursor): StreamCursors {
  return after.streams ? { ...after.streams, [after.stream]: maxTs(after.streams[after.stream], after.ts) } : { stdout: after.ts, stderr: after.ts };
}

export function isAfterCursors(line: { ts: string; stream: LogStreamName }, cursors: StreamCursors): boolean {
  const last = cursors[line.stream];
  return last === undefined || line.ts > last;
}

/** Advances the cursors past a line; returns the single-cursor view of them (the latest line). */
export function advanceCursors(cursors: StreamCursors, line: { ts: LogTs; stream: LogStreamName }): void {
  cursors[line.stream] = maxTs(cursors[line.stream], line.ts);
}

/** The resumable cursor for a set of per-stream times (null when nothing was delivered yet). */
export function cursorOf(cursors: StreamCursors): LogCursor | null {
  const entries = (Object.entries(cursors) as [LogStreamName, LogTs | undefined][]).filter((e): e is [LogStreamName, LogTs] => !!e[1]);
  if (!entries.length) return null;
  const [stream, ts] = entries.reduce((a, b) => (b[1] > a[1] ? b : a));
  return { ts, stream, streams: Object.fromEntries(entries) };
}

function maxTs(a: LogTs | undefined, b: LogTs): LogTs {
  return a !== undefined && a > b ? a : b;
}

/** What to read. `since`/`until` are RFC3339 (any precision) or unix seconds; `after` wins over `since`. */
export const ZLogOptions = z.object({
  tail: z.number().int().min(0).max(MAX_LOG_TAIL).default(DEFAULT_LOG_TAIL),
  since: z.string().max(40).optional(),
  until: z.string().max(40).optional(),
  follow: z.boolean().default(true),
  after: ZLogCursor.optional(),
});
export type LogOptions = z.infer<typeof ZLogOptions>;

export const ZStreamId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);

/** Server → agent: open (or join) a log stream for one container. */
export const ZLogOpen = z.object({ streamId: ZStreamId, containerId: ZContainerRef, options: ZLogOptions });
export type LogOpen = z.infer<typeof ZLogOpen>;
export const ZLogClose = z.object({ streamId: ZStreamId });
export type LogClose = z.infer<typeof ZLogClose>;

/** Agent → server, and server → browser: the next slice of one stream. `end` closes it for good. */
export const ZLogBatch = z.object({
  streamId: ZStreamId,
  items: z.array(ZLogItem).max(MAX_LOG_BATCH_LINES + 2),
  end: z.object({ reason: z.string().max(500) }).optional(),
});
export type LogBatch = z.infer<typeof ZLogBatch>;

/** Browser → server: subscribe to one container's log. Acked with the stream id the batches carry. */
export const ZLogSubscribe = z.object({ hostId: z.string().min(1).max(64), containerId: ZContainerRef, options: ZLogOptions.optional() }).strict();
export type LogSubscribe = z.infer<typeof ZLogSubscribe>;
export const ZLogUnsubscribe = z.object({ streamId: ZStreamId }).strict();

/** Normalises an engine timestamp (RFC3339Nano, trailing zeros trimmed, any offset) to ZLogTs form. */
export function normaliseLogTs(raw: string): LogTs | null {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(raw);
  if (!m) return null;
  const fraction = (m[2] ?? "").padEnd(9, "0");
  if (m[3] === "Z") return `${m[1]}.${fraction}Z`;
  const ms = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(ms)) return null;
  return `${new Date(ms).toISOString().slice(0, 19)}.${fraction}Z`;
}
