import { advanceCursors, isAfterCursors, type LogLine, type StreamCursors } from "../../protocol/logs";
import type { Logger } from "../log";
import { toDockerTime, type LogSource, type LogTarget } from "./docker-log-source";
import { LogLineParser } from "./log-line-parser";

const STOPPED_POLL_MS = 1_000;

export type FollowerListener = { lines(lines: LogLine[]): void; ended(reason: string): void };

/**
 * The one Docker follow stream of a container, shared by every viewer of it. Docker ends a follow
 * when the container stops; the follower then waits for it to run again and follows on from the
 * last line it saw (strictly after it), until the container is removed or the last viewer leaves.
 */
export class ContainerFollower {
  private readonly listeners = new Set<FollowerListener>();
  private readonly abort = new AbortController();
  /** The last line seen per stream (the engine orders lines within a stream, not across them). */
  private readonly cursors: StreamCursors = {};
  /** When the last follow stream ended, so a restart is followed from then even if no line came. */
  private endedAt: string | null = null;
  private started: Promise<void> | null = null;

  constructor(
    private readonly source: LogSource,
    private readonly target: LogTarget,
    private readonly log: Logger,
    private readonly onIdle: () => void,
  ) {}

  get size(): number {
    return this.listeners.size;
  }

  /** Adds a listener; resolves once the engine's follow stream is open (lines from then on reach it). */
  attach(listener: FollowerListener): Promise<void> {
    this.listeners.add(listener);
    this.started ??= this.follow();
    return this.started;
  }

  detach(listener: FollowerListener): void {
    this.listeners.delete(listener);
    if (this.listeners.size === 0) this.stop();
  }

  stop(): void {
    if (this.abort.signal.aborted) return;
    this.abort.abort();
    this.onIdle();
  }

  private async follow(): Promise<void> {
    const seen = Object.values(this.cursors).sort()[0];
    const since = seen ? toDockerTime(seen) ?? undefined : this.endedAt ?? undefined;
    let stream: NodeJS.ReadableStream;
    try {
      stream = await this.source.follow(this.target.id, { since }, this.abort.signal);
    } catch (err) {
      if (this.abort.signal.aborted) return;
      this.log.warn("log follow failed", { container: this.target.id.slice(0, 12), error: (err as Error).message });
      return void this.afterEnd();
    }
    const parser = new LogLineParser(this.target.tty);
    const deliver = (lines: LogLine[]) => {
      const fresh = lines.filter((l) => {
        if (!isAfterCursors(l, this.cursors)) return false;
        advanceCursors(this.cursors, l);
        return true;
      });
      if (!fresh.length) return;
      for (const listener of this.listeners) listener.lines(fresh);
    };
    stream.on("data", (chunk: Buffer) => deliver(parser.push(chunk)));
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      deliver(parser.end());
      this.endedAt = `${Math.floor(Date.now() / 1000)}.${String((Date.now() % 1000) * 1_000_000).padStart(9, "0")}`;
      if (!this.abort.signal.aborted) void this.afterEnd();
    };
    stream.on("end", finish);
    stream.on("close", finish);
    stream.on("error", finish);
  }

  /** The follow ended (container stopped, engine restarted): wait for the container to run again. */
  private async afterEnd(): Promise<void> {
    while (!this.abort.signal.aborted) {
      let target: LogTarget | null;
      try {
        target = await this.source.inspect(this.target.id);
      } catch {
        target = this.target; // the engine is away: keep waiting
      }
      if (this.abort.signal.aborted) return;
      if (!target) {
        for (const listener of [...this.listeners]) listener.ended("the container was removed");
        return this.stop();
      }
      if (target.running) return void this.follow();
      await new Promise((r) => setTimeout(r, STOPPED_POLL_MS).unref());
    }
  }
}
