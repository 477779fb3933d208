import type { Db } from "../db/client";
import type { Presence } from "../domain/hosts/presence";
import type { Log } from "../log";
import type { HostRegistry } from "./host-registry";

export type PresenceSweepOptions = {
  db: Db;
  registry: HostRegistry;
  log: Log;
  /** Restart grace: hosts seen this long before the start show "reconnecting" for this long after it. */
  graceMs: number;
  /** How often presence is re-judged (a stale or expired host is announced within this). */
  sweepMs?: number;
  /** How often connected hosts' lastSeenAt is written (bounds how old it is after a crash). */
  persistMs?: number;
};

const PERSIST_CHUNK = 500;

/**
 * Presence changes without any message (a link goes quiet, a restart grace runs out), so a timer
 * re-judges it and tells the registry's listeners (browsers refetch). It also writes lastSeenAt of
 * connected hosts in one batched statement now and then, so after a crash the next start knows
 * which hosts were online and gives them the restart grace.
 */
export class PresenceSweep {
  private timer: NodeJS.Timeout | null = null;
  private readonly shown = new Map<string, Presence>();
  private lastPersist = 0;
  private persisting = false;
  private stopped = false;
  private graceUntil = 0;
  private lastTick = 0;

  constructor(private readonly opts: PresenceSweepOptions) {}

  async start(now = Date.now()): Promise<void> {
    const { db, registry, graceMs } = this.opts;
    if (graceMs > 0) {
      // "Shortly before" is measured from the previous process's last sign of life (its newest lastSeenAt
      // write), not from this start: a slow start or a long outage must not shrink the set.
      const newest = await db.host.findFirst({ where: { revokedAt: null, lastSeenAt: { not: null } }, orderBy: { lastSeenAt: "desc" }, select: { lastSeenAt: true } });
      const lastAlive = Math.min(now, newest?.lastSeenAt?.getTime() ?? 0);
      const recent = newest ? await db.host.findMany({ where: { revokedAt: null, lastSeenAt: { gte: new Date(lastAlive - graceMs) } }, select: { id: true } }) : [];
      // A host that connected while this query ran is already back.
      this.graceUntil = now + graceMs;
      registry.expectReconnects(recent.map((h) => h.id).filter((id) => !registry.get(id)?.online), this.graceUntil);
      if (recent.length) this.opts.log.info({ hosts: recent.length, graceMs }, "restart grace: expecting hosts to reconnect");
    }
    if (this.stopped) return;
    this.timer = setInterval(() => this.tick(), this.opts.sweepMs ?? 1_000);
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One pass: announce every presence that changed since the last pass; persist lastSeenAt when due. */
  tick(now = Date.now()): void {
    const { registry } = this.opts;
    // After a stall of this process (GC, a CPU-starved machine) timers run before the packets that
    // waited meanwhile: judge on the next pass, or every agent would look stale for a moment.
    const sweepMs = this.opts.sweepMs ?? 1_000;
    const stalled = this.lastTick > 0 && now - this.lastTick > sweepMs * 2;
    this.lastTick = now;
    if (stalled) return;
    const candidates = registry.presenceCandidates();
    const current = new Set(candidates);
    for (const id of candidates) {
      const presence = registry.presence(id, now);
      const before = this.shown.get(id);
      this.shown.set(id, presence);
      if (before !== undefined && before !== presence) registry.emit("changed", id, "presence");
    }
    for (const id of this.shown.keys()) if (!current.has(id)) this.shown.delete(id);
    if (this.graceUntil && now >= this.graceUntil) {
      registry.expectReconnects([], 0); // those still away were announced offline above
      this.graceUntil = 0;
    }
    if (now - this.lastPersist >= (this.opts.persistMs ?? Math.max(5_000, Math.min(15_000, this.opts.graceMs / 4)))) {
      this.lastPersist = now;
      void this.persist(now);
    }
  }

  private async persist(now: number): Promise<void> {
    if (this.persisting) return;
    this.persisting = true;
    try {
      const live = this.opts.registry.all().filter((h) => this.opts.registry.presence(h.hostId, now) === "online").map((h) => h.hostId);
      for (let i = 0; i < live.length && !this.stopped; i += PERSIST_CHUNK) {
        await this.opts.db.host.updateMany({ where: { id: { in: live.slice(i, i + PERSIST_CHUNK) } }, data: { lastSeenAt: new Date(now) } });
      }
    } catch (err) {
      this.opts.log.warn({ err }, "could not record lastSeenAt of connected hosts");
    } finally {
      this.persisting = false;
    }
  }
}
