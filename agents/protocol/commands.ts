import { z } from "zod";
import { PROTOCOL_VERSION } from "./version";

/**
 * A container as a command names it: a full 64-hex id, a 12+ hex prefix, or a Docker name.
 * Nothing else may reach a Docker API path: no slashes, no percent-escapes, nothing over 128 chars.
 */
export const CONTAINER_NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/;
export const ZContainerRef = z
  .string()
  .max(128, "container reference too long")
  .regex(/^(?:[a-f0-9]{12,64}|[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127})$/, "not a container id or name");

/** The signals an operator may send; anything else is refused rather than passed to the kernel. */
export const KILL_SIGNALS = ["SIGHUP", "SIGINT", "SIGQUIT", "SIGKILL", "SIGUSR1", "SIGUSR2", "SIGTERM", "SIGWINCH"] as const;

export const ZStopTimeout = z.number().int().min(0).max(600).optional(); // seconds Docker waits before SIGKILL

export const ZCommandParams = {
  start: z.strictObject({ containerId: ZContainerRef }),
  stop: z.strictObject({ containerId: ZContainerRef, timeout: ZStopTimeout }),
  restart: z.strictObject({ containerId: ZContainerRef, timeout: ZStopTimeout }),
  kill: z.strictObject({ containerId: ZContainerRef, signal: z.enum(KILL_SIGNALS).optional() }),
  pause: z.strictObject({ containerId: ZContainerRef }),
  unpause: z.strictObject({ containerId: ZContainerRef }),
  remove: z.strictObject({ containerId: ZContainerRef, force: z.boolean().optional(), volumes: z.boolean().optional() }),
  rename: z.strictObject({ containerId: ZContainerRef, name: z.string().regex(CONTAINER_NAME_PATTERN, "not a valid container name") }),
} as const;

export const ZContainerAction = z.enum(["start", "stop", "restart", "kill", "pause", "unpause", "remove", "rename"]);
export type ContainerAction = z.infer<typeof ZContainerAction>;

/** The allow-list: one action and the params that action accepts, nothing else. */
export const ZContainerCommand = z.discriminatedUnion("action", [
  z.object({ action: z.literal("start"), params: ZCommandParams.start }),
  z.object({ action: z.literal("stop"), params: ZCommandParams.stop }),
  z.object({ action: z.literal("restart"), params: ZCommandParams.restart }),
  z.object({ action: z.literal("kill"), params: ZCommandParams.kill }),
  z.object({ action: z.literal("pause"), params: ZCommandParams.pause }),
  z.object({ action: z.literal("unpause"), params: ZCommandParams.unpause }),
  z.object({ action: z.literal("remove"), params: ZCommandParams.remove }),
  z.object({ action: z.literal("rename"), params: ZCommandParams.rename }),
]);
export type ContainerCommand = z.infer<typeof ZContainerCommand>;

/** Operations beyond the lifecycle (params and replies in control-commands.ts). */
export const CONTROL_ACTIONS = [
  "container.create", "container.recreate",
  "image.remove", "image.prune", "image.pull", "image.import",
  "volume.create", "volume.remove", "volume.prune",
  "network.create", "network.remove", "network.prune",
] as const;
export type ControlAction = (typeof CONTROL_ACTIONS)[number];

/** Every operation an agent runs for the server; lifecycle actions keep their v1 wire names. */
export const ZAgentAction = z.enum([...ZContainerAction.options, ...CONTROL_ACTIONS]);
export type AgentAction = z.infer<typeof ZAgentAction>;

/** What the server signs. Times are epoch milliseconds so the canonical form has no date formats. */
export const ZCommandEnvelope = z.strictObject({
  commandId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
  hostId: z.string().min(1).max(128),
  action: ZAgentAction,
  params: z.record(z.string().max(64), z.unknown()),
  actorId: z.string().max(128).nullable(),
  issuedAt: z.number().int().nonnegative(),
  expiresAt: z.number().int().nonnegative(),
});
export type CommandEnvelope = z.infer<typeof ZCommandEnvelope>;

export const ZSignedCommand = z.strictObject({
  envelope: ZCommandEnvelope,
  signature: z.string().regex(/^[A-Za-z0-9+/=]{80,100}$/, "not an Ed25519 signature"),
});
export type SignedCommand = z.infer<typeof ZSignedCommand>;

const ZErrorBody = z.object({ code: z.string().max(64), message: z.string().max(2000) });

/** The agent's answer to one command; Docker's own error text kept in the message. */
export const ZCommandReply = z.discriminatedUnion("ok", [
  z.object({ ok: z.literal(true), data: z.unknown() }),
  z.object({ ok: z.literal(false), error: ZErrorBody }),
]);
export type CommandReply = z.infer<typeof ZCommandReply>;

/**
 * Sent by the agent after every authentication: what became of the commands it remembers.
 * `reply: null` means it started the command but stopped before recording the result.
 * Commands issued at or before `forgottenBefore` are beyond its memory (and it refuses them).
 */
export const ZCommandOutcomeReport = z.object({
  forgottenBefore: z.number().int().nonnegative(),
  outcomes: z
    .array(z.object({ commandId: ZCommandEnvelope.shape.commandId, reply: ZCommandReply.nullable() }))
    .max(1000),
});
export type CommandOutcomeReport = z.infer<typeof ZCommandOutcomeReport>;

/** Deterministic JSON: object keys sorted, undefined members dropped, no whitespace. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === "string" || typeof value === "boolean") return JSON.stringify(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError("canonical JSON has no non-finite numbers");
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object") {
    const members = Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${members.join(",")}}`;
  }
  throw new TypeError(`canonical JSON cannot encode a ${typeof value}`);
}

/** The exact bytes the server signs and the agent verifies; the prefix keeps it from meaning anything else. */
export function commandPayload(envelope: CommandEnvelope): string {
  return `portolan-command:v${PROTOCOL_VERSION}:${canonicalJson(envelope)}`;
}

/** The first problem zod found, as "path: message", for error replies and logs. */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join(".") || "(root)"}: ${issue.message}` : "invalid";
}

/** Clock skew tolerated between server and agent, and the longest life a signed command may claim. */
export const COMMAND_CLOCK_SKEW_MS = 30_000;
export const COMMAND_MAX_LIFETIME_MS = 5 * 60_000;
