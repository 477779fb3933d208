import crypto from "node:crypto";
import type { Namespace, Socket } from "socket.io";
import type { z } from "zod";
import {
  ZAuthResponse,
  ZCommandOutcomeReport,
  ZCommandProgress,
  ZContainerChange,
  ZEngineEventBatch,
  ZHostSnapshot,
  ZUploadRead,
  firstIssue,
  type Ack,
  type AgentToServerEvents,
  type ServerToAgentEvents,
} from "../../agents/protocol";
import type { Db } from "../db/client";
import { recordAudit } from "../domain/audit/record-audit";
import type { CommandService } from "../domain/commands/command-service";
import { authenticateAgent } from "../domain/enrollment/authenticate-agent";
import type { DockerEventFeed } from "../domain/events/event-feed";
import { EventIngest } from "../domain/events/store-events";
import { databaseUnavailable } from "../domain/db-errors";
import { errorBody, isAppError } from "../errors";
import type { ServerKey } from "../keys";
import type { Log } from "../log";
import { AgentLinks, type LinkSocket } from "./agent-links";
import type { HostRegistry } from "./host-registry";
import { limitAgentRate, type AgentRateLimits } from "./agent-rate-limit";
import type { RealtimeFeature } from "./realtime-feature";
import { socketAddress } from "./socket-address";

type AgentSocket = LinkSocket;
export type AgentNamespace = Namespace<AgentToServerEvents, ServerToAgentEvents, Record<string, never>, { hostId?: string }>;

export type AgentGatewayDeps = {
  db: Db;
  registry: HostRegistry;
  serverKey: ServerKey;
  log: Log;
  /** Sends commands through the links this gateway keeps; without it no command can reach an agent. */
  commands?: Pick<CommandService, "links" | "settleReported" | "progress" | "readUpload">;
  authTimeoutMs?: number;
  /** Where newly stored engine events go (default: the feed shared through the registry). */
  dockerEvents: DockerEventFeed;
  /** Live features owning further agent events (logs, terminals, metrics…). */
  features?: RealtimeFeature[];
  /** Inbound message budget per socket (flooding agents are dropped, then disconnected); none: unlimited. */
  rateLimits?: AgentRateLimits;
  /** Called once a socket has proved its key (it stops counting as an unauthenticated connection). */
  onAuthenticated?: (socket: AgentSocket) => void;
};

/**
 * The /agent namespace. A socket is worth nothing until it answers the challenge: every other event
 * from an unauthenticated socket is refused. The host is always the one bound to the socket's key,
 * never one named in a message.
 */
