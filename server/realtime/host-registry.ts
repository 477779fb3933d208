import { EventEmitter } from "node:events";
import type { Container, ContainerChange, HostFacts, HostSnapshot, RuntimeStatus } from "../../agents/protocol";
import { hostPresence, staleAfterMs, type Presence, type PresencePolicy } from "../domain/hosts/presence";

/** What the server knows live about one host; the database keeps only the durable part. */
export type LiveHost = {
  hostId: string;
  online: boolean;
  connectedAt: number | null;
  /** The last time anything (a message or a heartbeat) was heard from the host. */
  lastSeenAt: number | null;
  generation: number;
  facts: HostFacts | null;
  runtime: RuntimeStatus | null;
  containers: Map<string, Container>;
};

export type RegistryEvents = {
  /** Something about a host changed (online state, facts, containers); browsers refresh it. */
  changed: [hostId: string, what: "presence" | "snapshot" | "containers" | "alerts"];
  /** The host was revoked: its live connection must close. */
  revoked: [hostId: string];
};

/**
 * The live state of every connected host. Snapshots replace a host's view; changes from an older
 * generation than the last snapshot are ignored, so a late event never resurrects stale state.
 */
export class HostRegistry extends EventEmitter<RegistryEvents> {
  private readonly hosts = new Map<string, LiveHost>();
  private readonly policy: PresencePolicy & { expected: Set<string> };

  constructor(opts: { staleAfterMs?: number } = {}) {
    super();
    this.policy = { staleAfterMs: opts.staleAfterMs ?? staleAfterMs(20), expected: new Set(), graceUntil: 0 };
  }

  /** online / stale / reconnecting / offline, from the live state and the restart grace. */
  presence(hostId: string, now = Date.now()): Presence {
    const live = this.hosts.get(hostId);
    return hostPresence({ hostId, online: live?.online ?? false, lastHeardAt: live?.lastSeenAt ?? null }, this.policy, now);
  }

  /** After a (re)start: these hosts were online just before, so they show reconnecting until `until`. */
  expectReconnects(hostIds: Iterable<string>, until: number): void {
    this.policy.expected = new Set(hostIds);
    this.policy.graceUntil = until;
  }

  /** Hosts whose presence is worth re-checking over time: connected ones and those expected back. */
  presenceCandidates(): string[] {
    return [...new Set([...this.hosts.keys(), ...this.policy.expected])];
  }

  get(hostId: string): LiveHost | undefined {
    return this.hosts.get(hostId);
  }

  all(): LiveHost[] {
    return [...this.hosts.values()];
  }

  connected(hostId: string, now = Date.now()): void {
    const host = this.ensure(hostId);
    this.policy.expected.delete(hostId); // back: the restart grace no longer applies to it
    host.online = true;
    host.connectedAt = now;
    host.lastSeenAt = now;
    this.emit("changed", hostId, "presence");
  }

  disconnected(hostId: string, now = Date.now()): void {
    const host = this.hosts.get(hostId);
    if (!host) return;
    host.online = false;
    host.connectedAt = null;
    host.lastSeenAt ??= now; // the last time it was heard, not when the heartbeat timeout noticed (a cut shows when it began)
    this.emit("changed", hostId, "presence");
  }

  seen(hostId: string, now = Date.now()): void {
    const host = this.hosts.get(hostId);
    if (host) host.lastSeenAt = now;
  }

  applySnapshot(hostId: string, snapshot: HostSnapshot): boolean {
    const host = this.ensure(hostId);
    if (snapshot.generation < host.generation) return false;
    host.generation = snapshot.generation;
    host.facts = snapshot.facts;
    host.runtime = snapshot.runtime;
    host.containers = new Map(snapshot.containers.map((c) => [c.id, c]));
    this.emit("changed", hostId, "snapshot");
    return true;
  }

  applyChange(hostId: string, change: ContainerChange): boolean {
    const host = this.hosts.get(hostId);
    if (!host || change.generation !== host.generation) return false;
    if (change.kind === "upsert") host.containers.set(change.container.id, change.container);
    else host.containers.delete(change.id);
    this.emit("changed", hostId, "containers");
    return true;
  }

  forget(hostId: string): void {
    this.hosts.delete(hostId);
    this.emit("revoked", hostId);
    this.emit("changed", hostId, "presence");
  }

  private ensure(hostId: string): LiveHost {
    let host = this.hosts.get(hostId);
    if (!host) {
      host = { hostId, online: false, connectedAt: null, lastSeenAt: null, generation: 0, facts: null, runtime: null, containers: new Map() };
      this.hosts.set(hostId, host);
    }
    return host;
  }
}
