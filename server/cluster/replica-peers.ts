import { EventEmitter } from "node:events";
import type { ClusterBus } from "./cluster-bus";

export const HEARTBEAT_MS = 2_000;
/** Three heartbeats missed: the replica is taken for dead and its hosts stop showing online here. */
export const PEER_EXPIRY_MS = 3 * HEARTBEAT_MS + 1_000;

/**
 * Which other replicas are alive, from a heartbeat each broadcasts. "joined" fires the first time a
 * replica is heard (or heard again after it was given up), "gone" when it falls silent.
 */
export class ReplicaPeers extends EventEmitter<{ joined: [replicaId: string]; gone: [replicaId: string] }> {
  private readonly lastHeard = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly bus: ClusterBus,
    private readonly timing: { heartbeatMs: number; expiryMs: number } = { heartbeatMs: HEARTBEAT_MS, expiryMs: PEER_EXPIRY_MS },
  ) {
    super();
  }

  start(): void {
    this.bus.on("replica:alive", (_body, from) => this.heard(from));
    this.bus.on("replica:leaving", (_body, from) => this.lost(from));
    this.bus.broadcast("replica:alive", null);
    this.timer = setInterval(() => {
      this.bus.broadcast("replica:alive", null);
      const now = Date.now();
      for (const [id, at] of this.lastHeard) if (now - at > this.timing.expiryMs) this.lost(id);
    }, this.timing.heartbeatMs);
    this.timer.unref();
  }

  /** A clean shutdown tells the others at once instead of letting them wait out the expiry. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.bus.broadcast("replica:leaving", null);
  }

  isAlive(replicaId: string): boolean {
    return this.lastHeard.has(replicaId);
  }

  alive(): string[] {
    return [...this.lastHeard.keys()];
  }

  /** Any message from a replica proves it alive (a busy one may publish a heartbeat late). */
  heard(replicaId: string): void {
    const known = this.lastHeard.has(replicaId);
    this.lastHeard.set(replicaId, Date.now());
    if (!known) {
      this.bus.send(replicaId, "replica:alive", null); // it learns of us now, not at our next beat
      this.emit("joined", replicaId);
    }
  }

  private lost(replicaId: string): void {
    if (!this.lastHeard.delete(replicaId)) return;
    this.emit("gone", replicaId);
  }
}
