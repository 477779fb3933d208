import {
  COMMAND_CLOCK_SKEW_MS,
  ZCommandReply,
  ZControlResults,
  firstIssue,
  parseAgentCommand,
  type AgentAction,
  type AgentCommand,
  type CommandEnvelope,
  type CommandOutcomeReport,
  type CommandProgress,
  type CommandReply,
  type UploadChunk,
  type UploadRead,
} from "../../../agents/protocol";
import type { Db } from "../../db/client";
import { AppError } from "../../errors";
import type { ServerKey } from "../../keys";
import type { Log } from "../../log";
import { AgentLinks } from "../../realtime/agent-links";
import { recordAudit } from "../audit/record-audit";
import { auditResult, commandAuditEntry, type AuditActor, type AuditWriter } from "./command-audit";
import { CommandStore, type CommandStatus, type CommandView } from "./command-store";
import { InFlight, type InFlightHooks } from "./in-flight";
import { signCommand } from "./sign-command";

export type { CommandView } from "./command-store";
export type CommandActor = { id: string; email: string; sourceIp: string | null };
export type CommandOutcome =
  | { status: "ok"; commandId: string; data: unknown }
  | { status: "error"; commandId: string; error: { code: string; message: string } }
  | { status: "unknown"; commandId: string; message: string };

export type CommandServiceDeps = {
  db: Db;
  serverKey: ServerKey;
  log: Log;
  links?: AgentLinks;
  /** recordAudit unless a test needs an audit log that fails. */
  audit?: AuditWriter;
  /** How long to wait for a reply beyond any stop grace period (default 30 s). */
  replyTimeoutMs?: number;
  /** How long a signed command stays valid for the agent (default 60 s). */
  lifetimeMs?: number;
  now?: () => number;
};

const DOCKER_DEFAULT_STOP_GRACE_S = 10;
const SETTLE_LATER = "the outcome will be settled when the agent reports it";

/**
 * Sends signed container commands to agents, exactly once: each is audited and stored before it is
 * sent, never resent, and settled by the agent's reply, a late reply, or the agent's outcome report.
 */
export class CommandService {
  readonly links: AgentLinks;
  private readonly store: CommandStore;
  private readonly audit: AuditWriter;
  private readonly now: () => number;
  /** Commands awaiting their reply that take progress reports or serve an upload. */
  private readonly inFlight = new InFlight();

  constructor(private readonly deps: CommandServiceDeps) {
    this.links = deps.links ?? new AgentLinks();
    this.store = new CommandStore(deps.db);
    this.audit = deps.audit ?? recordAudit;
    this.now = deps.now ?? Date.now;
  }

  /**
   * `auditParams` joins the "requested" entry (e.g. the isolation risks a privileged caller accepted);
   * `hooks` receive the agent's progress reports and serve an upload while the command runs.
   */
  async send(opts: {
    hostId: string;
    action: AgentAction;
    params: unknown;
    actor: CommandActor;
    auditParams?: Record<string, unknown>;
    hooks?: InFlightHooks;
  }): Promise<CommandOutcome> {
    const command = parseCommand(opts.action, opts.params);
    await this.requireHost(opts.hostId);
    const signed = signCommand(this.deps.serverKey, {
      hostId: opts.hostId,
      command,
      actorId: opts.actor.id,
      now: this.now(),
      lifetimeMs: this.deps.lifetimeMs ?? 60_000,
    });
    const { envelope } = signed;
    const who: AuditActor = { actorId: opts.actor.id, actor: opts.actor.email, sourceIp: opts.actor.sourceIp };
    if (!this.links.isOnline(opts.hostId)) return this.refuseOffline(envelope, who, false);

    try {
      await this.audit(this.deps.db, commandAuditEntry(envelope, who, "requested", opts.auditParams));
    } catch (err) {
      this.deps.log.error({ err, commandId: envelope.commandId }, "audit write failed; command not sent");
      throw new AppError("INTERNAL", "command refused: the audit log could not be written, so nothing was sent");
    }
    await this.store.create(envelope, "pending");

    const waitMs = (this.deps.replyTimeoutMs ?? 30_000) + extraWaitMs(command);
    const sent = this.links.request(opts.hostId, signed, waitMs, (late) => void this.settleLate(envelope, late, "late reply"));
    if (!sent) return this.refuseOffline(envelope, who, true); // went offline a moment ago: still nothing sent
    const release = this.inFlight.add(envelope.commandId, opts.hostId, opts.hooks ?? {});
    const result = await sent.finally(release);
    if (result.kind === "reply") return this.finish(envelope, who, result.reply);
    const why = result.kind === "timeout" ? `no reply from agent within ${Math.round(waitMs / 1000)} s` : "the link to the agent dropped before its reply";
    if (await this.store.markUnknown(envelope.commandId, "pending", failure("NO_REPLY", `${why}; ${SETTLE_LATER}`))) {
      await this.writeAudit(commandAuditEntry(envelope, who, "unknown"));
    }
    return this.outcome(envelope.commandId);
  }

