/**
 * On the replica holding an agent: which replica opened each command, log stream and terminal that
 * went to the agent through here, so what the agent sends back about it (progress, upload reads, log
 * batches, terminal output) goes to the replica that keeps its state and its browser.
 */
export class StreamAffinity {
  private readonly origins = new Map<string, { origin: string; hostId: string }>();

  /** Remembers the origin of an opening request; returns the key, or null for requests that open nothing. */
  noteOpened(hostId: string, event: string, payload: unknown, origin: string): string | null {
    const key = openedKey(event, payload);
    if (key) this.origins.set(key, { origin, hostId });
    return key;
  }

  /** A close travelling to the agent ends the affinity of what it closes. */
  noteClosed(event: string, payload: unknown): void {
    const key = closedKey(event, payload);
    if (key) this.origins.delete(key);
  }

  originOf(key: string): string | null {
    return this.origins.get(key)?.origin ?? null;
  }

  forget(key: string): void {
    this.origins.delete(key);
  }

  /** The agent left this replica: whatever it had open here is over or will be re-opened elsewhere. */
  dropHost(hostId: string): void {
    for (const [key, v] of this.origins) if (v.hostId === hostId) this.origins.delete(key);
  }

  dropOrigin(origin: string): void {
    for (const [key, v] of this.origins) if (v.origin === origin) this.origins.delete(key);
  }
}

const field = (value: unknown, ...path: string[]): string | null => {
  let v = value;
  for (const p of path) v = typeof v === "object" && v !== null ? (v as Record<string, unknown>)[p] : undefined;
  return typeof v === "string" && v.length <= 128 ? v : null;
};
const key = (kind: string, id: string | null) => (id ? `${kind}:${id}` : null);

function openedKey(event: string, payload: unknown): string | null {
  switch (event) {
    case "command:run":
      return key("command", field(payload, "envelope", "commandId"));
    case "logs:open":
      return key("logs", field(payload, "streamId"));
    case "terminal:open":
      return key("terminal", field(payload, "envelope", "sessionId"));
    default:
      return null;
  }
}

function closedKey(event: string, payload: unknown): string | null {
  if (event === "logs:close") return key("logs", field(payload, "streamId"));
  if (event === "terminal:close") return key("terminal", field(payload, "sessionId"));
  return null;
}

/** The affinity key an agent → server event belongs to (null: handled where it arrives). */
export function agentEventKey(event: string, message: unknown): string | null {
  switch (event) {
    case "logs:batch":
      return key("logs", field(message, "streamId"));
    case "terminal:output":
    case "terminal:exit":
      return key("terminal", field(message, "sessionId"));
    case "command:progress":
    case "upload:read":
      return key("command", field(message, "commandId"));
    default:
      return null;
  }
}

/** After this event nothing more comes for its key. */
export function agentEventEnds(event: string, message: unknown): boolean {
  if (event === "terminal:exit") return true;
  return event === "logs:batch" && typeof message === "object" && message !== null && Boolean((message as { end?: unknown }).end);
}
