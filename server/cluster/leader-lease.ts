import { EventEmitter } from "node:events";
import type { Redis } from "ioredis";
import type { Log } from "../log";

// Renew only our own lease, and give up only our own: compare-and-act in one step on the Redis side.
const RENEW = `if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("PEXPIRE", KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) else return 0 end`;

/**
 * One replica at a time holds the lease (a Redis key with an expiry, renewed while it lives) and runs
 * the duties that must happen once for the whole fleet: alert evaluation, webhooks, log retention.
 * A replica that dies loses the lease when it expires and another takes it over.
 */
export class LeaderLease extends EventEmitter<{ change: [leading: boolean] }> {
  private leading = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly redis: Redis,
    private readonly replicaId: string,
    private readonly log: Log,
    private readonly opts: { key: string; ttlMs: number; renewMs: number } = { key: "portolan:leader", ttlMs: 7_000, renewMs: 2_000 },
  ) {
    super();
  }

  get isLeader(): boolean {
    return this.leading;
  }

  start(): void {
    void this.tick();
    this.timer = setInterval(() => void this.tick(), this.opts.renewMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.leading) await this.redis.eval(RELEASE, 1, this.opts.key, this.replicaId).catch(() => undefined);
    this.set(false);
  }

  private async tick(): Promise<void> {
    try {
      const { key, ttlMs } = this.opts;
      // Renewing first also takes back a lease still ours after a missed renewal.
      const held =
        Number(await this.redis.eval(RENEW, 1, key, this.replicaId, String(ttlMs))) === 1 ||
        (await this.redis.set(key, this.replicaId, "PX", ttlMs, "NX")) === "OK";
      if (this.timer) this.set(held);
    } catch (err) {
      // Cannot reach Redis: stop leading before the lease can expire and someone else starts.
      this.log.warn({ err: (err as Error).message }, "leader lease not renewed");
      this.set(false);
    }
  }

  private set(leading: boolean): void {
    if (leading === this.leading) return;
    this.leading = leading;
    this.log.info({ leading }, leading ? "this replica now runs alerts and log retention" : "this replica no longer runs alerts and log retention");
    this.emit("change", leading);
  }
}