  /** A progress report from the agent of `hostId`; reports about other hosts' commands are ignored. */
  progress(hostId: string, progress: CommandProgress): void {
    this.inFlight.progress(hostId, progress);
  }

  /** A slice of the upload of an in-flight import on `hostId`; refused for any other command or host. */
  readUpload(hostId: string, request: UploadRead): Promise<UploadChunk> {
    return this.inFlight.readUpload(hostId, request);
  }

  async get(commandId: string): Promise<CommandView> {
    const view = await this.store.get(commandId);
    if (!view) throw new AppError("NOT_FOUND", `no command ${commandId}`);
    return view;
  }

  /** Settles this host's open commands from what its agent remembers; called after each authentication. */
  async settleReported(hostId: string, report: CommandOutcomeReport): Promise<void> {
    const reported = new Map(report.outcomes.map((o) => [o.commandId, o.reply]));
    for (const open of await this.store.open(hostId)) {
      const reply = reported.get(open.commandId);
      if (reply) {
        await this.settleLate(open, reply, "agent report");
      } else if (reply === null && open.status === "unknown") {
        const note = failure("INTERRUPTED", "the agent stopped while running this command; check the container's state");
        await this.store.markUnknown(open.commandId, "unknown", note);
      } else if (reply === undefined && this.neverReceived(open, report)) {
        await this.settleLate(open, failure("EXPIRED", "the agent never received this command and it has expired; it did not run"), "agent report");
      }
    }
  }

  /** Not in the agent's memory, though recent enough to be there, and past the time it could still run. */
  private neverReceived(open: CommandView, report: CommandOutcomeReport): boolean {
    return open.issuedAt.getTime() > report.forgottenBefore && open.expiresAt.getTime() + COMMAND_CLOCK_SKEW_MS < this.now();
  }

  private async requireHost(hostId: string): Promise<void> {
    const host = await this.deps.db.host.findUnique({ where: { id: hostId }, select: { revokedAt: true } });
    if (!host) throw new AppError("NOT_FOUND", `no host ${hostId}`);
    if (host.revokedAt) throw new AppError("CONFLICT", "this host was revoked; it takes no commands");
  }

  /** Offline hosts are refused on the spot, never queued: a click made now must not run later. */
  private async refuseOffline(envelope: CommandEnvelope, who: AuditActor, stored: boolean): Promise<CommandOutcome> {
    const reply = failure("HOST_OFFLINE", "the host's agent is not connected; the command was not sent (commands are never queued)");
    if (stored) await this.store.settle(envelope.commandId, envelope.hostId, "error", reply);
    else await this.store.create(envelope, "error", reply);
    await this.writeAudit(commandAuditEntry(envelope, who, "error: HOST_OFFLINE"));
    return this.outcome(envelope.commandId);
  }

