import type { Db } from "../../db/client";
import type { HostRegistry } from "../../realtime/host-registry";

/** The stored part of a host that its view needs (live state comes from the registry). */
export type HostRow = { id: string; name: string; enrolledAt: Date; lastSeenAt: Date | null; lastAddress: string | null; facts: string | null };

const SELECT = { id: true, name: true, enrolledAt: true, lastSeenAt: true, lastAddress: true, facts: true } as const;

/**
 * Rows of unrevoked hosts, kept between reads for the browser gateway's change flushes.
 *
 * Why: at 2,000 hosts the flushes (several a second, mostly "a container changed") each waited on
 * a database query for rows that had not changed, and that wait was most of a live update's
 * delay whenever the event loop was busy. A row only changes when the host (re)connects (address,
 * facts), sends a snapshot, or is revoked, and each of those reaches the registry as a change
 * other than "containers" (on every replica: the clustered registry replays them), so such a change
 * drops the host's row and the next read fetches it again.
 */
export class HostRowCache {
  private readonly rows = new Map<string, HostRow>();
  /** Bumped by every drop: a read that started before a drop must not store what it read. */
  private drops = 0;

  constructor(private readonly deps: { db: Db; registry: HostRegistry }) {
    deps.registry.on("changed", this.onChanged);
  }

  private readonly onChanged = (hostId: string, what: string): void => {
    if (what === "containers") return;
    this.rows.delete(hostId);
    this.drops++;
  };

  /** The rows of these hosts that exist and are not revoked; one query for those not kept. */
  async read(hostIds: readonly string[]): Promise<HostRow[]> {
    const out: HostRow[] = [];
    const missing: string[] = [];
    for (const id of hostIds) {
      const row = this.rows.get(id);
      if (row) out.push(row);
      else missing.push(id);
    }
    if (!missing.length) return out;
    const dropsBefore = this.drops;
    const fetched = await this.deps.db.host.findMany({ where: { id: { in: missing }, revokedAt: null }, select: SELECT });
    for (const row of fetched) {
      out.push(row);
      if (this.drops === dropsBefore) this.rows.set(row.id, row);
    }
    return out;
  }

  stop(): void {
    this.deps.registry.off("changed", this.onChanged);
  }
}
