import crypto from "node:crypto";
import {
  ZCommandReply,
  ZTerminalOpened,
  firstIssue,
  type TerminalExit,
  type TerminalInput,
  type TerminalOpenRequest,
  type TerminalOutput,
  type TerminalResize,
} from "../../../agents/protocol";
import type { Db } from "../../db/client";
import type { Log } from "../../log";
import type { ServerKey } from "../../keys";
import type { AgentLinks } from "../../realtime/agent-links";
import type { HostRegistry } from "../../realtime/host-registry";
import { recordAudit, type AuditEntry } from "../audit/record-audit";
import { IdleTimer } from "./idle-timer";
import { InputOrder } from "./input-order";
import { signTerminalOpen } from "./sign-terminal-open";
import { terminalAuditEntry, type AuditedTerminal } from "./terminal-audit";

/** Where a session's output and end go: one browser connection. */
export type TerminalViewer = {
  id: string;
  /** Resolves once the browser has taken the output in; rejects when it will not. */
  output(out: TerminalOutput): Promise<void>;
  exit(exit: TerminalExit): void;
};
export type TerminalCaller = { actorId: string; actor: string; sourceIp: string | null; viewer: TerminalViewer };
/** Who sends an event about an existing session: the connection and the person behind it. */
export type TerminalRequester = { viewerId: string; actorId: string; actor: string; sourceIp: string | null };
export type TerminalResult<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };

export type TerminalServiceDeps = {
  db: Db;
  links: AgentLinks;
  registry: HostRegistry;
  serverKey: ServerKey;
  log: Log;
  /** Read at each open, so a changed setting applies to the next session. */
  idleSeconds(): number;
  audit?: (db: Db, entry: AuditEntry) => Promise<unknown>;
};

type Session = AuditedTerminal & {
  caller: TerminalCaller;
  openedAt: number;
  state: "opening" | "open" | "ended";
  idle: IdleTimer | null;
  input: InputOrder;
};

const OPEN_TIMEOUT_MS = 20_000;
const MAX_SESSIONS_PER_VIEWER = 8;
const fail = (code: string, message: string) => ({ ok: false as const, error: { code, message } });
const NOT_YOURS = fail("NOT_FOUND", "no such terminal session on this connection");

/**
 * Web terminal sessions between browsers and agents. A session belongs to the one browser
 * connection that opened it: input, resize and close from any other connection are refused.
 * Every open is audited before the agent is asked, and every end (whatever its cause) after.
 */
export class TerminalService {
  private readonly sessions = new Map<string, Session>();
  private readonly audit: NonNullable<TerminalServiceDeps["audit"]>;

  constructor(private readonly deps: TerminalServiceDeps) {
    this.audit = deps.audit ?? recordAudit;
  }

