import type { Db } from "../../db/client";

export type RetentionOptions = {
  /** Newest events kept per host. */
  keepPerHost?: number;
  /** Prune a host after this many inserts (and on its first insert after a start). */
  checkEvery?: number;
};

/**
 * Keeps the newest `keepPerHost` engine events of each host. Pruning is one indexed lookup and one
 * delete, run every `checkEvery` inserts per host rather than per insert.
 */
export class EventRetention {
  private readonly inserted = new Map<string, number>();
  readonly keepPerHost: number;
  private readonly checkEvery: number;

  constructor(private readonly db: Db, opts: RetentionOptions = {}) {
    this.keepPerHost = opts.keepPerHost ?? 20_000;
    this.checkEvery = opts.checkEvery ?? 1_000;
  }

  /** Counts new rows of a host; prunes it when due. Resolves to the number of rows deleted. */
  async noteInserted(hostId: string, count: number): Promise<number> {
    const total = (this.inserted.get(hostId) ?? this.checkEvery) + count;
    if (total < this.checkEvery) {
      this.inserted.set(hostId, total);
      return 0;
    }
    this.inserted.set(hostId, 0);
    return pruneHostEvents(this.db, hostId, this.keepPerHost);
  }
}

/** Deletes every event of the host older than its `keep` newest (by time, then id). */
export async function pruneHostEvents(db: Db, hostId: string, keep: number): Promise<number> {
  const oldestKept = await db.dockerEvent.findFirst({
    where: { hostId },
    orderBy: [{ time: "desc" }, { id: "desc" }],
    skip: keep - 1,
    select: { id: true, time: true },
  });
  if (!oldestKept) return 0;
  const { count } = await db.dockerEvent.deleteMany({
    where: { hostId, OR: [{ time: { lt: oldestKept.time } }, { time: oldestKept.time, id: { lt: oldestKept.id } }] },
  });
  return count;
}
