import { ZCommandReply, type CommandEnvelope, type CommandReply, type AgentAction } from "../../../agents/protocol";
import type { Db } from "../../db/client";
import type { CommandModel } from "../../db/generated/models/Command";
import { redactParams } from "./command-audit";

export type CommandStatus = "pending" | "ok" | "error" | "unknown" | "expired";

/** One command as the API shows it. `result` is the agent's reply, or the server's note while unsettled. */
export type CommandView = {
  commandId: string;
  hostId: string;
  action: AgentAction;
  params: Record<string, unknown>;
  actorId: string | null;
  issuedAt: Date;
  expiresAt: Date;
  status: CommandStatus;
  result: CommandReply | null;
  settledAt: Date | null;
};

const OPEN: CommandStatus[] = ["pending", "unknown"];

/** Persistence of the Command table; every status change is conditional so the first settlement wins. */
export class CommandStore {
  constructor(private readonly db: Db) {}

  async create(envelope: CommandEnvelope, status: "pending" | "error", result: CommandReply | null = null): Promise<void> {
    await this.db.command.create({
      data: {
        id: envelope.commandId,
        hostId: envelope.hostId,
        action: envelope.action,
        params: JSON.stringify(redactParams(envelope.params)), // env values are secrets: never at rest
        actorId: envelope.actorId,
        issuedAt: new Date(envelope.issuedAt),
        expiresAt: new Date(envelope.expiresAt),
        status,
        result: result ? JSON.stringify(result) : null,
        settledAt: status === "pending" ? null : new Date(),
      },
    });
  }

  /** Final settlement from an agent reply; false when someone settled it first. */
  async settle(commandId: string, hostId: string, status: "ok" | "error" | "expired", result: CommandReply): Promise<boolean> {
    const { count } = await this.db.command.updateMany({
      where: { id: commandId, hostId, status: { in: OPEN } },
      data: { status, result: JSON.stringify(result), settledAt: new Date() },
    });
    return count === 1;
  }

  /** Marks a command whose outcome the server cannot know (yet); `from` guards against late races. */
  async markUnknown(commandId: string, from: "pending" | "unknown", note: CommandReply): Promise<boolean> {
    const { count } = await this.db.command.updateMany({
      where: { id: commandId, status: from },
      data: { status: "unknown", result: JSON.stringify(note) },
    });
    return count === 1;
  }

  async get(commandId: string): Promise<CommandView | null> {
    const row = await this.db.command.findUnique({ where: { id: commandId } });
    return row ? toView(row) : null;
  }

  /** Commands of one host still waiting for an outcome. */
  async open(hostId: string): Promise<CommandView[]> {
    const rows = await this.db.command.findMany({ where: { hostId, status: { in: OPEN } } });
    return rows.map(toView);
  }
}

function toView(row: CommandModel): CommandView {
  const result = row.result ? ZCommandReply.safeParse(JSON.parse(row.result)) : null;
  return {
    commandId: row.id,
    hostId: row.hostId,
    action: row.action as AgentAction,
    params: JSON.parse(row.params) as Record<string, unknown>,
    actorId: row.actorId,
    issuedAt: row.issuedAt,
    expiresAt: row.expiresAt,
    status: row.status as CommandStatus,
    result: result?.success ? result.data : null,
    settledAt: row.settledAt,
  };
}
