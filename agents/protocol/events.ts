import type { CommandOutcomeReport, CommandReply, SignedCommand } from "./commands";
import type { CommandProgress, UploadChunk, UploadRead } from "./control-commands";
import type { EngineEventBatch } from "./engine-events";
import type { AuthChallenge, AuthResponse, AuthResult, ContainerChange, HostSnapshot } from "./messages";
import type { LogBatch, LogClose, LogOpen } from "./logs";
import type { MetricsTick, MetricsWatch } from "./metrics";
import type { AgentQuery } from "./queries";
import type { AgentTerminalClose, AgentTerminalInput, SignedTerminalOpen, TerminalExit, TerminalOpened, TerminalOutput, TerminalResize } from "./terminal";

export type ErrorBody = { code: string; message: string };
export type Ack<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };

/** Error codes an agent receives when authentication fails; none of them is worth retrying. */
export const FATAL_AUTH_CODES = [
  "ENROLL_TOKEN_INVALID",
  "ENROLL_TOKEN_USED",
  "ENROLL_TOKEN_EXPIRED",
  "UNKNOWN_KEY",
  "HOST_REVOKED",
  "PROTOCOL_MISMATCH",
] as const;

/** Events the server emits to an agent. */
export interface ServerToAgentEvents {
  "auth:challenge": (challenge: AuthChallenge) => void;
  /** A signed container command; the agent verifies it, runs it at most once, and acks the outcome. */
  "command:run": (command: SignedCommand, ack: (reply: CommandReply) => void) => void;
  /** A read (inspect, lists): allow-listed and schema-checked, not signed; acked with the data. */
  "query:run": (query: AgentQuery, ack: (reply: Ack<unknown>) => void) => void;
  /** Open (or join) a container log stream; batches come back as "logs:batch". */
  "logs:open": (open: LogOpen, ack: (reply: Ack<null>) => void) => void;
  "logs:close": (close: LogClose) => void;
  /** Open a terminal (signed by the server key, one-time id); output comes back as "terminal:output". */
  "terminal:open": (open: SignedTerminalOpen, ack: (reply: Ack<TerminalOpened>) => void) => void;
  "terminal:input": (input: AgentTerminalInput) => void;
  "terminal:resize": (resize: TerminalResize) => void;
  /** End a terminal: the agent kills the exec process (or detaches from the main process). */
  "terminal:close": (close: AgentTerminalClose) => void;
  /** Which containers to report in full and how often (the union of what browsers watch). */
  "metrics:watch": (watch: MetricsWatch) => void;
}

/** Events an agent emits to the server. Every payload is parsed with the zod schema of the same name. */
export interface AgentToServerEvents {
  "auth:response": (response: AuthResponse, ack: (result: Ack<AuthResult>) => void) => void;
  "host:snapshot": (snapshot: HostSnapshot, ack: (result: Ack<null>) => void) => void;
  "container:change": (change: ContainerChange) => void;
  /** After each authentication (and for replies that missed their link): outcomes of recent commands. */
  "command:outcomes": (report: CommandOutcomeReport, ack: (result: Ack<null>) => void) => void;
  /** Progress of a long command (pull, import) the agent is running. */
  "command:progress": (progress: CommandProgress) => void;
  /** The next slice of an `image.import` command's upload; the agent asks only as fast as Docker reads. */
  "upload:read": (request: UploadRead, ack: (result: Ack<UploadChunk>) => void) => void;
  /** Every Docker engine event (all types), batched; acked once stored so the agent can drop the batch. */
  "engine:events": (batch: EngineEventBatch, ack: (result: Ack<null>) => void) => void;
  /** The next slice of a log stream; the agent sends the next one only after this is acked. */
  "logs:batch": (batch: LogBatch, ack: (result: Ack<null>) => void) => void;
  /** Terminal output; acked once the browser has rendered it (the agent pauses while too much is unacked). */
  "terminal:output": (output: TerminalOutput, ack: (result: Ack<null>) => void) => void;
  /** A terminal ended on the agent's side (process exited, stream broke). */
  "terminal:exit": (exit: TerminalExit) => void;
  /** One batched metrics reading per interval (host, every container's summary, watched containers in full). */
  "metrics:tick": (tick: MetricsTick) => void;
}
