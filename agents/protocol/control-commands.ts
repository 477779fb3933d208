import { z } from "zod";
import { ZCommandEnvelope, ZContainerAction, ZContainerCommand, ZContainerRef, ZStopTimeout, type ControlAction } from "./commands";
import { ZContainerSpec } from "./container-spec";
import { MAX_MESSAGE_BYTES } from "./version";

const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/;
const COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
const REPOSITORY = new RegExp(`^(?:[a-zA-Z0-9.-]+(?::[0-9]{1,5})?/)?${COMPONENT}(?:/${COMPONENT})*$`);
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const noDotDot = (s: string) => !s.includes("..");

/** A Docker object name (volume, network): what `docker volume create NAME` accepts. */
export const ZDockerObjectName = z.string().regex(NAME, "letters, digits, _ . - (not first), at most 128");
/** A repository without tag, e.g. `local/busybox` or `registry:5000/team/app`. */
export const ZRepository = z.string().max(255).regex(REPOSITORY, "a repository like name or registry/name").refine(noDotDot, "no '..'");
export const ZTag = z.string().regex(TAG, "a tag: letters, digits, _ . - (at most 128)");
/** `repository[:tag][@sha256:digest]`: what a pull may name. */
export const ZImageReference = z
  .string()
  .max(512)
  .refine((s) => {
    const [nameTag, digest, extra] = s.split("@");
    if (extra !== undefined || (digest !== undefined && !/^sha256:[a-f0-9]{64}$/.test(digest))) return false;
    const slash = nameTag!.lastIndexOf("/");
    const colon = nameTag!.lastIndexOf(":");
    const [repo, tag] = colon > slash ? [nameTag!.slice(0, colon), nameTag!.slice(colon + 1)] : [nameTag!, undefined];
    return REPOSITORY.test(repo) && noDotDot(repo) && (tag === undefined || TAG.test(tag));
  }, "an image reference like repo/name:tag");
/** An image as remove names it: an id (with or without `sha256:`) or a reference. */
export const ZImageRef = z.union([z.string().regex(/^(?:sha256:)?[a-f0-9]{12,64}$/, "an image id"), ZImageReference]);
/** A network as remove names it: its id or its name. */
export const ZNetworkRef = z.union([z.string().regex(/^[a-f0-9]{12,64}$/), ZDockerObjectName]);
/** Optional prune filter: only objects carrying this label (`key` or `key=value`). */
export const ZLabelFilter = z.string().max(4096).regex(/^[A-Za-z0-9._/-]{1,256}(?:=[^\0]*)?$/, "key or key=value");
const ZLabels = z.record(z.string().min(1).max(256), z.string().max(4096)).refine((l) => Object.keys(l).length <= 64, "at most 64 labels");

/** The largest tarball an import may carry, and the slice the agent asks for at a time (well under one message). */
export const MAX_IMPORT_BYTES = 16 * 1024 ** 3;
export const UPLOAD_CHUNK_BYTES = Math.min(1024 * 1024, MAX_MESSAGE_BYTES / 4);

export const ZControlParams = {
  "container.create": z.strictObject({ spec: ZContainerSpec, start: z.boolean().default(true) }),
  /** The spec is the server's reading of the old container, checked against the isolation policy and signed. */
  "container.recreate": z.strictObject({ containerId: ZContainerRef, spec: ZContainerSpec, timeout: ZStopTimeout }),
  "image.remove": z.strictObject({ imageId: ZImageRef, force: z.boolean().optional() }),
  "image.prune": z.strictObject({ all: z.boolean().optional(), label: ZLabelFilter.optional() }),
  "image.pull": z.strictObject({ reference: ZImageReference }),
  /** The upload is the server's spooled copy of this command's body, read by the agent as `upload:read`. */
  "image.import": z.strictObject({
    repository: ZRepository,
    tag: ZTag,
    sizeBytes: z.number().int().min(1).max(MAX_IMPORT_BYTES),
    sha256: z.string().regex(/^[a-f0-9]{64}$/, "a hex sha256"),
  }),
  "volume.create": z.strictObject({ name: ZDockerObjectName, driver: z.literal("local").default("local"), labels: ZLabels.default({}) }),
  "volume.remove": z.strictObject({ name: ZDockerObjectName, force: z.boolean().optional() }),
  "volume.prune": z.strictObject({ label: ZLabelFilter.optional() }),
  "network.create": z.strictObject({
    name: ZDockerObjectName,
    driver: z.literal("bridge").default("bridge"),
    subnet: z.union([z.cidrv4(), z.cidrv6()]).optional(),
    gateway: z.union([z.ipv4(), z.ipv6()]).optional(),
    internal: z.boolean().default(false),
    labels: ZLabels.default({}),
  }),
  "network.remove": z.strictObject({ networkId: ZNetworkRef }),
  "network.prune": z.strictObject({ label: ZLabelFilter.optional() }),
} satisfies Record<ControlAction, z.ZodType>;