  private async finish(envelope: CommandEnvelope, who: AuditActor, raw: unknown): Promise<CommandOutcome> {
    const reply = parseReply(raw, envelope.action);
    const status = statusOf(reply);
    if (await this.store.settle(envelope.commandId, envelope.hostId, status, reply)) {
      await this.writeAudit(commandAuditEntry(envelope, who, auditResult(status, reply.ok ? null : reply.error.code)));
    }
    return this.outcome(envelope.commandId);
  }

  /** A settlement after send() returned: attributed to the agent that reported it. */
  private async settleLate(command: Pick<CommandView, "commandId" | "hostId" | "action" | "params" | "actorId">, raw: unknown, via: string) {
    const reply = parseReply(raw, command.action);
    const status = statusOf(reply);
    if (!(await this.store.settle(command.commandId, command.hostId, status, reply))) return;
    const who = { actorId: command.actorId, actor: `agent:${command.hostId}`, sourceIp: null };
    await this.writeAudit(commandAuditEntry(command, who, auditResult(status, reply.ok ? null : reply.error.code), { settledBy: via }));
  }

  /** The outcome entry is written after the fact: a failure is logged, the command already happened. */
  private async writeAudit(entry: Parameters<AuditWriter>[1]): Promise<void> {
    await this.audit(this.deps.db, entry).catch((err: unknown) => this.deps.log.error({ err, entry }, "audit write failed after a command"));
  }

  private async outcome(commandId: string): Promise<CommandOutcome> {
    return outcomeOf(await this.get(commandId));
  }
}

function parseCommand(action: AgentAction, params: unknown): AgentCommand {
  const parsed = parseAgentCommand(action, params);
  if (!parsed.success) throw new AppError("BAD_REQUEST", `invalid ${String(action)} command: ${firstIssue(parsed.error)}`);
  return parsed.data;
}

/** The agent's reply, and for control operations its data too, checked before anything believes it. */
function parseReply(raw: unknown, action: AgentAction): CommandReply {
  const parsed = ZCommandReply.safeParse(raw);
  if (!parsed.success) return failure("BAD_REPLY", `malformed reply from the agent: ${firstIssue(parsed.error)}`);
  const schema = (ZControlResults as Record<string, { safeParse(v: unknown): { success: boolean; data?: unknown; error?: unknown } }>)[action];
  if (!parsed.data.ok || !schema) return parsed.data;
  const data = schema.safeParse(parsed.data.data);
  return data.success ? { ok: true, data: data.data } : failure("BAD_REPLY", `malformed ${action} result from the agent`);
}

function statusOf(reply: CommandReply): "ok" | "error" | "expired" {
  if (reply.ok) return "ok";
  return reply.error.code === "EXPIRED" ? "expired" : "error";
}

/**
 * Docker waits this long before it kills a container being stopped (also when recreating); pulls and
 * imports move data. Our wait for the reply grows with each.
 */
function extraWaitMs(command: AgentCommand): number {
  switch (command.action) {
    case "stop":
    case "restart":
    case "container.recreate":
      return (command.params.timeout ?? DOCKER_DEFAULT_STOP_GRACE_S) * 1000;
    case "image.pull":
      return 30 * 60_000;
    case "image.import":
      return 10 * 60_000 + Math.ceil(command.params.sizeBytes / (1024 * 1024)) * 1000; // at least 1 MiB/s
    default:
      return 0;
  }
}

function failure(code: string, message: string): CommandReply {
  return { ok: false, error: { code, message } };
}

function outcomeOf(view: CommandView): CommandOutcome {
  const { commandId, result } = view;
  const status: CommandStatus = view.status;
  if (status === "ok") return { status: "ok", commandId, data: result?.ok ? result.data : null };
  if (status === "pending" || status === "unknown") return { status: "unknown", commandId, message: result && !result.ok ? result.error.message : SETTLE_LATER };
  return { status: "error", commandId, error: result && !result.ok ? result.error : { code: status.toUpperCase(), message: status } };
}
