import type { ErrorBody, TerminalOpenEnvelope } from "../../protocol";
import { COMMAND_CLOCK_SKEW_MS, firstIssue } from "../../protocol/commands";
import { TERMINAL_OPEN_LIFETIME_MS, ZSignedTerminalOpen, terminalOpenPayload } from "../../protocol/terminal";
import { verifyEd25519 } from "../../protocol/signature";

export type TerminalVerifyContext = { serverPublicKey: string; hostId: string; now: number; startedAt: number };
export type TerminalVerification = { ok: true; envelope: TerminalOpenEnvelope } | { ok: false; error: ErrorBody };

/**
 * Everything the agent checks before it opens a shell, except that the id is new (see OneTimeIds).
 * The signature is checked before anything inside the envelope is believed. Opens issued before this
 * agent started are refused: the ids it saw before a restart are gone, so they could be replays.
 */
export function verifyTerminalOpen(raw: unknown, ctx: TerminalVerifyContext): TerminalVerification {
  const signed = ZSignedTerminalOpen.safeParse(raw);
  if (!signed.success) return refuse("BAD_REQUEST", `malformed terminal open: ${firstIssue(signed.error)}`);
  const { envelope, signature } = signed.data;
  if (!verifyEd25519(ctx.serverPublicKey, terminalOpenPayload(envelope), signature)) {
    return refuse("BAD_SIGNATURE", "terminal open is not signed by the server key pinned at enrollment");
  }
  if (envelope.hostId !== ctx.hostId) return refuse("WRONG_HOST", `terminal open is for host ${envelope.hostId}, not this one`);
  if (envelope.expiresAt <= envelope.issuedAt || envelope.expiresAt - envelope.issuedAt > TERMINAL_OPEN_LIFETIME_MS) {
    return refuse("BAD_REQUEST", "terminal open lifetime is out of range");
  }
  if (envelope.issuedAt > ctx.now + COMMAND_CLOCK_SKEW_MS) return refuse("NOT_YET_VALID", "terminal open was issued in the future (clocks differ by more than 30 s?)");
  if (ctx.now > envelope.expiresAt + COMMAND_CLOCK_SKEW_MS) return refuse("EXPIRED", "terminal open expired before it reached the agent");
  if (envelope.issuedAt < ctx.startedAt) return refuse("EXPIRED", "terminal open was issued before this agent started; open the terminal again");
  return { ok: true, envelope };
}

/** Session ids already used, kept until their envelope could no longer pass the expiry check. */
export class OneTimeIds {
  private readonly seen = new Map<string, number>();

  /** True the first time an id is used; false for a replay. */
  claim(id: string, expiresAt: number, now: number): boolean {
    for (const [key, until] of this.seen) if (until < now) this.seen.delete(key);
    if (this.seen.has(id)) return false;
    this.seen.set(id, expiresAt + COMMAND_CLOCK_SKEW_MS);
    return true;
  }
}

function refuse(code: string, message: string): TerminalVerification {
  return { ok: false, error: { code, message } };
}