  async open(caller: TerminalCaller, req: TerminalOpenRequest): Promise<TerminalResult<{ sessionId: string; cmd: string[] | null }>> {
    const { links, registry } = this.deps;
    if (!links.isOnline(req.hostId)) return fail("HOST_OFFLINE", "the host's agent is not connected");
    const known = registry.get(req.hostId);
    const container = known && [...known.containers.values()].find((c) => c.id.startsWith(req.containerId) || c.name === req.containerId);
    if (!container) return fail("NOT_FOUND", `no container ${req.containerId} on this host`);
    if (container.state !== "running") return fail("CONFLICT", `the container is ${container.state}; a terminal needs it running`);
    if (this.sessionsOf(caller.viewer.id).length >= MAX_SESSIONS_PER_VIEWER) return fail("TOO_MANY", `at most ${MAX_SESSIONS_PER_VIEWER} terminals per tab`);

    const session: Session = {
      id: crypto.randomUUID(),
      hostId: req.hostId,
      containerId: container.id,
      containerName: container.name,
      mode: req.mode,
      cmd: req.mode === "exec" ? (req.cmd ?? null) : null,
      user: req.mode === "exec" ? (req.user ?? null) : null,
      caller,
      openedAt: Date.now(),
      state: "opening",
      idle: null,
      input: new InputOrder(),
    };
    try {
      await this.audit(this.deps.db, terminalAuditEntry(session, "terminal.start", "requested", {}));
    } catch (err) {
      this.deps.log.error({ err }, "audit write failed; terminal not opened");
      return fail("INTERNAL", "the audit log could not be written, so no terminal was opened");
    }
    this.sessions.set(session.id, session);

    const signed = signTerminalOpen(
      this.deps.serverKey,
      { sessionId: session.id, hostId: session.hostId, containerId: session.containerId, mode: session.mode, cmd: session.cmd, user: session.user, cols: req.cols, rows: req.rows, actorId: caller.actorId },
      Date.now(),
    );
    const sent = await (links.send(req.hostId, "terminal:open", signed, OPEN_TIMEOUT_MS) ?? Promise.resolve({ kind: "dropped" as const }));
    const reply = sent.kind === "reply" ? parseOpenReply(sent.reply) : fail("HOST_OFFLINE", sent.kind === "timeout" ? "the agent did not answer in time" : "the host's agent disconnected");
    if (!reply.ok) {
      if (session.state !== "ended") {
        this.sessions.delete(session.id);
        session.state = "ended";
        this.writeEnd(session, null, `could not open: ${reply.error.message}`, `error: ${reply.error.code}`);
      }
      return reply;
    }
    if (session.state === "ended") {
      // The tab went away while the agent was opening: end what it opened.
      links.emit(session.hostId, "terminal:close", { sessionId: session.id, reason: "the browser left before the terminal opened" });
      return fail("GONE", "the terminal was closed while it opened");
    }
    session.state = "open";
    session.cmd = reply.data.cmd;
    const idleSeconds = this.deps.idleSeconds();
    session.idle = new IdleTimer(idleSeconds * 1000, () => this.end(session, { reason: `closed after ${idleSeconds} s without input or output`, tellAgent: true, tellViewer: true }));
    return { ok: true, data: { sessionId: session.id, cmd: session.cmd } };
  }

  async input(from: TerminalRequester, msg: TerminalInput, mayExec: (hostId: string) => boolean): Promise<TerminalResult<null>> {
    const session = await this.owned(from, msg.sessionId, "terminal:input");
    if (!session) return NOT_YOURS;
    if (!this.stillAllowed(session, mayExec)) return fail("FORBIDDEN", "you no longer hold container:exec on this host");
    const ready = session.input.accept(msg.seq, msg.data);
    if (!ready) {
      this.end(session, { reason: "input arrived too far out of order", tellAgent: true, tellViewer: true });
      return fail("BAD_REQUEST", "input arrived too far out of order; the terminal was closed");
    }
    if (ready.length) session.idle?.touch();
    for (const data of ready) this.deps.links.emit(session.hostId, "terminal:input", { sessionId: session.id, data });
    return { ok: true, data: null };
  }

  async resize(from: TerminalRequester, msg: TerminalResize, mayExec: (hostId: string) => boolean): Promise<TerminalResult<null>> {
    const session = await this.owned(from, msg.sessionId, "terminal:resize");
    if (!session) return NOT_YOURS;
    if (!this.stillAllowed(session, mayExec)) return fail("FORBIDDEN", "you no longer hold container:exec on this host");
    this.deps.links.emit(session.hostId, "terminal:resize", msg);
    return { ok: true, data: null };
  }

  async close(from: TerminalRequester, sessionId: string): Promise<TerminalResult<null>> {
    const session = await this.owned(from, sessionId, "terminal:close");
    if (!session) return NOT_YOURS;
    this.end(session, { reason: "closed by the user", tellAgent: true, tellViewer: true });
    return { ok: true, data: null };
  }

  /** Output from the agent of `hostId`; resolves once the browser took it (that is the agent's ack). */
  async fromAgentOutput(hostId: string, out: TerminalOutput): Promise<TerminalResult<null>> {
    const session = this.sessions.get(out.sessionId);
    if (!session || session.hostId !== hostId || session.state === "ended") return fail("NOT_FOUND", "no such terminal session");
    session.idle?.touch();
    try {
      await session.caller.viewer.output(out);
    } catch {
      this.end(session, { reason: "the browser stopped reading the output", tellAgent: true, tellViewer: true });
      return fail("GONE", "the browser stopped reading the output");
    }
    session.idle?.touch();
    return { ok: true, data: null };
  }

