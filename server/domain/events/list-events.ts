import { can, type Access } from "../../auth/access";
import type { Db } from "../../db/client";
import { ignoringCase } from "../../db/dialect";
import { AppError } from "../../errors";
import { hostIdFilters, mergeNewestFirst } from "../access/host-id-filter";
import { toEventItem, type DockerEventItem } from "./event-item";

export type EventFilter = { hostId?: string; type?: string; action?: string; since?: Date; until?: Date };
export type EventPage = { cursor?: string; limit: number };

/** Newest first by (time, id); the cursor names the last item of the previous page. */
export async function listEvents(db: Db, access: Access, filter: EventFilter, page: EventPage): Promise<{ items: DockerEventItem[]; nextCursor: string | null }> {
  const hosts = await db.host.findMany({ select: { id: true, name: true } });
  const readable = new Map(hosts.filter((h) => can(access, "host:read", h.id)).map((h) => [h.id, h.name]));
  const hostIds = filter.hostId ? (readable.has(filter.hostId) ? [filter.hostId] : []) : [...readable.keys()];
  if (hostIds.length === 0) return { items: [], nextCursor: null };
  const after = page.cursor ? parseCursor(page.cursor) : null;
  const scopes = hostIdFilters(hostIds, hosts.map((h) => h.id));
  const lists = await Promise.all(
    scopes.map((scope) =>
      db.dockerEvent.findMany({
        where: {
          ...scope,
          ...(filter.type ? { type: filter.type } : {}),
          ...(filter.action ? { action: ignoringCase(db, { contains: filter.action }) } : {}),
          ...(filter.since || filter.until ? { time: { ...(filter.since ? { gte: filter.since } : {}), ...(filter.until ? { lte: filter.until } : {}) } } : {}),
          ...(after ? { OR: [{ time: { lt: after.time } }, { time: after.time, id: { lt: after.id } }] } : {}),
        },
        orderBy: [{ time: "desc" }, { id: "desc" }],
        take: page.limit + 1,
      }),
    ),
  );
  const rows = mergeNewestFirst(lists, (e) => e.time, page.limit + 1);
  // The query is already narrowed to readable hosts; checking each row again keeps a mistake there from leaking.
  const items = rows
    .slice(0, page.limit)
    .filter((r) => can(access, "host:read", r.hostId))
    .map((r) => toEventItem(r, readable.get(r.hostId) ?? r.hostId));
  const last = rows.length > page.limit ? rows[page.limit - 1] : undefined;
  return { items, nextCursor: last ? `${last.time.getTime()}.${last.id}` : null };
}

function parseCursor(cursor: string): { time: Date; id: number } {
  const m = /^(\d{1,15})\.(\d{1,15})$/.exec(cursor);
  if (!m) throw new AppError("BAD_REQUEST", "malformed cursor");
  return { time: new Date(Number(m[1])), id: Number(m[2]) };
}
