import type { Socket } from "socket.io-client";
import { ZLogBatch, advanceCursors, cursorOf, isLogMarker, type LogBatch, type LogOptions, type StreamCursors } from "../../../agents/protocol/logs";
import type { LogStore } from "./log-store";

/**
 * The log streams of one viewer on the tab's /live socket. Every batch is checked against the
 * protocol schema, stored, and only then acked (the server sends the next batch of that stream after
 * the ack: that is the backpressure from this tab to the agent). After a reconnect each open stream is
 * subscribed again strictly after the last line it delivered, so nothing is lost or shown twice.
 */

export type LogTarget = { hostId: string; containerId: string; hostName: string; containerName: string };
export type StreamState = "subscribing" | "live" | "reconnecting" | "ended" | "error";
export type StreamStatus = { key: string; target: LogTarget; state: StreamState; message: string | null; lines: number };
/** What to read; `after` is managed here. */
export type ViewerOptions = Omit<LogOptions, "after">;

type Ack = () => void;
type Sub = {
  key: string;
  target: LogTarget;
  sourceId: number;
  streamId: string | null;
  /** The last stored time of each stream (stdout and stderr are timestamped by separate engine readers). */
  cursors: StreamCursors;
  state: StreamState;
  message: string | null;
  lines: number;
  /** Bumped on each subscribe so a late ack of an older attempt is ignored. */
  attempt: number;
};

const SUBSCRIBE_TIMEOUT_MS = 20_000;
/** Batches that arrive before their subscribe ack (the server may send both at once) wait here. */
const MAX_EARLY = 64;

export const targetKey = (t: Pick<LogTarget, "hostId" | "containerId">) => `${t.hostId}/${t.containerId}`;

export class LogSubscriptions {
  private readonly subs = new Map<string, Sub>();
  private readonly byStream = new Map<string, Sub>();
  private early: { batch: LogBatch; ack: Ack }[] = [];
  private wasDisconnected = false;

  constructor(
    private readonly socket: Socket,
    private readonly store: LogStore,
    private readonly options: ViewerOptions,
    private readonly onStatus: (statuses: StreamStatus[]) => void,
  ) {
    socket.on("logs:batch", this.onBatch);
    socket.on("connect", this.onConnect);
    socket.on("disconnect", this.onDisconnect);
  }

  /** Opens streams for new targets and closes those no longer wanted. */
  setTargets(targets: LogTarget[]): void {
    const wanted = new Map(targets.map((t) => [targetKey(t), t]));
    for (const [key, sub] of this.subs) if (!wanted.has(key)) this.drop(sub);
    for (const [key, target] of wanted) {
      if (this.subs.has(key)) continue;
      const sub: Sub = {
        key, target, sourceId: this.store.sourceId({ key, ...target }), streamId: null, cursors: {}, state: "subscribing", message: null, lines: 0, attempt: 0,
      };
      this.subs.set(key, sub);
      if (this.socket.connected) this.subscribe(sub);
    }
    this.report();
  }

  /** Tries again the streams that failed to open (host offline, container not known yet…). */
  retryFailed(): void {
    if (!this.socket.connected) return;
    for (const sub of this.subs.values()) if (sub.state === "error") this.subscribe(sub);
    this.report();
  }

  statuses(): StreamStatus[] {
    return [...this.subs.values()].map(({ key, target, state, message, lines }) => ({ key, target, state, message, lines }));
  }

  dispose(): void {
    for (const sub of this.subs.values()) this.drop(sub);
    this.socket.off("logs:batch", this.onBatch);
    this.socket.off("connect", this.onConnect);
    this.socket.off("disconnect", this.onDisconnect);
    for (const { ack } of this.early) ack();
    this.early = [];
  }

  private subscribe(sub: Sub): void {
    const attempt = ++sub.attempt;
    const after = cursorOf(sub.cursors);
    sub.state = after ? "reconnecting" : "subscribing";
    const options: LogOptions = after ? { ...this.options, after } : { ...this.options };
    this.socket
      .timeout(SUBSCRIBE_TIMEOUT_MS)
      .emit("logs:subscribe", { hostId: sub.target.hostId, containerId: sub.target.containerId, options }, (err: Error | null, reply?: { ok: boolean; data?: { streamId: string }; error?: { message: string } }) => {
        if (sub.attempt !== attempt || this.subs.get(sub.key) !== sub) {
          // Superseded or dropped meanwhile: close what the server opened.
          if (reply?.ok && reply.data) this.socket.emit("logs:unsubscribe", { streamId: reply.data.streamId }, () => undefined);
          return;
        }
        if (err || !reply?.ok || !reply.data) {
          sub.state = "error";
          sub.message = err ? "the server did not answer" : (reply?.error?.message ?? "could not open the log stream");
        } else {
          sub.streamId = reply.data.streamId;
          this.byStream.set(sub.streamId, sub);
          sub.state = "live";
          sub.message = null;
          const waiting = this.early;
          this.early = [];
          for (const e of waiting) this.onBatch(e.batch, e.ack);
        }
        this.report();
      });
  }

  private drop(sub: Sub): void {
    this.subs.delete(sub.key);
    sub.attempt++;
    if (sub.streamId) {
      this.byStream.delete(sub.streamId);
      if (sub.state === "live" && this.socket.connected) this.socket.emit("logs:unsubscribe", { streamId: sub.streamId }, () => undefined);
    }
  }

  private onBatch = (raw: unknown, ack: Ack) => {
    const done = typeof ack === "function" ? ack : () => undefined;
    const parsed = ZLogBatch.safeParse(raw);
    if (!parsed.success) {
      // Not something we can show; ack so the stream is not stuck, and say so on every stream.
      for (const sub of this.subs.values()) sub.message = "a malformed log batch was ignored";
      this.report();
      return done();
    }
    const batch = parsed.data;
    const sub = this.byStream.get(batch.streamId);
    if (!sub) {
      const anyPending = [...this.subs.values()].some((s) => s.state === "subscribing" || s.state === "reconnecting");
      if (anyPending && this.early.length < MAX_EARLY) this.early.push({ batch, ack: done });
      else done();
      return;
    }
    if (batch.items.length) {
      this.store.insert(sub.sourceId, batch.items);
      for (const item of batch.items) if (!isLogMarker(item)) advanceCursors(sub.cursors, item);
      sub.lines += batch.items.length;
    }
    if (batch.end) {
      sub.state = "ended";
      sub.message = batch.end.reason;
      this.byStream.delete(batch.streamId);
      sub.streamId = null;
    }
    done(); // stored: the server may send the next batch
    this.report();
  };

  private onConnect = () => {
    if (!this.wasDisconnected) {
      for (const sub of this.subs.values()) if (sub.state === "subscribing" && sub.attempt === 0) this.subscribe(sub);
      return;
    }
    this.wasDisconnected = false;
    for (const sub of this.subs.values()) if (sub.state !== "ended") this.subscribe(sub);
    this.report();
  };

  private onDisconnect = () => {
    this.wasDisconnected = true;
    for (const sub of this.subs.values()) {
      if (sub.streamId) this.byStream.delete(sub.streamId);
      sub.streamId = null;
      if (sub.state !== "ended") sub.state = "reconnecting";
    }
    this.report();
  };

  private report(): void {
    this.onStatus(this.statuses());
  }
}
