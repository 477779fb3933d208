/**
 * How a host is shown. `online`: its agent's socket is open and was heard from recently (a message or a
 * heartbeat). `stale`: the socket is still open but nothing was heard for a while (the link may be cut;
 * the heartbeat timeout has not closed it yet). `reconnecting`: not connected, but it was online shortly
 * before this server started, so it is expected back (restart grace). `offline`: none of these.
 */
export type Presence = "online" | "stale" | "reconnecting" | "offline";

export const PRESENCES: readonly Presence[] = ["online", "stale", "reconnecting", "offline"];

export type PresencePolicy = {
  /** Nothing heard from an open socket for longer than this: stale. */
  staleAfterMs: number;
  /** Hosts seen shortly before this server started, and until when they count as reconnecting. */
  expected: ReadonlySet<string>;
  graceUntil: number;
};

export type PresenceInput = { hostId: string; online: boolean; lastHeardAt: number | null };

export function hostPresence(host: PresenceInput, policy: PresencePolicy, now: number): Presence {
  if (host.online) return host.lastHeardAt !== null && now - host.lastHeardAt > policy.staleAfterMs ? "stale" : "online";
  if (now < policy.graceUntil && policy.expected.has(host.hostId)) return "reconnecting";
  return "offline";
}

/** The stale threshold for a heartbeat timeout: half of it, so a cut shows before the socket is dropped. */
export function staleAfterMs(agentTimeoutSeconds: number): number {
  return agentTimeoutSeconds * 500;
}
