import type { TerminalMode } from "../../../agents/protocol";
import type { AuditEntry } from "../audit/record-audit";

export type AuditedTerminal = {
  id: string;
  hostId: string;
  containerId: string;
  containerName: string;
  mode: TerminalMode;
  cmd: string[] | null;
  user: string | null;
  caller: { actorId: string; actor: string; sourceIp: string | null };
};

/** `terminal.start` / `terminal.end`: who, where, what ran (never what was typed or printed). */
export function terminalAuditEntry(session: AuditedTerminal, action: "terminal.start" | "terminal.end", result: string, extra: Record<string, unknown>): AuditEntry {
  const { caller } = session;
  return {
    actorId: caller.actorId,
    actor: caller.actor,
    sourceIp: caller.sourceIp,
    hostId: session.hostId,
    action,
    target: session.containerName || session.containerId,
    params: { sessionId: session.id, containerId: session.containerId, mode: session.mode, cmd: session.cmd ?? (session.mode === "exec" ? "default shell" : null), user: session.user, ...extra },
    result,
  };
}