export function attachAgentGateway(nsp: AgentNamespace, deps: AgentGatewayDeps): void {
  const { db, registry, log } = deps;
  const links = deps.commands?.links ?? new AgentLinks(); // hostId -> the one live socket of that host
  if (!deps.commands) log.warn("no command service wired to the agent gateway: container commands cannot be sent");
  registry.on("revoked", (hostId) => links.disconnect(hostId));
  const engineEvents = new EventIngest({ db, feed: deps.dockerEvents, log });
  const features = deps.features ?? [];

  nsp.on("connection", (socket: AgentSocket) => {
    const address = socketAddress(socket);
    const nonce = crypto.randomBytes(32).toString("base64url");
    const authTimer = setTimeout(() => {
      log.warn({ address }, "agent did not authenticate in time; closing");
      socket.disconnect(true);
    }, deps.authTimeoutMs ?? 15_000);
    let authenticating = false;
    if (deps.rateLimits) {
      limitAgentRate(socket as unknown as Socket, deps.rateLimits, (dropped) => {
        const hostId = socket.data.hostId ?? null;
        log.warn({ hostId, address, dropped }, "agent flooding messages: disconnecting");
        void audit(hostId, "agent.rate-limited", `disconnected after ${dropped} dropped messages`).catch((err) => log.error({ err }, "audit agent.rate-limited"));
        socket.disconnect(true);
      });
    }

    socket.emit("auth:challenge", { nonce, serverPublicKey: deps.serverKey.publicKey });

    socket.on("auth:response", async (raw: unknown, ack: unknown) => {
      const reply = replier(ack);
      if (authenticating || socket.data.hostId) return reply({ ok: false, error: { code: "BAD_REQUEST", message: "already authenticated" } });
      authenticating = true;
      const parsed = ZAuthResponse.safeParse(raw);
      if (!parsed.success) {
        log.warn({ address, issues: parsed.error.issues.length }, "malformed agent authentication");
        await audit(null, "agent.auth", `rejected: malformed`);
        reply({ ok: false, error: { code: "ENROLL_TOKEN_INVALID", message: `malformed authentication: ${firstIssue(parsed.error)}` } });
        return void setTimeout(() => socket.disconnect(true), 50);
      }
      try {
        const host = await authenticateAgent(db, { response: parsed.data, nonce, address });
        clearTimeout(authTimer);
        await audit(host.hostId, host.enrolled ? "agent.enroll" : "agent.connect", "ok");
        links.attach(host.hostId, socket); // the newest connection of a host wins
        socket.data.hostId = host.hostId;
        registry.connected(host.hostId);
        deps.onAuthenticated?.(socket);
        // Every inbound packet, heartbeat pongs included, proves the link alive (presence: online vs stale).
        socket.conn.on("packet", () => registry.seen(host.hostId));
        for (const feature of features) feature.agentConnected?.(host.hostId);
        log.info({ hostId: host.hostId, address, enrolled: host.enrolled }, "agent authenticated");
        reply({ ok: true, data: { hostId: host.hostId, hostName: host.hostName } });
      } catch (err) {
        const body = errorBody(err);
        if (!(isAppError(err))) log.error({ err, address }, "agent authentication failed unexpectedly");
        else log.warn({ address, code: body.code }, `agent rejected: ${body.message}`);
        await audit(null, "agent.auth", `rejected: ${body.code}`).catch(() => undefined);
        reply({ ok: false, error: body });
        setTimeout(() => socket.disconnect(true), 50);
      }
    });

    on(socket, "host:snapshot", ZHostSnapshot, async (hostId, snapshot) => {
      registry.applySnapshot(hostId, snapshot);
      await db.host.update({ where: { id: hostId }, data: { facts: JSON.stringify(snapshot.facts), lastSeenAt: new Date() } });
      return null;
    });
    on(socket, "container:change", ZContainerChange, async (hostId, change) => {
      registry.applyChange(hostId, change);
      return null;
    });
    on(socket, "command:outcomes", ZCommandOutcomeReport, async (hostId, report) => {
      await deps.commands?.settleReported(hostId, report);
      return null;
    });
    on(socket, "command:progress", ZCommandProgress, async (hostId, progress) => {
      deps.commands?.progress(hostId, progress);
      return null;
    });
    // Only the agent running an import reads its upload (the command service checks host and command).
    on(socket, "upload:read", ZUploadRead, async (hostId, request) => {
      if (!deps.commands) throw new Error("no command service");
      return deps.commands.readUpload(hostId, request);
    });

    on(socket, "engine:events", ZEngineEventBatch, async (hostId, batch) => {
      await engineEvents.store(hostId, batch);
      return null;
    });

    for (const feature of features) {
      for (const [event, handler] of Object.entries(feature.agentEvents ?? {})) on(socket, event, handler.schema, async (hostId, msg) => handler.handle(hostId, msg), handler.accepts);
    }

    socket.on("disconnect", (reason) => {
      clearTimeout(authTimer);
      // e.g. a message over MAX_MESSAGE_BYTES: the transport closes the socket before any handler sees it.
      if (reason === "transport error" || reason === "parse error") log.warn({ hostId: socket.data.hostId, address, reason }, "agent connection closed by the transport");
      const hostId = socket.data.hostId;
      if (!hostId || !links.detach(hostId, socket)) return;
      registry.disconnected(hostId);
      for (const feature of features) feature.agentDisconnected?.(hostId);
      log.info({ hostId, reason }, "agent disconnected");
      const lastSeenAt = new Date(registry.get(hostId)?.lastSeenAt ?? Date.now());
      db.host.update({ where: { id: hostId }, data: { lastSeenAt } }).catch((err) => log.error({ err }, "lastSeenAt"));
    });

    function audit(hostId: string | null, action: string, result: string) {
      return recordAudit(db, { actor: hostId ? `agent:${hostId}` : "agent", sourceIp: address, hostId, action, result });
    }
  });

  /** One guard for every post-authentication event: authenticated, schema-valid, errors contained. */
  function on<T>(socket: AgentSocket, event: string, schema: z.ZodType<T>, handle: (hostId: string, msg: T) => Promise<unknown>, accepts?: (raw: unknown) => raw is T): void {
    (socket as unknown as Socket).on(event, async (raw: unknown, ack: unknown) => {
      const reply = replier(ack);
      const hostId = socket.data.hostId;
      if (!hostId) {
        log.warn({ event }, "event from unauthenticated agent refused");
        return reply({ ok: false, error: { code: "UNAUTHORIZED", message: "authenticate first" } });
      }
      const parsed = accepts?.(raw) ? { success: true as const, data: raw } : schema.safeParse(raw);
      if (!parsed.success) {
        log.warn({ hostId, event, issue: firstIssue(parsed.error) }, "malformed agent message rejected");
        return reply({ ok: false, error: { code: "BAD_REQUEST", message: `malformed ${event}: ${firstIssue(parsed.error)}` } });
      }
      registry.seen(hostId);
      try {
        reply({ ok: true, data: await handle(hostId, parsed.data) });
      } catch (err) {
        const known = isAppError(err) ? err : databaseUnavailable(err);
        if (known) log.debug({ hostId, event, code: known.code }, known.message);
        else log.error({ err, hostId, event }, "agent message handling failed");
        reply({ ok: false, error: errorBody(known ?? err) });
      }
    });
  }
}

function replier(ack: unknown): (result: Ack<unknown>) => void {
  return typeof ack === "function" ? (result) => (ack as (r: Ack<unknown>) => void)(result) : () => undefined;
}
