import type { CommandReply, ContainerCommand } from "../../protocol";
import type { Logger } from "../log";
import type { ContainerRuntime } from "../runtime/container-runtime";
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
  const fields = { commandId: envelope.commandId, action: command.action, containerId: command.params.containerId };
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

  const reply = await execute(deps.runtime, command);
  log.info("ran a command", { ...fields, ok: reply.ok, ...(reply.ok ? {} : { code: reply.error.code }) });
  await deps.recent.settle(envelope.commandId, reply).catch((err: Error) => {
    log.error("cannot record a command's outcome", { ...fields, error: err.message });
  });
  return reply;
}

async function execute(runtime: ContainerRuntime, command: ContainerCommand): Promise<CommandReply> {
  try {
    await runtime.runLifecycle(command);
    return { ok: true, data: null };
  } catch (err) {
    if (err instanceof RuntimeError) return failure(err.code, err.message);
    return failure("DOCKER_ERROR", (err as Error).message.slice(0, 1000));
  }
}

function failure(code: string, message: string): CommandReply {
  return { ok: false, error: { code, message } };
}
