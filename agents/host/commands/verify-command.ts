import type { AgentCommand, CommandEnvelope, ErrorBody } from "../../protocol";
import { COMMAND_CLOCK_SKEW_MS, COMMAND_MAX_LIFETIME_MS, ZSignedCommand, commandPayload, firstIssue } from "../../protocol/commands";
import { parseAgentCommand } from "../../protocol/control-commands";
import { verifyEd25519 } from "../../protocol/signature";

export type VerifyContext = { serverPublicKey: string; hostId: string; now: number };
export type VerifiedCommand = { envelope: CommandEnvelope; command: AgentCommand };
export type Verification = { ok: true; value: VerifiedCommand } | { ok: false; error: ErrorBody };

/**
 * Everything the agent checks before it trusts a command, except freshness of the id (that needs
 * state; see RecentCommands). The signature is checked before anything inside the envelope is believed.
 */
export function verifyCommand(raw: unknown, ctx: VerifyContext): Verification {
  const signed = ZSignedCommand.safeParse(raw);
  if (!signed.success) return refuse("BAD_COMMAND", `malformed command: ${firstIssue(signed.error)}`);
  const { envelope, signature } = signed.data;
  if (!verifyEd25519(ctx.serverPublicKey, commandPayload(envelope), signature)) {
    return refuse("BAD_SIGNATURE", "command signature does not match the server key pinned at enrollment");
  }
  if (envelope.hostId !== ctx.hostId) return refuse("WRONG_HOST", `command is for host ${envelope.hostId}, not this one`);
  if (envelope.expiresAt <= envelope.issuedAt || envelope.expiresAt - envelope.issuedAt > COMMAND_MAX_LIFETIME_MS) {
    return refuse("BAD_COMMAND", "command lifetime is out of range");
  }
  if (envelope.issuedAt > ctx.now + COMMAND_CLOCK_SKEW_MS) {
    return refuse("NOT_YET_VALID", "command was issued in the future (server and agent clocks differ by more than 30 s?)");
  }
  if (ctx.now > envelope.expiresAt + COMMAND_CLOCK_SKEW_MS) return refuse("EXPIRED", "command expired before it reached the agent");
  const command = parseAgentCommand(envelope.action, envelope.params);
  if (!command.success) return refuse("BAD_COMMAND", `invalid ${envelope.action} params: ${firstIssue(command.error)}`);
  return { ok: true, value: { envelope, command: command.data } };
}

function refuse(code: string, message: string): Verification {
  return { ok: false, error: { code, message } };
}
