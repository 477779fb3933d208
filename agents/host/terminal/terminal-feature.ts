import Docker from "dockerode";
import type { Ack, TerminalOpened } from "../../protocol";
import { firstIssue } from "../../protocol/commands";
import { ZAgentTerminalClose, ZAgentTerminalInput, ZTerminalResize } from "../../protocol/terminal";
import type { AgentFeature, AgentSocket } from "../agent-feature";
import type { AgentConfig } from "../config";
import { readEnrollment } from "../identity";
import type { Logger } from "../log";
import { dockerOptions } from "../runtime/docker-runtime";
import { AgentTerminal } from "./agent-terminal";
import { openTerminalProcess, TerminalOpenError, type DockerClients } from "./docker-terminal";
import { OneTimeIds, verifyTerminalOpen } from "./verify-terminal-open";

const MAX_SESSIONS = 64;
type Link = { hostId: string; serverPublicKey: string };

/**
 * Web terminals on this host: opens only what the server signed (once, while fresh), and ends every
 * session when the link to the server drops: nobody could see or close them any more.
 */
export function terminalFeature(deps: { config: AgentConfig; log: Logger }): AgentFeature {
  const startedAt = Date.now();
  const ids = new OneTimeIds();
  const sessions = new Map<string, AgentTerminal>();
  const log = deps.log;
  let link: Promise<Link | null> = Promise.resolve(null);
  let docker: DockerClients | null = null;
  let socket: AgentSocket | null = null;

  const closeAll = (reason: string) => {
    for (const session of [...sessions.values()]) void session.close(reason);
  };

  async function open(raw: unknown, reply: (r: Ack<TerminalOpened>) => void, isAuthenticated: () => boolean): Promise<void> {
    const current = await link;
    if (!current || !isAuthenticated() || !docker || !socket) return reply({ ok: false, error: { code: "NOT_READY", message: "agent has not authenticated the server yet" } });
    const now = Date.now();
    const verified = verifyTerminalOpen(raw, { ...current, now, startedAt });
    if (!verified.ok) {
      log.warn("terminal open refused", { code: verified.error.code });
      return reply(verified);
    }
    const { envelope } = verified;
    if (!ids.claim(envelope.sessionId, envelope.expiresAt, now)) return reply({ ok: false, error: { code: "REPLAYED", message: "this terminal open was already used" } });
    if (sessions.size >= MAX_SESSIONS) return reply({ ok: false, error: { code: "TOO_MANY", message: `this host already has ${MAX_SESSIONS} open terminals` } });
    try {
      const proc = await openTerminalProcess(docker, envelope);
      const session = new AgentTerminal(envelope.sessionId, proc, socket, log, () => sessions.delete(envelope.sessionId));
      sessions.set(envelope.sessionId, session);
      log.info("terminal opened", { sessionId: envelope.sessionId, containerId: envelope.containerId, mode: envelope.mode });
      reply({ ok: true, data: { cmd: proc.cmd } });
    } catch (err) {
      const body = err instanceof TerminalOpenError ? err.body : { code: "INTERNAL", message: "could not open the terminal" };
      if (!(err instanceof TerminalOpenError)) log.error("terminal open failed", { error: (err as Error).message });
      reply({ ok: false, error: body });
    }
  }

  return {
    name: "terminal",
    start(ctx) {
      socket = ctx.socket;
      docker = { api: new Docker(dockerOptions(ctx.config.dockerHost)), streams: new Docker({ ...dockerOptions(ctx.config.dockerHost), timeout: undefined }) };
      ctx.socket.on("terminal:open", (raw: unknown, ack: unknown) => {
        const reply = typeof ack === "function" ? (ack as (r: Ack<TerminalOpened>) => void) : () => undefined;
        void open(raw, reply, ctx.isAuthenticated);
      });
      ctx.socket.on("terminal:input", (raw: unknown) => {
        const input = ZAgentTerminalInput.safeParse(raw);
        if (!input.success) return log.warn("malformed terminal input dropped", { issue: firstIssue(input.error) });
        sessions.get(input.data.sessionId)?.write(input.data.data);
      });
      ctx.socket.on("terminal:resize", (raw: unknown) => {
        const resize = ZTerminalResize.safeParse(raw);
        if (!resize.success) return log.warn("malformed terminal resize dropped", { issue: firstIssue(resize.error) });
        sessions.get(resize.data.sessionId)?.resize(resize.data.cols, resize.data.rows);
      });
      ctx.socket.on("terminal:close", (raw: unknown) => {
        const close = ZAgentTerminalClose.safeParse(raw);
        if (!close.success) return log.warn("malformed terminal close dropped", { issue: firstIssue(close.error) });
        void sessions.get(close.data.sessionId)?.close(close.data.reason);
      });
    },
    connected(hostId) {
      link = readEnrollment(deps.config.stateDir).then(
        (e) => (e ? { hostId, serverPublicKey: e.serverPublicKey } : null),
        (err: Error) => {
          log.error("terminals disabled: enrollment state unreadable", { error: err.message });
          return null;
        },
      );
    },
    disconnected() {
      link = Promise.resolve(null);
      closeAll("the link to the server dropped");
    },
    stop() {
      link = Promise.resolve(null);
      closeAll("the agent is stopping");
    },
  };
}
