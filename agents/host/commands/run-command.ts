import type { AgentCommand, CommandReply, ContainerCommand } from "../../protocol";
import { ZContainerAction } from "../../protocol/commands";
import type { Logger } from "../log";
import type { ContainerRuntime, ControlIo } from "../runtime/container-runtime";
import { RuntimeError } from "../runtime/runtime-error";
import type { RecentCommands } from "./recent-commands";
import { verifyCommand } from "./verify-command";

export type CommandRunnerDeps = {
  runtime: ContainerRuntime;
  recent: RecentCommands;
  log: Logger;
  /** The server key pinned at enrollment and the host id the server authenticated us as. */
  serverPublicKey: string;
  hostId: string;
  now?: () => number;
  /** Progress out and upload slices in, for the command being run (pull, import). */
  io?: (commandId: string) => ControlIo;
};

const NO_IO: ControlIo = {
  progress: () => undefined,
  readUpload: () => Promise.reject(new Error("no upload channel")),
  chunkBytes: 1,
};

/** Verifies a signed command, runs it at most once, and records the outcome before replying. */
export async function runSignedCommand(raw: unknown, deps: CommandRunnerDeps): Promise<CommandReply> {
  const { log } = deps;
  const verified = verifyCommand(raw, { serverPublicKey: deps.serverPublicKey, hostId: deps.hostId, now: (deps.now ?? Date.now)() });
  if (!verified.ok) {
    log.warn("refused a command", { code: verified.error.code, reason: verified.error.message });
    return verified;
  }
  const { envelope, command } = verified.value;
  const ref = command.params as { containerId?: string; imageId?: string; name?: string; networkId?: string; reference?: string };
  const fields = { commandId: envelope.commandId, action: command.action, target: ref.containerId ?? ref.imageId ?? ref.networkId ?? ref.name ?? ref.reference };
  let claim;
  try {
    claim = await deps.recent.claim(envelope.commandId, envelope.issuedAt);
  } catch (err) {
    log.error("cannot record a command; not running it", { ...fields, error: (err as Error).message });
    const refused = failure("STATE_UNAVAILABLE", `the agent cannot record commands in its state directory, so it did not run this one: ${(err as Error).message}`);
    await deps.recent.settle(envelope.commandId, refused).catch(() => undefined); // remembered in memory at least
    return refused;
  }
  if (claim === "replayed") {
    log.warn("refused a replayed command", fields);
    return failure("REPLAYED", `command ${envelope.commandId} was already received; a command never runs twice`);
  }
  if (claim === "forgotten") return failure("TOO_OLD", "command is older than the agent's record of past commands");

  const reply = await execute(deps.runtime, command, deps.io?.(envelope.commandId) ?? NO_IO);
  log.info("ran a command", { ...fields, ok: reply.ok, ...(reply.ok ? {} : { code: reply.error.code }) });
  await deps.recent.settle(envelope.commandId, reply).catch((err: Error) => {
    log.error("cannot record a command's outcome", { ...fields, error: err.message });
  });
  return reply;
}

async function execute(runtime: ContainerRuntime, command: AgentCommand, io: ControlIo): Promise<CommandReply> {
  try {
    if (isLifecycle(command)) {
      await runtime.runLifecycle(command);
      return { ok: true, data: null };
    }
    return { ok: true, data: (await runtime.runControl(command, io)) ?? null };
  } catch (err) {
    if (err instanceof RuntimeError) return failure(err.code, err.message);
    return failure("DOCKER_ERROR", (err as Error).message.slice(0, 1000));
  }
}

function failure(code: string, message: string): CommandReply {
  return { ok: false, error: { code, message } };
}

function isLifecycle(command: AgentCommand): command is ContainerCommand {
  return (ZContainerAction.options as readonly string[]).includes(command.action);
}
