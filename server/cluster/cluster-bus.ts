import crypto from "node:crypto";
import type { Redis } from "ioredis";
import { z } from "zod";
import { errorBody } from "../errors";
import type { Log } from "../log";

/** What a replica answers a request with: a value, or an error body like every other ack here. */
export type BusReply = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } };
type Handler = (body: unknown, from: string) => unknown;

const ZEnvelope = z.object({
  from: z.string().min(1).max(100),
  type: z.string().min(1).max(64),
  body: z.unknown(),
  /** Set on a request: the answer goes to the sender's own channel with this id. */
  requestId: z.string().max(64).optional(),
  /** Set on an answer: the request it answers. */
  replyTo: z.string().max(64).optional(),
  reply: z.union([z.object({ ok: z.literal(true), value: z.unknown() }), z.object({ ok: z.literal(false), error: z.object({ code: z.string().max(64), message: z.string().max(2000) }) })]).optional(),
});
type Envelope = z.infer<typeof ZEnvelope>;

/**
 * Messages between server replicas over Redis pub/sub: one channel every replica reads, one per
 * replica for messages meant for it alone, and requests answered on the asker's channel. Everything a
 * replica publishes goes through one connection, so its messages arrive everywhere in the order sent.
 * (socket.io's own serverSideEmit broadcasts every request to every replica with one fixed timeout and
 * JSON-only payloads; routing a command to the one replica holding the agent needs less and more.)
 */
export class ClusterBus {
  private readonly handlers = new Map<string, Handler>();
  private readonly pending = new Map<string, { to: string; resolve(reply: BusReply): void; timer: NodeJS.Timeout }>();
  private readonly allChannel: string;
  private readonly ownChannel: string;

  constructor(
    private readonly redis: { pub: Redis; sub: Redis },
    readonly replicaId: string,
    private readonly log: Log,
    private readonly prefix = "portolan",
  ) {
    this.allChannel = `${prefix}:all`;
    this.ownChannel = this.channelOf(replicaId);
  }

  /** Resolves once both channels are subscribed (messages published before that are not seen). */
  async start(): Promise<void> {
    this.redis.sub.on("message", (channel: string, raw: string) => {
      if (channel === this.allChannel || channel === this.ownChannel) this.receive(raw);
    });
    await this.redis.sub.subscribe(this.allChannel, this.ownChannel);
  }

  on(type: string, handler: Handler): void {
    this.handlers.set(type, handler);
  }

  broadcast(type: string, body: unknown): void {
    this.publish(this.allChannel, { from: this.replicaId, type, body });
  }

  send(to: string, type: string, body: unknown): void {
    this.publish(this.channelOf(to), { from: this.replicaId, type, body });
  }

  /** Asks one replica; a replica that does not answer in time yields UNAVAILABLE (never a throw). */
  request(to: string, type: string, body: unknown, timeoutMs: number): Promise<BusReply> {
    const requestId = crypto.randomBytes(9).toString("base64url");
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(requestId);
        resolve({ ok: false, error: { code: "UNAVAILABLE", message: `replica ${to} did not answer in time` } });
      }, timeoutMs);
      this.pending.set(requestId, { to, resolve, timer });
      this.publish(this.channelOf(to), { from: this.replicaId, type, body, requestId });
    });
  }

  /** A replica given up for dead answers nothing more: its open requests end now, not at their timeout. */
  replicaGone(replicaId: string): void {
    for (const [id, waiting] of this.pending) {
      if (waiting.to !== replicaId) continue;
      this.pending.delete(id);
      clearTimeout(waiting.timer);
      waiting.resolve({ ok: false, error: { code: "UNAVAILABLE", message: `replica ${replicaId} is gone` } });
    }
  }

  stop(): void {
    for (const { timer, resolve } of this.pending.values()) {
      clearTimeout(timer);
      resolve({ ok: false, error: { code: "UNAVAILABLE", message: "this replica is shutting down" } });
    }
    this.pending.clear();
  }

  private channelOf(replicaId: string): string {
    return `${this.prefix}:replica:${replicaId}`;
  }

  private publish(channel: string, envelope: Envelope): void {
    this.redis.pub.publish(channel, JSON.stringify(envelope)).catch((err: unknown) => this.log.warn({ err, type: envelope.type }, "cluster message not published"));
  }

  private receive(raw: string): void {
    let envelope: Envelope;
    try {
      const parsed = ZEnvelope.safeParse(JSON.parse(raw));
      if (!parsed.success) return void this.log.warn({ issue: parsed.error.issues[0]?.message }, "malformed cluster message dropped");
      envelope = parsed.data;
    } catch {
      return void this.log.warn("unparseable cluster message dropped");
    }
    if (envelope.from === this.replicaId) return; // our own broadcast
    if (envelope.replyTo) {
      const waiting = this.pending.get(envelope.replyTo);
      if (!waiting) return;
      this.pending.delete(envelope.replyTo);
      clearTimeout(waiting.timer);
      return waiting.resolve(envelope.reply ?? { ok: false, error: { code: "BAD_REPLY", message: "empty answer" } });
    }
    const handler = this.handlers.get(envelope.type);
    const answer = (reply: BusReply) => {
      if (envelope.requestId) this.publish(this.channelOf(envelope.from), { from: this.replicaId, type: envelope.type, body: null, replyTo: envelope.requestId, reply });
    };
    if (!handler) return answer({ ok: false, error: { code: "UNAVAILABLE", message: `${envelope.type} is not served by replica ${this.replicaId}` } });
    Promise.resolve()
      .then(() => handler(envelope.body, envelope.from))
      .then(
        (value) => answer({ ok: true, value: value ?? null }),
        (err: unknown) => {
          const body = errorBody(err);
          if (body.code === "INTERNAL") this.log.error({ err, type: envelope.type }, "cluster message handling failed");
          answer({ ok: false, error: body });
        },
      );
  }
}
