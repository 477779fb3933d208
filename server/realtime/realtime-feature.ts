import type { Socket } from "socket.io";
import type { z } from "zod";
import type { Actor } from "../auth/resolve-actor";
import type { BrowserEventName, BrowserToServerEvents, EventAck, ServerToBrowserEvents } from "./browser-events";

export type BrowserSocketData = { actor: Actor; headers: Headers; address: string | null };
export type BrowserSocket = Socket<BrowserToServerEvents, ServerToBrowserEvents, Record<string, never>, BrowserSocketData>;

/** A browser event that already passed the gateway: schema-valid, caller re-resolved and authorised. */
export type BrowserEventContext = { socket: BrowserSocket; actor: Actor; hostId: string | null; data: unknown };

export type BrowserEventHandler = (ctx: BrowserEventContext) => Promise<EventAck<unknown>>;

export type AgentEventHandler<T> = {
  schema: z.ZodType<T>;
  /** A cheaper "valid as is" in front of the schema for a hot event; false sends the message to zod. */
  accepts?(raw: unknown): raw is T;
  handle(hostId: string, message: T): Promise<unknown> | unknown;
};

/**
 * A live feature (logs, terminals, metrics…) plugged into both gateways. The gateways keep the one
 * place where sockets are authenticated, payloads validated and events authorised; a feature only
 * sees events that passed, and is told when callers lose access or sockets go away.
 */
export interface RealtimeFeature {
  name: string;
  /** Agent → server events this feature owns; run only for authenticated agents, after zod parsing. */
  agentEvents?: Record<string, AgentEventHandler<any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Browser events this feature owns (each must also be listed in BROWSER_EVENT_POLICY). */
  browserEvents?: Partial<Record<BrowserEventName, BrowserEventHandler>>;
  /** The caller of a socket was re-resolved (access change or periodic sweep): end what they lost. */
  recheckBrowser?(socket: BrowserSocket, actor: Actor): void | Promise<void>;
  browserDisconnected?(socket: BrowserSocket): void;
  agentConnected?(hostId: string): void;
  agentDisconnected?(hostId: string): void;
}

/** Only typed to be built in one place (server/realtime/features.ts). */
export function defineFeature(feature: RealtimeFeature): RealtimeFeature {
  return feature;
}
