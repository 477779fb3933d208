import { io, type Socket } from "socket.io-client";
// Protocol parts by file, not the barrel: what the agent does not use until asked (terminal, logs,
// inspector, control schemas) is then never built (see scripts/build-agent.mjs).
import type { Ack, AgentToServerEvents, AuthResponse, ServerToAgentEvents } from "../protocol";
import { FATAL_AUTH_CODES } from "../protocol/events";
import { ZAuthChallenge, ZAuthResult } from "../protocol/messages";
import { AGENT_NAMESPACE, PROTOCOL_VERSION, challengePayload } from "../protocol/version";
import type { AgentFeature } from "./agent-feature";
import { CommandChannel } from "./commands/command-channel";
import { RecentCommands } from "./commands/recent-commands";
import type { AgentConfig } from "./config";
import { startEngineEvents } from "./engine-events";
import { agentFeatures } from "./features";
import { readEnrollment, writeEnrollment, type AgentIdentity, type Enrollment } from "./identity";
import { Inventory } from "./inventory";
import type { Logger } from "./log";
import { RECONNECT_OPTIONS, redialDelayMs } from "./reconnect-policy";
import type { ContainerRuntime } from "./runtime/container-runtime";

type AgentSocket = Socket<ServerToAgentEvents, AgentToServerEvents>;

export type AgentDeps = {
  config: AgentConfig;
  identity: AgentIdentity;
  runtime: ContainerRuntime;
  log: Logger;
  /** Called when the server refuses this agent for good (bad token, unknown key). */
  onFatal(message: string): void;
  /** Live features (default: every feature in features.ts). */
  features?: AgentFeature[];
};

export type RunningAgent = { stop(): void; readonly socket: AgentSocket; readonly features: readonly AgentFeature[] };

const ACK_TIMEOUT_MS = 30_000;

