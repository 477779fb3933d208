import { can, type Access } from "../../auth/access";
import type { Db } from "../../db/client";
import { AppError } from "../../errors";
import { hostIdFilters, mergeNewestFirst } from "../access/host-id-filter";
import { toAlertView, type AlertView } from "./webhook-payload";

export type AlertFilter = { state?: "firing" | "resolved"; hostId?: string };
export type AlertListItem = AlertView & { hostName: string };
export type AlertList = { items: AlertListItem[]; nextCursor: string | null; counts: { firing: number; unacknowledged: number } };

/** Alerts of the hosts the caller may read, newest first (keyset cursor "firedAtMs.id"), with firing counts. */
export async function listAlerts(db: Db, access: Access, filter: AlertFilter, page: { cursor?: string; limit: number }): Promise<AlertList> {
  const hosts = await db.host.findMany({ select: { id: true, name: true } });
  const readable = new Map(hosts.filter((h) => can(access, "host:read", h.id)).map((h) => [h.id, h.name]));
  const hostIds = filter.hostId ? (readable.has(filter.hostId) ? [filter.hostId] : []) : [...readable.keys()];
  if (hostIds.length === 0) return { items: [], nextCursor: null, counts: { firing: 0, unacknowledged: 0 } };
  const after = page.cursor ? parseCursor(page.cursor) : null;
  const scopes = hostIdFilters(hostIds, hosts.map((h) => h.id));
  const [lists, firing, unacknowledged] = await Promise.all([
    Promise.all(
      scopes.map((scope) =>
        db.alert.findMany({
          where: {
            ...scope,
            ...(filter.state ? { state: filter.state } : {}),
            ...(after ? { OR: [{ firedAt: { lt: after.firedAt } }, { firedAt: after.firedAt, id: { lt: after.id } }] } : {}),
          },
          orderBy: [{ firedAt: "desc" }, { id: "desc" }],
          take: page.limit + 1,
        }),
      ),
    ),
    sum(scopes.map((scope) => db.alert.count({ where: { ...scope, state: "firing" } }))),
    sum(scopes.map((scope) => db.alert.count({ where: { ...scope, state: "firing", acknowledgedAt: null } }))),
  ]);
  const rows = mergeNewestFirst(lists, (a) => a.firedAt, page.limit + 1);
  const items = rows.slice(0, page.limit).filter((r) => can(access, "host:read", r.hostId)).map((r) => ({ ...toAlertView(r), hostName: readable.get(r.hostId) ?? r.hostId }));
  const last = rows.length > page.limit ? rows[page.limit - 1] : undefined;
  return { items, nextCursor: last ? `${last.firedAt.getTime()}.${last.id}` : null, counts: { firing, unacknowledged } };
}

/** Records who acknowledged; acknowledging again keeps the first acknowledgement. */
export async function acknowledgeAlert(db: Pick<Db, "alert">, hostId: string, alertId: string, by: string): Promise<AlertView> {
  const row = await db.alert.findFirst({ where: { id: alertId, hostId } });
  if (!row) throw new AppError("NOT_FOUND", "no such alert on this host");
  if (row.acknowledgedAt) return toAlertView(row);
  return toAlertView(await db.alert.update({ where: { id: alertId }, data: { acknowledgedAt: new Date(), acknowledgedBy: by } }));
}

async function sum(counts: Promise<number>[]): Promise<number> {
  return (await Promise.all(counts)).reduce((a, b) => a + b, 0);
}

function parseCursor(cursor: string): { firedAt: Date; id: string } {
  const m = /^(\d{1,15})\.([a-z0-9]{1,40})$/.exec(cursor);
  if (!m) throw new AppError("BAD_REQUEST", "malformed cursor");
  return { firedAt: new Date(Number(m[1])), id: m[2]! };
}
