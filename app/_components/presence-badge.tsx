import type { HostSummary } from "./trpc";
import { Badge } from "./ui";

type Presence = HostSummary["presence"];

const LOOK: Record<Presence, { tone: "green" | "amber" | "blue" | "gray"; title: string }> = {
  online: { tone: "green", title: "The agent is connected and answering" },
  stale: { tone: "amber", title: "Connected, but nothing heard from the agent lately: the link may be cut" },
  reconnecting: { tone: "blue", title: "The server restarted; this host was online just before and is expected back" },
  offline: { tone: "gray", title: "The agent is not connected" },
};

/** A host's presence: online, stale (quiet link), reconnecting (restart grace) or offline. */
export function PresenceBadge({ presence }: { presence: Presence }) {
  const look = LOOK[presence];
  return (
    <Badge tone={look.tone} title={look.title}>
      {presence}
    </Badge>
  );
}

/** A sentence for a host page when it is not plainly online, or null. */
export function presenceNote(presence: Presence): string | null {
  if (presence === "stale") return "No word from the agent lately: its link may be cut. Showing the last known state.";
  if (presence === "reconnecting") return "The server restarted; waiting for this host's agent to reconnect. Showing the last known state.";
  if (presence === "offline") return "Host offline: showing the last known state.";
  return null;
}
