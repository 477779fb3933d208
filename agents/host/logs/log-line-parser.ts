import { MAX_LOG_LINE_CHARS, normaliseLogTs, type LogLine, type LogStreamName } from "../../protocol/logs";

const HEADER_BYTES = 8;
const STREAMS: Record<number, LogStreamName> = { 1: "stdout", 2: "stderr" };

/**
 * Turns Docker's log stream (requested with timestamps) into lines. Without a TTY the engine
 * multiplexes frames (8-byte header: stream, size); each frame is one message prefixed with its
 * RFC3339Nano time, and a message longer than the engine's 16 KiB buffer arrives as partial frames
 * without a trailing newline, which are joined here. With a TTY the stream is raw text on stdout.
 */
export class LogLineParser {
  private pending: Buffer = Buffer.alloc(0);
  /** A partial message per stream waiting for its newline: its time and bytes so far. */
  private readonly partial = new Map<LogStreamName, { ts: string; parts: Buffer[]; bytes: number }>();
  private lastTs: string | null = null;

  constructor(private readonly tty: boolean) {}

  push(chunk: Buffer): LogLine[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const out: LogLine[] = [];
    if (this.tty) {
      let nl: number;
      while ((nl = this.pending.indexOf(0x0a)) >= 0) {
        this.message("stdout", this.pending.subarray(0, nl + 1), out);
        this.pending = this.pending.subarray(nl + 1);
      }
      return out;
    }
    while (this.pending.length >= HEADER_BYTES) {
      const size = this.pending.readUInt32BE(4);
      if (this.pending.length < HEADER_BYTES + size) break;
      const stream = STREAMS[this.pending[0]!];
      const payload = this.pending.subarray(HEADER_BYTES, HEADER_BYTES + size);
      this.pending = this.pending.subarray(HEADER_BYTES + size);
      if (stream) this.message(stream, payload, out);
    }
    return out;
  }

  /** Whatever is left when the stream ends (a last line without newline). */
  end(): LogLine[] {
    const out: LogLine[] = [];
    if (this.tty && this.pending.length) this.message("stdout", this.pending, out);
    this.pending = Buffer.alloc(0);
    for (const stream of [...this.partial.keys()]) this.flushPartial(stream, out);
    return out;
  }

  /** One engine message: "<ts> <text>", complete when it ends with a newline. */
  private message(stream: LogStreamName, payload: Buffer, out: LogLine[]): void {
    const space = payload.indexOf(0x20);
    const rawTs = space > 0 && space < 40 ? payload.toString("latin1", 0, space) : "";
    const ts = normaliseLogTs(rawTs);
    const body = ts ? payload.subarray(space + 1) : payload;
    const stamp = ts ?? this.lastTs ?? new Date(0).toISOString().replace("Z", "000000Z");
    this.lastTs = stamp;
    const complete = body.length > 0 && body[body.length - 1] === 0x0a;
    const content = complete ? body.subarray(0, body.length - 1) : body;
    const open = this.partial.get(stream);
    if (open) {
      if (open.bytes < MAX_LOG_LINE_CHARS * 4) open.parts.push(content);
      open.bytes += content.length;
      if (complete) this.flushPartial(stream, out);
      return;
    }
    if (!complete) {
      this.partial.set(stream, { ts: stamp, parts: [content], bytes: content.length });
      return;
    }
    out.push(toLine(stamp, stream, content));
  }

  private flushPartial(stream: LogStreamName, out: LogLine[]): void {
    const open = this.partial.get(stream);
    if (!open) return;
    this.partial.delete(stream);
    out.push(toLine(open.ts, stream, Buffer.concat(open.parts)));
  }
}

function toLine(ts: string, stream: LogStreamName, bytes: Buffer): LogLine {
  let end = bytes.length;
  if (end && bytes[end - 1] === 0x0d) end--; // a TTY ends lines with CRLF
  // Decoding replaces invalid UTF-8 with U+FFFD; the text is never interpreted, only shown.
  const text = bytes.toString("utf8", 0, Math.min(end, MAX_LOG_LINE_CHARS * 4));
  if (text.length > MAX_LOG_LINE_CHARS) return { ts, stream, text: text.slice(0, MAX_LOG_LINE_CHARS), truncated: true };
  return end > MAX_LOG_LINE_CHARS * 4 ? { ts, stream, text, truncated: true } : { ts, stream, text };
}
