/** One stored engine event as the API and the live feed show it (strings already made safe for display). */
export type DockerEventItem = {
  id: number;
  hostId: string;
  hostName: string;
  /** ISO 8601, millisecond precision. */
  time: string;
  type: string;
  action: string;
  actorId: string;
  actorName: string | null;
  attributes: Record<string, string>;
};

type Row = { id: number; hostId: string; time: Date; type: string; action: string; actorId: string; actorName: string | null; attributes: string | null };

export function toEventItem(row: Row, hostName: string): DockerEventItem {
  return {
    id: row.id,
    hostId: row.hostId,
    hostName,
    time: row.time.toISOString(),
    type: row.type,
    action: row.action,
    actorId: row.actorId,
    actorName: row.actorName,
    attributes: parseAttributes(row.attributes),
  };
}

function parseAttributes(json: string | null): Record<string, string> {
  if (!json) return {};
  try {
    const value: unknown = JSON.parse(json);
    if (!value || typeof value !== "object" || Array.isArray(value)) return {};
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === "string"));
  } catch {
    return {};
  }
}
