import { z } from "zod";
import { ZLogSubscribe, ZLogUnsubscribe, type LogBatch } from "../../agents/protocol/logs";
import { ZTerminalClose, ZTerminalInput, ZTerminalOpenRequest, ZTerminalResize, type TerminalExit, type TerminalOutput } from "../../agents/protocol/terminal";
import { ZMetricsSubscribe } from "../../agents/protocol/metrics";
import type { LiveMetricsTick } from "../domain/metrics/metrics-hub";
import type { HostPermission } from "../auth/permissions";
import type { DockerEventItem } from "../domain/events/event-item";
import type { FleetContainer, HostSummary } from "../domain/hosts/host-views";
import type { OperationProgress } from "./operation-progress";

/**
 * What changed on which host. `host` and `containers` carry the host's new state when the caller may
 * read it (containers only with container:read), so the fleet page merges it without a request;
 * without them (a revoked or unknown host) browsers refetch the affected queries.
 */
export type FleetChange = { hostId: string; kinds: string[]; host?: HostSummary; containers?: FleetContainer[] };

export type EventAck<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };

export interface ServerToBrowserEvents {
  "fleet:changed": (changes: FleetChange[]) => void;
  /** A subscription the caller may no longer hold was ended by the server. */
  "stream:ended": (info: { stream: string; reason: string }) => void;
  /** Progress of an image pull or import on a host the caller may read. */
  "operation:progress": (progress: OperationProgress) => void;
  /** Someone's access changed (maybe this caller's): refetch what you may do and see. */
  "access:changed": () => void;
  /** The session was revoked, expired or its user disabled: the socket closes right after. */
  "session:ended": (info: { reason: string }) => void;
  /** Newly stored Docker engine events of subscribed hosts the caller may read, oldest first. */
  "docker:events": (items: DockerEventItem[]) => void;
  /** The next slice of a log subscription; ack it once processed (the next slice waits for the ack). */
  "logs:batch": (batch: LogBatch, ack: () => void) => void;
  /** Output of a terminal this socket opened; ack once rendered (the process is paused while too much is unacked). */
  "terminal:output": (output: TerminalOutput, ack: () => void) => void;
  /** A terminal this socket opened has ended, and why (exit code when the process exited). */
  "terminal:exit": (exit: TerminalExit) => void;
  /** A metrics tick of a subscribed host (detail only for the containers this socket subscribed to). */
  "metrics:tick": (tick: LiveMetricsTick) => void;
}

export interface BrowserToServerEvents {
  "fleet:subscribe": (payload: unknown, ack: (r: EventAck<{ hosts: number }>) => void) => void;
  "fleet:unsubscribe": (payload: unknown, ack: (r: EventAck<null>) => void) => void;
  "host:subscribe": (payload: unknown, ack: (r: EventAck<{ hostId: string }>) => void) => void;
  "host:unsubscribe": (payload: unknown, ack: (r: EventAck<null>) => void) => void;
  "events:subscribe": (payload: unknown, ack: (r: EventAck<{ hostId: string | null }>) => void) => void;
  "events:unsubscribe": (payload: unknown, ack: (r: EventAck<null>) => void) => void;
  "logs:subscribe": (payload: unknown, ack: (r: EventAck<{ streamId: string }>) => void) => void;
  "logs:unsubscribe": (payload: unknown, ack: (r: EventAck<null>) => void) => void;
  "terminal:open": (payload: unknown, ack: (r: EventAck<{ sessionId: string; cmd: string[] | null }>) => void) => void;
  "terminal:input": (payload: unknown, ack: (r: EventAck<null>) => void) => void;
  "terminal:resize": (payload: unknown, ack: (r: EventAck<null>) => void) => void;
  "terminal:close": (payload: unknown, ack: (r: EventAck<null>) => void) => void;
  "metrics:subscribe": (payload: unknown, ack: (r: EventAck<{ hostId: string; containerId: string | null; intervalSeconds: number }>) => void) => void;
  "metrics:unsubscribe": (payload: unknown, ack: (r: EventAck<null>) => void) => void;
}

/**
 * Every event a browser may send, with its payload schema and the permission it needs; an event not
 * listed here is refused. The gateway checks each one on every emit with the same policy as tRPC.
 */
export const BROWSER_EVENT_POLICY = {
  "fleet:subscribe": { scope: "list", permission: "host:read", schema: z.object({}).strict().optional() },
  "fleet:unsubscribe": { scope: "authenticated", schema: z.object({}).strict().optional() },
  "host:subscribe": { scope: "host", permission: "host:read", schema: z.object({ hostId: z.string().min(1).max(64) }).strict() },
  "host:unsubscribe": { scope: "authenticated", schema: z.object({ hostId: z.string().min(1).max(64) }).strict() },
  // Fleet-wide without hostId; narrowed to a host, host:read must hold there (as for tRPC list procedures).
  "events:subscribe": { scope: "list", permission: "host:read", schema: z.object({ hostId: z.string().min(1).max(64).optional() }).strict().optional() },
  "events:unsubscribe": { scope: "authenticated", schema: z.object({ hostId: z.string().min(1).max(64).optional() }).strict().optional() },
  // The container must be on that host (checked by the logs feature against the registry).
  "logs:subscribe": { scope: "host", permission: "logs:read", schema: ZLogSubscribe },
  "logs:unsubscribe": { scope: "authenticated", schema: ZLogUnsubscribe },
  // The container must be running on that host (checked by the terminal feature against the registry).
  "terminal:open": { scope: "host", permission: "container:exec", schema: ZTerminalOpenRequest },
  // Only for a session this socket opened; the feature re-checks container:exec on its host each time.
  "terminal:input": { scope: "authenticated", schema: ZTerminalInput },
  "terminal:resize": { scope: "authenticated", schema: ZTerminalResize },
  "terminal:close": { scope: "authenticated", schema: ZTerminalClose },
  // Live metrics of a host (with its containers' summaries), or one of its containers in full.
  "metrics:subscribe": { scope: "host", permission: "host:read", schema: ZMetricsSubscribe },
  "metrics:unsubscribe": { scope: "host", permission: "host:read", schema: ZMetricsSubscribe },
} as const satisfies Record<
  keyof BrowserToServerEvents,
  { scope: "authenticated" | "list" | "host"; permission?: HostPermission; schema: z.ZodType }
>;

export type BrowserEventName = keyof typeof BROWSER_EVENT_POLICY;
