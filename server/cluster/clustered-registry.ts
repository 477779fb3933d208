import { z } from "zod";
import { ZContainerChange, ZHostSnapshot, type ContainerChange, type HostSnapshot } from "../../agents/protocol";
import { HostRegistry } from "../realtime/host-registry";

/** Which replica holds a host's agent connection, and since when (the newest connection wins). */
type Claim = { replica: string; since: number };

/** What the replica holding a host tells the others about it. */
export const ZRegistryMessage = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("presence"), hostId: z.string().max(128), online: z.boolean(), since: z.number(), lastSeenAt: z.number().nullable() }),
  z.object({ kind: z.literal("snapshot"), hostId: z.string().max(128), snapshot: ZHostSnapshot }),
  z.object({ kind: z.literal("change"), hostId: z.string().max(128), change: ZContainerChange }),
  z.object({ kind: z.literal("seen"), hosts: z.array(z.tuple([z.string().max(128), z.number()])).max(100_000) }),
  z.object({ kind: z.literal("forget"), hostId: z.string().max(128) }),
]);
export type RegistryMessage = z.infer<typeof ZRegistryMessage>;

export type RegistryReplication = {
  replicaId: string;
  /** To every other replica, in order. */
  publish(message: RegistryMessage): void;
  /** A host's agent connected to another replica (true), or the replica holding it let go (false). */
  hostMoved(hostId: string, online: boolean): void;
};

const SEEN_FLUSH_MS = 1_000;

/**
 * The host registry of one replica among several. Changes made here by the agent gateway (for agents
 * connected to this replica) are applied as usual and published; changes published by the replica
 * holding a host are applied through `applyRemote`. Only the holder's word counts for a host, and a
 * newer connection elsewhere overrides an older one here.
 */
export class ClusteredRegistry extends HostRegistry {
  private replication: RegistryReplication | null = null;
  private readonly claims = new Map<string, Claim>();
  private readonly seenHere = new Map<string, number>();
  private seenTimer: NodeJS.Timeout | null = null;

  /** Starts publishing (until then this registry behaves like a single replica's). */
  replicate(replication: RegistryReplication): void {
    this.replication = replication;
  }

  /** The replica holding the host's agent, when it is online anywhere. */
  holder(hostId: string): string | null {
    return this.claims.get(hostId)?.replica ?? null;
  }

  holdsLocally(hostId: string): boolean {
    return this.replication !== null && this.holder(hostId) === this.replication.replicaId;
  }

  override connected(hostId: string, now = Date.now()): void {
    super.connected(hostId, now);
    if (!this.replication) return;
    this.claims.set(hostId, { replica: this.replication.replicaId, since: now });
    this.replication.publish({ kind: "presence", hostId, online: true, since: now, lastSeenAt: now });
  }

  override disconnected(hostId: string, now = Date.now()): void {
    const claim = this.claims.get(hostId);
    if (this.replication && claim && claim.replica !== this.replication.replicaId) return; // it reconnected elsewhere meanwhile
    super.disconnected(hostId, now);
    if (!this.replication) return;
    this.claims.delete(hostId);
    this.replication.publish({ kind: "presence", hostId, online: false, since: claim?.since ?? now, lastSeenAt: this.get(hostId)?.lastSeenAt ?? now });
  }

  override seen(hostId: string, now = Date.now()): void {
    super.seen(hostId, now);
    if (!this.holdsLocally(hostId)) return;
    this.seenHere.set(hostId, now);
    this.seenTimer ??= setTimeout(() => this.flushSeen(), SEEN_FLUSH_MS);
  }

  override applySnapshot(hostId: string, snapshot: HostSnapshot): boolean {
    const applied = super.applySnapshot(hostId, snapshot);
    if (applied && this.holdsLocally(hostId)) this.replication!.publish({ kind: "snapshot", hostId, snapshot });
    return applied;
  }

  override applyChange(hostId: string, change: ContainerChange): boolean {
    const applied = super.applyChange(hostId, change);
    if (applied && this.holdsLocally(hostId)) this.replication!.publish({ kind: "change", hostId, change });
    return applied;
  }

  /** A revocation made on this replica reaches the replica holding the agent, which closes its link. */
  override forget(hostId: string): void {
    this.claims.delete(hostId);
    super.forget(hostId);
    this.replication?.publish({ kind: "forget", hostId });
  }

  /** A message from another replica (already schema-checked by the caller). */
  applyRemote(from: string, message: RegistryMessage): void {
    if (message.kind === "seen") {
      for (const [hostId, at] of message.hosts) if (this.holder(hostId) === from) super.seen(hostId, at);
      return;
    }
    const { hostId } = message;
    const claim = this.claims.get(hostId);
    switch (message.kind) {
      case "presence":
        if (message.online) {
          if (claim && claim.since > message.since) return; // an older connection's news
          // A connection we did not know of yet (new, moved here from another replica, or a reconnect).
          const fresh = !claim || claim.replica !== from || claim.since < message.since;
          this.claims.set(hostId, { replica: from, since: message.since });
          if (fresh || !this.get(hostId)?.online) super.connected(hostId, message.since);
          if (message.lastSeenAt) super.seen(hostId, message.lastSeenAt);
          if (fresh) this.replication?.hostMoved(hostId, true);
        } else if (claim?.replica === from && claim.since <= message.since) {
          this.claims.delete(hostId);
          if (message.lastSeenAt) super.seen(hostId, message.lastSeenAt);
          super.disconnected(hostId, message.lastSeenAt ?? Date.now());
          this.replication?.hostMoved(hostId, false);
        }
        return;
      case "snapshot":
        if (claim?.replica === from) super.applySnapshot(hostId, message.snapshot);
        return;
      case "change":
        if (claim?.replica === from) super.applyChange(hostId, message.change);
        return;
      case "forget":
        this.claims.delete(hostId);
        super.forget(hostId);
        return;
    }
  }

  /** A replica fell silent: the hosts it held are offline here (their agents will reconnect somewhere). */
  dropReplica(replicaId: string): string[] {
    const dropped: string[] = [];
    for (const [hostId, claim] of this.claims) {
      if (claim.replica !== replicaId) continue;
      this.claims.delete(hostId);
      super.disconnected(hostId);
      dropped.push(hostId);
    }
    return dropped;
  }

  /** Everything another replica needs to know about the hosts held here (it just joined). */
  stateOfLocalHosts(): RegistryMessage[] {
    const messages: RegistryMessage[] = [];
    for (const [hostId, claim] of this.claims) {
      if (claim.replica !== this.replication?.replicaId) continue;
      const host = this.get(hostId);
      if (!host) continue;
      messages.push({ kind: "presence", hostId, online: true, since: claim.since, lastSeenAt: host.lastSeenAt });
      if (host.facts && host.runtime) {
        messages.push({ kind: "snapshot", hostId, snapshot: { generation: host.generation, facts: host.facts, runtime: host.runtime, containers: [...host.containers.values()] } });
      }
    }
    return messages;
  }

  stopReplicating(): void {
    if (this.seenTimer) clearTimeout(this.seenTimer);
    this.seenTimer = null;
    this.replication = null;
  }

  private flushSeen(): void {
    this.seenTimer = null;
    if (!this.replication || !this.seenHere.size) return;
    this.replication.publish({ kind: "seen", hosts: [...this.seenHere] });
    this.seenHere.clear();
  }
}
