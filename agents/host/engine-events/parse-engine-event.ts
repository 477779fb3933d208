import { ENGINE_EVENT_LIMITS, type EngineEvent } from "../../protocol/engine-events";

type RawEvent = {
  Type?: unknown;
  Action?: unknown;
  status?: unknown;
  id?: unknown;
  Actor?: { ID?: unknown; Attributes?: unknown };
  time?: unknown;
};

// JSON.parse rounds timeNano (~1.7e18 > 2^53): read the digits from the line itself.
const TIME_NANO = /"timeNano"\s*:\s*(\d{1,20})/;

/** One line of the engine's /events stream as an EngineEvent, trimmed to the protocol's bounds; null if it is not one. */
export function parseEngineEvent(line: string): EngineEvent | null {
  let raw: RawEvent;
  try {
    raw = JSON.parse(line) as RawEvent;
  } catch {
    return null; // a torn line from a dying engine
  }
  if (!raw || typeof raw !== "object") return null;
  const action = str(raw.Action) ?? str(raw.status); // API < 1.22 engines only send "status"
  if (!action) return null;
  const timeNano = TIME_NANO.exec(line)?.[1] ?? (typeof raw.time === "number" && raw.time > 0 ? `${Math.floor(raw.time)}000000000` : null);
  if (!timeNano) return null;
  return {
    timeNano,
    type: (str(raw.Type) ?? "container").slice(0, 32),
    action: action.slice(0, ENGINE_EVENT_LIMITS.actionChars),
    actorId: (str(raw.Actor?.ID) ?? str(raw.id) ?? "").slice(0, ENGINE_EVENT_LIMITS.idChars),
    attributes: boundedAttributes(raw.Actor?.Attributes),
  };
}

/** The identity of an event for de-duplication across stream reconnects. */
export function eventKey(e: EngineEvent): string {
  return `${e.timeNano}\u0000${e.type}\u0000${e.action}\u0000${e.actorId}`;
}

/** A `since` for the engine's /events ("seconds.nanoseconds") from a timeNano string. */
export function sinceParam(timeNano: string): string {
  const padded = timeNano.padStart(10, "0");
  return `${padded.slice(0, -9) || "0"}.${padded.slice(-9)}`;
}

function boundedAttributes(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!value || typeof value !== "object") return out;
  let n = 0;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (n >= ENGINE_EVENT_LIMITS.attributes) break;
    if (typeof v !== "string" || k.length > ENGINE_EVENT_LIMITS.keyChars) continue;
    out[k] = v.length > ENGINE_EVENT_LIMITS.valueChars ? `${v.slice(0, ENGINE_EVENT_LIMITS.valueChars - 1)}…` : v;
    n++;
  }
  return out;
}

function str(v: unknown): string | null {
  return typeof v === "string" && v.length > 0 ? v : null;
}