export const ZControlCommand = z.discriminatedUnion("action", [
  z.object({ action: z.literal("container.create"), params: ZControlParams["container.create"] }),
  z.object({ action: z.literal("container.recreate"), params: ZControlParams["container.recreate"] }),
  z.object({ action: z.literal("image.remove"), params: ZControlParams["image.remove"] }),
  z.object({ action: z.literal("image.prune"), params: ZControlParams["image.prune"] }),
  z.object({ action: z.literal("image.pull"), params: ZControlParams["image.pull"] }),
  z.object({ action: z.literal("image.import"), params: ZControlParams["image.import"] }),
  z.object({ action: z.literal("volume.create"), params: ZControlParams["volume.create"] }),
  z.object({ action: z.literal("volume.remove"), params: ZControlParams["volume.remove"] }),
  z.object({ action: z.literal("volume.prune"), params: ZControlParams["volume.prune"] }),
  z.object({ action: z.literal("network.create"), params: ZControlParams["network.create"] }),
  z.object({ action: z.literal("network.remove"), params: ZControlParams["network.remove"] }),
  z.object({ action: z.literal("network.prune"), params: ZControlParams["network.prune"] }),
]);
export type ControlCommand = z.infer<typeof ZControlCommand>;

/** The whole allow-list: lifecycle (v1) and control operations. */
export const ZAgentCommand = z.union([ZContainerCommand, ZControlCommand]);
export type AgentCommand = z.infer<typeof ZAgentCommand>;
export type AgentCommandInput = z.input<typeof ZAgentCommand>;

/** Parses one command against the schema of its own action, so a refusal names the offending param. */
export function parseAgentCommand(action: unknown, params: unknown) {
  const lifecycle = (ZContainerAction.options as readonly unknown[]).includes(action);
  return (lifecycle ? ZContainerCommand : ZControlCommand).safeParse({ action, params }) as z.ZodSafeParseResult<AgentCommand>;
}

const ZDockerId = z.string().regex(/^(?:sha256:)?[a-f0-9]{64}$/);
const ZNames = z.array(z.string().max(512)).max(10_000);
const ZReclaimed = z.number().int().nonnegative();

/** What a successful reply's `data` holds for each operation; the server parses it (agents are untrusted). */
export const ZControlResults = {
  "container.create": z.object({ id: ZDockerId, name: z.string().max(256), started: z.boolean(), warnings: z.array(z.string().max(2000)).max(32) }),
  "container.recreate": z.object({ id: ZDockerId, name: z.string().max(256), oldId: ZDockerId, started: z.boolean() }),
  "image.remove": z.object({ deleted: ZNames, untagged: ZNames }),
  "image.prune": z.object({ deleted: ZNames, spaceReclaimedBytes: ZReclaimed }),
  "image.pull": z.object({ id: ZDockerId, reference: z.string().max(512) }),
  "image.import": z.object({ id: ZDockerId }),
  "volume.create": z.object({ name: z.string().max(256) }),
  "volume.remove": z.null(),
  "volume.prune": z.object({ deleted: ZNames, spaceReclaimedBytes: ZReclaimed }),
  "network.create": z.object({ id: ZDockerId }),
  "network.remove": z.null(),
  "network.prune": z.object({ deleted: ZNames }),
} satisfies Record<ControlAction, z.ZodType>;
export type ControlResult<A extends ControlAction> = z.infer<(typeof ZControlResults)[A]>;

/** Agent -> server while a long command runs (pull, import); the server forwards it to browsers. */
export const ZCommandProgress = z.object({
  commandId: ZCommandEnvelope.shape.commandId,
  status: z.string().max(200),
  currentBytes: z.number().int().nonnegative().optional(),
  totalBytes: z.number().int().nonnegative().optional(),
});
export type CommandProgress = z.infer<typeof ZCommandProgress>;

/** Agent -> server: the next slice of the upload that belongs to an `image.import` command. */
export const ZUploadRead = z.object({
  commandId: ZCommandEnvelope.shape.commandId,
  offset: z.number().int().nonnegative().max(MAX_IMPORT_BYTES),
  length: z.number().int().min(1).max(UPLOAD_CHUNK_BYTES),
});
export type UploadRead = z.infer<typeof ZUploadRead>;
export const ZUploadChunk = z.object({ data: z.custom<Uint8Array>((v) => v instanceof Uint8Array, "binary data"), eof: z.boolean() });
export type UploadChunk = z.infer<typeof ZUploadChunk>;