  /** The process ended on the agent's side. Reports about other hosts' sessions are ignored. */
  fromAgentExit(hostId: string, exit: TerminalExit): void {
    const session = this.sessions.get(exit.sessionId);
    if (!session || session.hostId !== hostId) return;
    this.end(session, { reason: exit.reason, code: exit.code, tellAgent: false, tellViewer: true });
  }

  /** The browser connection went away (tab closed): its processes end with it. */
  viewerGone(viewerId: string): void {
    for (const session of this.sessionsOf(viewerId)) this.end(session, { reason: "the browser tab closed", tellAgent: true, tellViewer: false });
  }

  hostGone(hostId: string): void {
    for (const session of [...this.sessions.values()].filter((s) => s.hostId === hostId)) {
      this.end(session, { reason: "the host's agent disconnected", tellAgent: false, tellViewer: true });
    }
  }

  /** Ends the viewer's sessions on hosts where the caller lost container:exec; returns their ids. */
  recheck(viewerId: string, mayExec: (hostId: string) => boolean): string[] {
    const lost = this.sessionsOf(viewerId).filter((s) => !mayExec(s.hostId));
    for (const session of lost) this.end(session, { reason: "your access to terminals on this host was removed", tellAgent: true, tellViewer: true });
    return lost.map((s) => s.id);
  }

  sessionsOf(viewerId: string): Session[] {
    return [...this.sessions.values()].filter((s) => s.caller.viewer.id === viewerId);
  }

  /** The session if this viewer opened it; another viewer's attempt is audited (ids are never shared). */
  private async owned(from: TerminalRequester, sessionId: string, event: string): Promise<Session | null> {
    const session = this.sessions.get(sessionId);
    if (!session || session.state === "ended") return null;
    if (session.caller.viewer.id === from.viewerId) return session;
    this.deps.log.warn({ sessionId, event, user: from.actor }, "terminal event for another connection's session refused");
    const denied = { actorId: from.actorId, actor: from.actor, sourceIp: from.sourceIp, hostId: session.hostId, action: "authz.denied", target: `live:${event}` };
    await this.audit(this.deps.db, { ...denied, params: { sessionId, reason: "a terminal session of another connection" }, result: "denied" }).catch(
      (err) => this.deps.log.error({ err }, "audit write failed"),
    );
    return null;
  }

  private stillAllowed(session: Session, mayExec: (hostId: string) => boolean): boolean {
    if (mayExec(session.hostId)) return true;
    this.end(session, { reason: "your access to terminals on this host was removed", tellAgent: true, tellViewer: true });
    return false;
  }

  private end(session: Session, how: { reason: string; code?: number | null; tellAgent: boolean; tellViewer: boolean }): void {
    if (session.state === "ended") return;
    const wasOpen = session.state === "open";
    session.state = "ended";
    session.idle?.stop();
    this.sessions.delete(session.id);
    if (how.tellAgent && wasOpen) this.deps.links.emit(session.hostId, "terminal:close", { sessionId: session.id, reason: how.reason.slice(0, 500) });
    if (how.tellViewer) session.caller.viewer.exit({ sessionId: session.id, code: how.code ?? null, reason: how.reason });
    this.writeEnd(session, how.code ?? null, how.reason, "ok");
  }

  /** Written after the fact: a failure is logged (the session already ended). Never any terminal I/O. */
  private writeEnd(session: Session, exitCode: number | null, reason: string, result: string): void {
    const durationMs = Date.now() - session.openedAt;
    this.audit(this.deps.db, terminalAuditEntry(session, "terminal.end", result, { durationMs, exitCode, reason })).catch((err) =>
      this.deps.log.error({ err, sessionId: session.id }, "audit write failed after a terminal ended"),
    );
  }
}

function parseOpenReply(raw: unknown): TerminalResult<{ cmd: string[] | null }> {
  const reply = ZCommandReply.safeParse(raw);
  if (!reply.success) return fail("BAD_REPLY", `the agent's answer to the open was malformed: ${firstIssue(reply.error)}`);
  if (!reply.data.ok) return fail(reply.data.error.code, reply.data.error.message.slice(0, 500));
  const opened = ZTerminalOpened.safeParse(reply.data.data);
  return opened.success ? { ok: true, data: opened.data } : fail("BAD_REPLY", `the agent's answer to the open was malformed: ${firstIssue(opened.error)}`);
}
