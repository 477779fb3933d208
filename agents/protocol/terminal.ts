import { z } from "zod";
import { canonicalJson, ZContainerRef } from "./commands";
import { PROTOCOL_VERSION } from "./version";

/**
 * Web terminals, end to end: browser ⇄ server ⇄ agent ⇄ Docker exec/attach. Text travels as UTF-8
 * strings (the agent decodes with a streaming decoder, so no character is ever split between two
 * messages). Output is acked hop by hop; the agent pauses the exec stream while too much is unacked.
 */

export const ZTerminalSessionId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, "not a terminal session id");
export const ZTerminalMode = z.enum(["exec", "attach"]);
export type TerminalMode = z.infer<typeof ZTerminalMode>;

export const ZTerminalCols = z.number().int().min(2).max(1000);
export const ZTerminalRows = z.number().int().min(1).max(500);
/** Largest single input message (a paste); larger pastes arrive as several messages. */
export const MAX_TERMINAL_INPUT_CHARS = 64 * 1024;
/** Largest output message the agent sends (characters). */
export const MAX_TERMINAL_OUTPUT_CHARS = 256 * 1024;

/** `user`, `uid`, `user:group` or `uid:gid`, as `docker exec -u` takes it; nothing else reaches Docker. */
export const ZTerminalUser = z.string().max(130).regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,63})?$/, "not a user name, uid or user:group");
/** argv of the command to run (no shell parsing on our side). */
export const ZTerminalCommand = z.array(z.string().min(1).max(4096)).min(1).max(64);

/** What runs when no command is given: bash where the image has it, else sh. */
export const DEFAULT_TERMINAL_COMMAND = ["/bin/sh", "-c", "if [ -x /bin/bash ]; then exec /bin/bash; else exec /bin/sh; fi"];

// ---- browser → server -------------------------------------------------------------------------

/** Open a terminal on a container of that host; acked with the session id every other event carries. */
export const ZTerminalOpenRequest = z
  .object({
    hostId: z.string().min(1).max(64),
    containerId: ZContainerRef,
    mode: ZTerminalMode,
    cmd: ZTerminalCommand.optional(),
    user: ZTerminalUser.optional(),
    cols: ZTerminalCols,
    rows: ZTerminalRows,
  })
  .strict();
export type TerminalOpenRequest = z.infer<typeof ZTerminalOpenRequest>;

/** Keystrokes or a paste. `seq` counts from 0 per session, so input is applied in order whatever the handling order. */
export const ZTerminalInput = z.object({ sessionId: ZTerminalSessionId, seq: z.number().int().nonnegative(), data: z.string().min(1).max(MAX_TERMINAL_INPUT_CHARS) }).strict();
export type TerminalInput = z.infer<typeof ZTerminalInput>;
export const ZTerminalResize = z.object({ sessionId: ZTerminalSessionId, cols: ZTerminalCols, rows: ZTerminalRows }).strict();
export type TerminalResize = z.infer<typeof ZTerminalResize>;
export const ZTerminalClose = z.object({ sessionId: ZTerminalSessionId }).strict();
export type TerminalClose = z.infer<typeof ZTerminalClose>;

// ---- server → browser (and agent → server) ----------------------------------------------------

export const ZTerminalOutput = z.object({ sessionId: ZTerminalSessionId, data: z.string().max(MAX_TERMINAL_OUTPUT_CHARS) });
export type TerminalOutput = z.infer<typeof ZTerminalOutput>;
/** The session is over: the process exit code when known, and why it ended in words. */
export const ZTerminalExit = z.object({ sessionId: ZTerminalSessionId, code: z.number().int().nullable(), reason: z.string().max(500) });
export type TerminalExit = z.infer<typeof ZTerminalExit>;

// ---- server → agent ---------------------------------------------------------------------------

/**
 * What the server signs to open a terminal: a root shell is worth more than the socket it came on.
 * The session id doubles as the one-time id; the lifetime is short (see TERMINAL_OPEN_LIFETIME_MS).
 */
export const ZTerminalOpenEnvelope = z.strictObject({
  sessionId: ZTerminalSessionId,
  hostId: z.string().min(1).max(128),
  containerId: ZContainerRef,
  mode: ZTerminalMode,
  /** null = the default shell (exec) or nothing (attach). */
  cmd: ZTerminalCommand.nullable(),
  user: ZTerminalUser.nullable(),
  cols: ZTerminalCols,
  rows: ZTerminalRows,
  actorId: z.string().max(128).nullable(),
  issuedAt: z.number().int().nonnegative(),
  expiresAt: z.number().int().nonnegative(),
});
export type TerminalOpenEnvelope = z.infer<typeof ZTerminalOpenEnvelope>;

export const ZSignedTerminalOpen = z.strictObject({
  envelope: ZTerminalOpenEnvelope,
  signature: z.string().regex(/^[A-Za-z0-9+/=]{80,100}$/, "not an Ed25519 signature"),
});
export type SignedTerminalOpen = z.infer<typeof ZSignedTerminalOpen>;

/** The agent's answer to an open: the argv it started (exec; null for attach). */
export const ZTerminalOpened = z.object({ cmd: z.array(z.string().max(4096)).max(64).nullable() });
export type TerminalOpened = z.infer<typeof ZTerminalOpened>;

export const ZAgentTerminalInput = z.object({ sessionId: ZTerminalSessionId, data: z.string().min(1).max(MAX_TERMINAL_INPUT_CHARS) });
export type AgentTerminalInput = z.infer<typeof ZAgentTerminalInput>;
export const ZAgentTerminalClose = z.object({ sessionId: ZTerminalSessionId, reason: z.string().max(500) });
export type AgentTerminalClose = z.infer<typeof ZAgentTerminalClose>;

/** How long a signed open stays valid: long enough to cross the link, too short to be worth replaying. */
export const TERMINAL_OPEN_LIFETIME_MS = 30_000;

/** The exact bytes the server signs for an open; the prefix keeps it from being read as a command. */
export function terminalOpenPayload(envelope: TerminalOpenEnvelope): string {
  return `portolan-terminal-open:v${PROTOCOL_VERSION}:${canonicalJson(envelope)}`;
}
