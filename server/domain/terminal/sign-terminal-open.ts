import { TERMINAL_OPEN_LIFETIME_MS, terminalOpenPayload, type SignedTerminalOpen, type TerminalOpenEnvelope } from "../../../agents/protocol";
import type { ServerKey } from "../../keys";

/** Signs one terminal open with the server key; the session id is its one-time id. */
export function signTerminalOpen(serverKey: ServerKey, open: Omit<TerminalOpenEnvelope, "issuedAt" | "expiresAt">, now: number): SignedTerminalOpen {
  const envelope: TerminalOpenEnvelope = { ...open, issuedAt: now, expiresAt: now + TERMINAL_OPEN_LIFETIME_MS };
  return { envelope, signature: serverKey.sign(terminalOpenPayload(envelope)) };
}
