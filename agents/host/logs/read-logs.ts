import type { LogLine } from "../../protocol/logs";
import { RuntimeError } from "../runtime/runtime-error";
import { toDockerTime, type LogSource } from "./docker-log-source";
import { LogLineParser } from "./log-line-parser";

/** What one reply may carry, under the socket's message limit with room for JSON overhead. */
const REPLY_MAX_CHARS = 2 * 1024 * 1024;

/** A finite read for logs.read: the newest `tail` lines in the range, cut to fit one reply (oldest dropped). */
export async function readLogs(source: LogSource, params: { containerId: string; tail: number; since?: string; until?: string }): Promise<{ lines: LogLine[]; truncated: boolean }> {
  const target = await source.inspect(params.containerId);
  if (!target) throw new RuntimeError("NO_SUCH_CONTAINER", `no container ${params.containerId} on this host`);
  const since = params.since ? toDockerTime(params.since) : undefined;
  const until = params.until ? toDockerTime(params.until) : undefined;
  if (since === null || until === null) throw new RuntimeError("BAD_COMMAND", "since/until must be RFC3339 or unix seconds");
  const parser = new LogLineParser(target.tty);
  const raw = await source.read(target.id, { tail: params.tail, since, until });
  // The engine writes each stream from its own reader, so the file is in time order per stream only.
  const lines = [...parser.push(raw), ...parser.end()].sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
  let chars = 0;
  let first = lines.length;
  while (first > 0 && chars + lines[first - 1]!.text.length + 64 <= REPLY_MAX_CHARS) chars += lines[--first]!.text.length + 64;
  return { lines: lines.slice(first), truncated: first > 0 };
}
