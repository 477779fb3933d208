import crypto from "node:crypto";
import { commandPayload, type CommandEnvelope, type AgentCommand, type SignedCommand } from "../../../agents/protocol";
import type { ServerKey } from "../../keys";

/** Wraps a validated command in a fresh envelope (new id, issue and expiry times) signed by the server key. */
export function signCommand(
  serverKey: ServerKey,
  opts: { hostId: string; command: AgentCommand; actorId: string | null; now: number; lifetimeMs: number },
): SignedCommand {
  const envelope: CommandEnvelope = {
    commandId: crypto.randomUUID(),
    hostId: opts.hostId,
    action: opts.command.action,
    params: opts.command.params,
    actorId: opts.actorId,
    issuedAt: opts.now,
    expiresAt: opts.now + opts.lifetimeMs,
  };
  return { envelope, signature: serverKey.sign(commandPayload(envelope)) };
}
