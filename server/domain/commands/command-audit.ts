import { CONTROL_ACTIONS, type AgentAction, type CommandEnvelope } from "../../../agents/protocol";
import type { Db } from "../../db/client";
import type { AuditEntry } from "../audit/record-audit";
import type { CommandStatus } from "./command-store";

export type AuditWriter = (db: Db, entry: AuditEntry) => Promise<unknown>;
export type AuditActor = { actorId: string | null; actor: string; sourceIp: string | null };

/**
 * The audit entry of one command: lifecycle actions as `container.<action>`, control operations by
 * their own name (`image.pull`, `volume.create`…), with the command id and its params (env values redacted).
 */
export function commandAuditEntry(
  envelope: Pick<CommandEnvelope, "commandId" | "hostId" | "action" | "params">,
  who: AuditActor,
  result: string,
  extra: Record<string, unknown> = {},
): AuditEntry {
  return {
    ...who,
    hostId: envelope.hostId,
    action: auditAction(envelope.action),
    target: commandTarget(envelope.params),
    params: { commandId: envelope.commandId, ...redactParams(envelope.params), ...extra },
    result,
  };
}

export function auditAction(action: AgentAction): string {
  return (CONTROL_ACTIONS as readonly string[]).includes(action) ? action : `container.${action}`;
}

/** What the command acts on, as far as its params name it. */
function commandTarget(params: Record<string, unknown>): string | null {
  const spec = params.spec as { name?: unknown; image?: unknown } | undefined;
  const named = params.containerId ?? params.imageId ?? params.networkId ?? params.reference ?? params.name ?? spec?.name ?? spec?.image;
  if (typeof named === "string") return named;
  if (typeof params.repository === "string") return `${params.repository}:${String(params.tag)}`;
  return null;
}

/** Env values often hold secrets: audit entries and stored commands keep the names only. */
export function redactParams(params: Record<string, unknown>): Record<string, unknown> {
  const spec = params.spec as { env?: { key: string }[] } | undefined;
  if (!spec?.env) return params;
  return { ...params, spec: { ...spec, env: spec.env.map(({ key }) => ({ key, value: null })) } };
}

/** "ok", "error: <code>" or "unknown", as the audit log records an outcome. */
export function auditResult(status: CommandStatus, code: string | null): string {
  if (status === "ok") return "ok";
  if (status === "unknown" || status === "pending") return "unknown";
  return `error: ${code ?? status.toUpperCase()}`;
}
