import {
  ZTerminalExit,
  ZTerminalOutput,
  type TerminalClose,
  type TerminalExit,
  type TerminalInput,
  type TerminalOpenRequest,
  type TerminalOutput,
  type TerminalResize,
} from "../../agents/protocol/terminal";
import { can } from "../auth/access";
import type { Actor } from "../auth/resolve-actor";
import { AppError } from "../errors";
import { TerminalService, type TerminalRequester, type TerminalViewer } from "../domain/terminal/terminal-service";
import type { Services } from "../services";
import { defineFeature, type BrowserSocket } from "./realtime-feature";

const BROWSER_ACK_TIMEOUT_MS = 30_000;

/**
 * Web terminals for browsers. The gateway has checked container:exec on the host named in
 * "terminal:open" and re-resolved the caller on every event; here input, resize and close must name
 * a session this very socket opened, and container:exec must still hold on its host.
 */
export function terminalFeature(services: Services, terminals = newTerminalService(services)) {
  const viewer = (socket: BrowserSocket): TerminalViewer => ({
    id: socket.id,
    async output(out: TerminalOutput) {
      if (!socket.connected) throw new Error("socket closed");
      await socket.timeout(BROWSER_ACK_TIMEOUT_MS).emitWithAck("terminal:output", out);
    },
    exit: (exit: TerminalExit) => void socket.emit("terminal:exit", exit),
  });
  const requester = (socket: BrowserSocket, actor: Actor): TerminalRequester => ({ viewerId: socket.id, actorId: actor.id, actor: actor.email, sourceIp: socket.data.address });
  const mayExec = (actor: Actor) => (hostId: string) => can(actor.access, "container:exec", hostId);

  return defineFeature({
    name: "terminal",
    agentEvents: {
      "terminal:output": {
        schema: ZTerminalOutput,
        // The reply is the agent's ack: it comes once the browser rendered the output, or as an error that ends the session there.
        async handle(hostId: string, out: TerminalOutput) {
          const result = await terminals.fromAgentOutput(hostId, out);
          if (!result.ok) throw new AppError("NOT_FOUND", result.error.message);
          return null;
        },
      },
      "terminal:exit": { schema: ZTerminalExit, handle: (hostId: string, exit: TerminalExit) => terminals.fromAgentExit(hostId, exit) },
    },
    browserEvents: {
      "terminal:open": async ({ socket, actor, data }) => {
        const caller = { actorId: actor.id, actor: actor.email, sourceIp: socket.data.address, viewer: viewer(socket) };
        // A tab that goes while the agent opens ends the session through browserDisconnected.
        return terminals.open(caller, data as TerminalOpenRequest);
      },
      "terminal:input": ({ socket, actor, data }) => terminals.input(requester(socket, actor), data as TerminalInput, mayExec(actor)),
      "terminal:resize": ({ socket, actor, data }) => terminals.resize(requester(socket, actor), data as TerminalResize, mayExec(actor)),
      "terminal:close": ({ socket, actor, data }) => terminals.close(requester(socket, actor), (data as TerminalClose).sessionId),
    },
    recheckBrowser(socket, actor) {
      for (const sessionId of terminals.recheck(socket.id, mayExec(actor))) {
        socket.emit("stream:ended", { stream: `terminal:${sessionId}`, reason: "your access to terminals on this host was removed" });
      }
    },
    browserDisconnected: (socket) => terminals.viewerGone(socket.id),
    agentDisconnected: (hostId) => terminals.hostGone(hostId),
  });
}

function newTerminalService(services: Services): TerminalService {
  return new TerminalService({
    db: services.db,
    links: services.commands.links,
    registry: services.registry,
    serverKey: services.serverKey,
    log: services.log.child({ feature: "terminal" }),
    idleSeconds: () => services.config.terminalIdleSeconds,
  });
}
