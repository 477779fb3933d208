import type http from "node:http";
import { Server } from "socket.io";
import { AGENT_NAMESPACE, MAX_MESSAGE_BYTES } from "../../agents/protocol";
import { resolveActor } from "../auth/resolve-actor";
import { recordAudit } from "../domain/audit/record-audit";
import { clientIp } from "../http/client-ip";
import type { Services } from "../services";
import { attachAgentGateway, type AgentNamespace } from "./agent-gateway";
import { attachBrowserGateway, type BrowserNamespace } from "./browser-gateway";
import { realtimeFeatures } from "./features";

export const BROWSER_NAMESPACE = "/live";

/** socket.io on the same http.Server as Next: /agent for agents, /live for browsers. */
export function attachRealtime(server: http.Server, services: Services): Server {
  const pingInterval = Math.max(2_000, Math.floor((services.config.agentTimeoutSeconds * 1000) / 2));
  const io = new Server(server, {
    serveClient: false,
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    pingInterval,
    pingTimeout: pingInterval,
    connectTimeout: 15_000,
  });
  const features = realtimeFeatures(services);
  attachAgentGateway(io.of(AGENT_NAMESPACE) as AgentNamespace, {
    db: services.db,
    registry: services.registry,
    serverKey: services.serverKey,
    commands: services.commands,
    dockerEvents: services.dockerEvents,
    features,
    log: services.log.child({ gateway: "agent" }),
  });
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
  });
  return io;
}
