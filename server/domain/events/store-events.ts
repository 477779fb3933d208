import type { EngineEvent, EngineEventBatch } from "../../../agents/protocol";
import type { Db } from "../../db/client";
import type { Log } from "../../log";
import { plainText } from "../../text/plain-text";
import type { DockerEventFeed } from "./event-feed";
import { toEventItem, type DockerEventItem } from "./event-item";
import { EventRetention, type RetentionOptions } from "./event-retention";

type NewRow = { hostId: string; time: Date; type: string; action: string; actorId: string; actorName: string | null; attributes: string };

export type EventIngestDeps = { db: Db; feed: DockerEventFeed; log: Log; retention?: RetentionOptions };

/** Stores the engine events an agent reports, prunes old ones, and publishes the new ones to live views. */
export class EventIngest {
  private readonly retention: EventRetention;

  constructor(private readonly deps: EventIngestDeps) {
    this.retention = new EventRetention(deps.db, deps.retention);
  }

  async store(hostId: string, batch: EngineEventBatch): Promise<DockerEventItem[]> {
    const { db, log } = this.deps;
    if (batch.dropped > 0) log.warn({ hostId, dropped: batch.dropped }, "agent dropped engine events (queue full)");
    const rows = await withoutStored(db, batch.events.map((e) => toRow(hostId, e)));
    if (rows.length === 0) return [];
    const host = await db.host.findUnique({ where: { id: hostId }, select: { name: true } });
    const created = await db.dockerEvent.createManyAndReturn({ data: rows });
    const items = created.sort((a, b) => a.id - b.id).map((r) => toEventItem(r, host?.name ?? hostId));
    this.deps.feed.publish(items);
    const pruned = await this.retention.noteInserted(hostId, rows.length).catch((err: unknown) => {
      log.error({ err, hostId }, "pruning engine events failed");
      return 0;
    });
    if (pruned > 0) log.debug({ hostId, pruned }, "pruned old engine events");
    return items;
  }
}

/** Engine text made safe to display anywhere; the engine's nanoseconds kept to the millisecond. */
export function toRow(hostId: string, e: EngineEvent): NewRow {
  const attributes: Record<string, string> = {};
  for (const [k, v] of Object.entries(e.attributes)) attributes[plainText(k)] = plainText(v);
  const name = e.attributes.name ?? e.attributes.container ?? null;
  return {
    hostId,
    time: new Date(Number(BigInt(e.timeNano) / 1_000_000n)),
    type: plainText(e.type),
    action: plainText(e.action),
    actorId: plainText(e.actorId),
    actorName: name ? plainText(name) : null,
    attributes: JSON.stringify(attributes),
  };
}

const rowKey = (r: { time: Date; type: string; action: string; actorId: string; attributes: string | null }) =>
  `${r.time.getTime()}\u0000${r.type}\u0000${r.action}\u0000${r.actorId}\u0000${r.attributes ?? ""}`;

/**
 * Drops rows already stored: a batch whose acknowledgement was lost is sent again after a reconnect.
 * One indexed range query over the batch's time span.
 */
async function withoutStored(db: Db, rows: NewRow[]): Promise<NewRow[]> {
  if (rows.length === 0) return rows;
  const times = rows.map((r) => r.time.getTime());
  const existing = await db.dockerEvent.findMany({
    where: { hostId: rows[0]!.hostId, time: { gte: new Date(Math.min(...times)), lte: new Date(Math.max(...times)) } },
    select: { time: true, type: true, action: true, actorId: true, attributes: true },
  });
  if (existing.length === 0) return rows;
  const stored = new Set(existing.map(rowKey));
  return rows.filter((r) => !stored.has(rowKey(r)));
}
