import type { Socket } from "socket.io-client";
import type { AgentToServerEvents, ServerToAgentEvents } from "../protocol";
import type { AgentConfig } from "./config";
import type { Logger } from "./log";

export type AgentSocket = Socket<ServerToAgentEvents, AgentToServerEvents>;

export type AgentFeatureContext = {
  socket: AgentSocket;
  config: AgentConfig;
  log: Logger;
  /** True while the socket is connected and authenticated: only then may a feature emit. */
  isAuthenticated(): boolean;
};

/**
 * A live feature of the agent (log streams, terminals, metrics…). It registers its own socket
 * handlers in start (parsing every payload with the protocol's zod schemas) and is told when the
 * link comes and goes, so it can resume or pause what it streams.
 */
export interface AgentFeature {
  name: string;
  start(ctx: AgentFeatureContext): void;
  connected?(hostId: string): void;
  disconnected?(): void;
  stop(): void;
}
