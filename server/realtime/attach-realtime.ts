import type http from "node:http";
import { HostRowCache } from "../domain/hosts/host-rows";
import { hostViews } from "../domain/hosts/host-views";
import { Server } from "socket.io";
import { AGENT_NAMESPACE, MAX_MESSAGE_BYTES } from "../../agents/protocol";
import { resolveActor } from "../auth/resolve-actor";
import { recordAudit } from "../domain/audit/record-audit";
import { clientIp } from "../http/client-ip";
import type { Services } from "../services";
import { attachAgentGateway, type AgentNamespace } from "./agent-gateway";
import { attachBrowserGateway, type BrowserNamespace } from "./browser-gateway";
import { realtimeFeatures } from "./features";
import { attachCluster } from "../cluster/attach-cluster";
import { agentRateLimitsFromEnv } from "./agent-rate-limit";
import { PendingConnections, connectionLimitsFromEnv } from "./connection-limits";
import { PresenceSweep } from "./presence-sweep";

export const BROWSER_NAMESPACE = "/live";

/** socket.io on the same http.Server as Next: /agent for agents, /live for browsers. */
export function attachRealtime(server: http.Server, services: Services): Server {
  // A heartbeat every quarter of the timeout: a healthy link is heard well within the stale threshold
  // (half the timeout), and a silent one is dropped once the whole timeout has passed.
  const timeoutMs = services.config.agentTimeoutSeconds * 1000;
  const pingInterval = Math.max(1_000, Math.floor(timeoutMs / 4));
  // Unauthenticated connections are capped per address and in total (half-open floods); see connection-limits.ts.
  const pending = new PendingConnections(connectionLimitsFromEnv(), (req) => clientIp(req.socket.remoteAddress, req.headers["x-forwarded-for"], services.config.trustedProxies) || "?", services.log.child({ component: "connection-limits" }));
  const io = new Server(server, {
    allowRequest: pending.allowRequest,
    serveClient: false,
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    pingInterval,
    pingTimeout: timeoutMs - pingInterval,
    connectTimeout: 15_000,
  });
  pending.attach(io);
  // With REDIS_URL this process is one replica of several: the agent gateway gets cluster-aware features and commands.
  const local = realtimeFeatures(services);
  const cluster = services.config.redisUrl ? attachCluster(io, services, local) : null;
  const features = cluster?.features ?? local;
  attachAgentGateway(io.of(AGENT_NAMESPACE) as AgentNamespace, {
    db: services.db,
    registry: services.registry,
    serverKey: services.serverKey,
    commands: cluster?.commands ?? services.commands,
    dockerEvents: services.dockerEvents,
    features,
    log: services.log.child({ gateway: "agent" }),
    rateLimits: agentRateLimitsFromEnv(),
    onAuthenticated: (socket) => pending.trust(socket.conn),
  });
  const views = { registry: services.registry, rows: new HostRowCache(services) };
  server.once("close", () => views.rows.stop());
  attachBrowserGateway(io.of(BROWSER_NAMESPACE) as BrowserNamespace, {
    registry: services.registry,
    log: services.log.child({ gateway: "browser" }),
    accessChanges: services.accessChanges,
    operations: services.operations,
    dockerEvents: services.dockerEvents,
    features,
    authenticate: (headers, address) => resolveActor(services, headers, address),
    audit: (entry) => recordAudit(services.db, entry),
    clientAddress: (h) => clientIp(h.address, h.headers["x-forwarded-for"], services.config.trustedProxies) || null,
    hostViews: (hostIds) => hostViews(views, hostIds),
  });
  io.of(BROWSER_NAMESPACE).on("connection", (socket) => pending.trust(socket.conn)); // only signed-in browsers get this far
  const presence = new PresenceSweep({ db: services.db, registry: services.registry, log: services.log.child({ component: "presence" }), graceMs: services.config.reconnectGraceSeconds * 1000 });
  void presence.start().catch((err: unknown) => services.log.error({ err }, "presence sweep did not start"));
  server.once("close", () => presence.stop());
  return io;
}