/** Dials the server, authenticates, and streams the inventory while connected. Reconnects forever. */
export async function startAgent(deps: AgentDeps): Promise<RunningAgent> {
  const { config, identity, log } = deps;
  let enrollment: Enrollment | null = await readEnrollment(config.stateDir);
  if (!enrollment && !config.enrollToken) {
    throw new Error(`agent is not enrolled (no state in ${config.stateDir}): set PORTOLAN_ENROLL_TOKEN from "Add host"`);
  }
  if (enrollment && config.enrollToken) log.info("already enrolled; ignoring PORTOLAN_ENROLL_TOKEN", { hostId: enrollment.hostId });
  const configuredUrl = config.serverUrl ?? enrollment?.serverUrl;
  if (!configuredUrl) throw new Error("set PORTOLAN_URL to the Portolan server's URL");
  const serverUrl: string = configuredUrl;
  const recent = await RecentCommands.load(config.stateDir);

  const socket: AgentSocket = io(serverUrl + AGENT_NAMESPACE, {
    transports: ["websocket"],
    extraHeaders: { origin: new URL(serverUrl).origin },
    ...RECONNECT_OPTIONS,
  });
  const commands = new CommandChannel(socket, { runtime: deps.runtime, recent, log });
  let authenticated = false;
  const features = deps.features ?? agentFeatures({ config, log });
  for (const feature of features) feature.start({ socket, config, log, isAuthenticated: () => authenticated });
  let stopped = false;
  let retryTimer: NodeJS.Timeout | null = null;
  let attempts = 0;

  const inventory = new Inventory(
    deps.runtime,
    {
      snapshot: (snapshot) => {
        if (!authenticated) return;
        socket
          .timeout(ACK_TIMEOUT_MS)
          .emitWithAck("host:snapshot", snapshot)
          .then((ack: Ack<null>) => {
            if (!ack.ok) log.warn("server refused snapshot", { error: ack.error.message });
            else log.debug("snapshot delivered", { generation: snapshot.generation, containers: snapshot.containers.length });
          })
          .catch((err: Error) => log.warn("snapshot not acknowledged", { error: err.message }));
      },
      change: (change) => {
        if (authenticated) socket.emit("container:change", change);
      },
    },
    log,
  );

  // Every engine event (all types) for the timeline; kept while disconnected, sent once authenticated.
  const engineEvents = startEngineEvents({
    dockerHost: config.dockerHost,
    log,
    send: async (batch) => {
      if (!authenticated) return "retry";
      const ack: Ack<null> = await socket.timeout(ACK_TIMEOUT_MS).emitWithAck("engine:events", batch);
      if (ack.ok) return "delivered";
      log.warn("server refused engine events", { error: ack.error.message });
      return ack.error.code === "BAD_REQUEST" ? "rejected" : "retry";
    },
  });

  /** socket.io does not reconnect after a server-side disconnect: do it ourselves, with jitter. */
  const reconnectLater = () => {
    if (stopped || retryTimer) return;
    const delay = redialDelayMs(attempts++);
    retryTimer = setTimeout(() => {
      retryTimer = null;
      if (!stopped && !socket.connected) socket.connect();
    }, delay);
  };

  socket.on("auth:challenge", (raw) => {
    const step = onChallenge(raw).catch((err: Error) => {
      log.error("authentication step failed; retrying", { error: err.message });
      socket.disconnect();
      reconnectLater();
    });
    commands.authenticatingWith(step);
  });

  async function onChallenge(raw: unknown): Promise<void> {
    const challenge = ZAuthChallenge.safeParse(raw);
    if (!challenge.success) {
      log.error("malformed challenge from server; disconnecting");
      socket.disconnect();
      reconnectLater();
      return;
    }
    const { nonce, serverPublicKey } = challenge.data;
    if (enrollment && enrollment.serverPublicKey !== serverPublicKey) {
      deps.onFatal("server key differs from the one pinned at enrollment; refusing to talk to this server");
      return;
    }
    const signature = identity.sign(challengePayload(nonce));
    const response: AuthResponse = enrollment
      ? { mode: "key", protocolVersion: PROTOCOL_VERSION, publicKey: identity.publicKey, signature }
      : { mode: "enroll", protocolVersion: PROTOCOL_VERSION, token: config.enrollToken ?? "", publicKey: identity.publicKey, signature };
    let ack: Ack<unknown>;
    try {
      ack = await socket.timeout(ACK_TIMEOUT_MS).emitWithAck("auth:response", response);
    } catch {
      log.warn("authentication not acknowledged; retrying");
      socket.disconnect();
      reconnectLater();
      return;
    }
    if (!ack.ok) {
      if ((FATAL_AUTH_CODES as readonly string[]).includes(ack.error.code)) {
        deps.onFatal(`server refused this agent: ${ack.error.message} (${ack.error.code})`);
        return;
      }
      log.warn("authentication failed; retrying", { error: ack.error.message, code: ack.error.code });
      socket.disconnect();
      reconnectLater();
      return;
    }
    const parsedResult = ZAuthResult.safeParse(ack.data);
    if (!parsedResult.success) throw new Error("malformed authentication result from server");
    const result = parsedResult.data;
    if (!enrollment) {
      enrollment = {
        hostId: result.hostId,
        hostName: result.hostName,
        serverUrl,
        serverPublicKey,
        enrolledAt: new Date().toISOString(),
      };
      await writeEnrollment(config.stateDir, enrollment);
      log.info("enrolled", { hostId: result.hostId, hostName: result.hostName });
    }
    attempts = 0;
    authenticated = true;
    log.info("connected", { hostId: result.hostId, server: serverUrl });
    commands.connected(result.hostId, enrollment.serverPublicKey);
    inventory.requestSnapshot();
    engineEvents.resume();
    for (const feature of features) feature.connected?.(result.hostId);
  }

  socket.on("disconnect", (reason) => {
    authenticated = false;
    for (const feature of features) feature.disconnected?.();
    if (stopped) return;
    log.warn("disconnected from server", { reason });
    if (reason === "io server disconnect") reconnectLater();
  });
  socket.on("connect_error", (err) => log.warn("cannot reach server; retrying", { error: err.message }));

  inventory.start();
  return {
    socket,
    features,
    stop() {
      stopped = true;
      if (retryTimer) clearTimeout(retryTimer);
      inventory.stop();
      engineEvents.stop();
      for (const feature of features) feature.stop();
      socket.disconnect();
    },
  };
}

