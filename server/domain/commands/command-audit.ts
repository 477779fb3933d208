import type { CommandEnvelope } from "../../../agents/protocol";
import type { Db } from "../../db/client";
import type { AuditEntry } from "../audit/record-audit";
import type { CommandStatus } from "./command-store";

export type AuditWriter = (db: Db, entry: AuditEntry) => Promise<unknown>;
export type AuditActor = { actorId: string | null; actor: string; sourceIp: string | null };

/** The audit entry of one command: `container.<action>` on the container, with the command id. */
export function commandAuditEntry(
  envelope: Pick<CommandEnvelope, "commandId" | "hostId" | "action" | "params">,
  who: AuditActor,
  result: string,
  extra: Record<string, unknown> = {},
): AuditEntry {
  return {
    ...who,
    hostId: envelope.hostId,
    action: `container.${envelope.action}`,
    target: typeof envelope.params.containerId === "string" ? envelope.params.containerId : null,
    params: { commandId: envelope.commandId, ...envelope.params, ...extra },
    result,
  };
}

/** "ok", "error: <code>" or "unknown", as the audit log records an outcome. */
export function auditResult(status: CommandStatus, code: string | null): string {
  if (status === "ok") return "ok";
  if (status === "unknown" || status === "pending") return "unknown";
  return `error: ${code ?? status.toUpperCase()}`;
}
