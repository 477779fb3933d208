import { z } from "zod";
import { ZContainerRef } from "./commands";
import { ZLogLine } from "./logs";
import { ZHostNetwork, ZHostPosture, ZProcessList, ZSecurityReport } from "./inspector";

/**
 * Reads the server asks an agent for over its authenticated socket ("query:run"). Not signed or
 * audited (they change nothing), but allow-listed and schema-checked on both sides like commands.
 */
export const ZAgentQuery = z.discriminatedUnion("query", [
  z.object({ query: z.literal("container.inspect"), params: z.strictObject({ containerId: ZContainerRef }) }),
  z.object({ query: z.literal("images.list"), params: z.strictObject({}) }),
  z.object({ query: z.literal("volumes.list"), params: z.strictObject({}) }),
  z.object({ query: z.literal("networks.list"), params: z.strictObject({}) }),
  // A finite read of one container's log (logs.read); live viewers use the "logs:open" stream.
  z.object({
    query: z.literal("container.logs"),
    params: z.strictObject({ containerId: ZContainerRef, tail: z.number().int().min(0).max(10_000), since: z.string().max(40).optional(), until: z.string().max(40).optional() }),
  }),
  // The isolation and network inspector (kernel facts read by the agent, which runs as root).
  z.object({ query: z.literal("container.security"), params: z.strictObject({ containerId: ZContainerRef }) }),
  z.object({ query: z.literal("container.processes"), params: z.strictObject({ containerId: ZContainerRef }) }),
  z.object({ query: z.literal("host.network"), params: z.strictObject({}) }),
  z.object({ query: z.literal("host.posture"), params: z.strictObject({}) }),
]);
export type AgentQuery = z.infer<typeof ZAgentQuery>;
export type AgentQueryName = AgentQuery["query"];

const s = (max = 512) => z.string().max(max);
const ZStrings = z.array(s(4096)).max(1024);
const ZLabels = z.record(s(256), s(4096));
const ZIsoOrNull = s(64).nullable();

/** One container in full, as Docker's inspect reports it, env values included (the server redacts them). */
export const ZContainerDetails = z.object({
  id: z.string().regex(/^[a-f0-9]{64}$/),
  name: s(256),
  image: s(),
  imageId: s(128),
  createdAt: s(64),
  state: z.object({
    status: s(32), running: z.boolean(), paused: z.boolean(), restarting: z.boolean(), oomKilled: z.boolean(),
    pid: z.number().int(), exitCode: z.number().int(), startedAt: ZIsoOrNull, finishedAt: ZIsoOrNull, health: s(32).nullable(),
  }),
  config: z.object({
    user: s(256), env: z.array(z.object({ key: s(4096), value: s(65536) })).max(4096), cmd: ZStrings, entrypoint: ZStrings,
    labels: ZLabels, workingDir: s(4096), hostname: s(256), exposedPorts: z.array(s(32)).max(4096),
    healthcheck: z.object({ test: ZStrings, intervalNs: z.number(), timeoutNs: z.number(), retries: z.number().int(), startPeriodNs: z.number() }).nullable(),
  }),
  hostConfig: z.object({
    privileged: z.boolean(), readonlyRootfs: z.boolean(), capAdd: z.array(s(64)).max(64), capDrop: z.array(s(64)).max(64),
    securityOpt: z.array(s(4096)).max(64), pidMode: s(256), ipcMode: s(256), utsMode: s(256), cgroupnsMode: s(64), networkMode: s(256),
    restartPolicy: z.object({ name: s(32), maximumRetryCount: z.number().int() }),
    memoryBytes: z.number().int().nonnegative(), nanoCpus: z.number().int().nonnegative(), pidsLimit: z.number().int().nullable(),
    portBindings: z.array(z.object({ containerPort: z.number().int(), protocol: s(8), hostIp: s(64), hostPort: z.number().int().nullable() })).max(4096),
    /** What the container was created with (HostConfig.Binds and HostConfig.Mounts), for recreating it. */
    binds: z.array(s(8192)).max(256),
    requestedMounts: z.array(z.object({ type: s(16), source: s(4096), target: s(4096), readOnly: z.boolean() })).max(256),
  }),
  mounts: z.array(z.object({ type: s(16), source: s(4096), destination: s(4096), readOnly: z.boolean(), name: s(256).nullable() })).max(256),
  networks: z.array(z.object({ name: s(256), ipAddress: s(64).nullable(), gateway: s(64).nullable(), macAddress: s(64).nullable() })).max(64),
  /** Settings the container has that a ContainerSpec cannot express (recreating it would lose them). */
  unsupported: z.array(s(256)).max(64),
});
export type ContainerDetails = z.infer<typeof ZContainerDetails>;

const ZUser = z.object({ id: z.string().regex(/^[a-f0-9]{64}$/), name: s(256) });

export const ZImageEntry = z.object({
  id: s(128), tags: z.array(s()).max(1024), sizeBytes: z.number().nonnegative(), createdAt: s(64),
  containers: z.array(ZUser.extend({ state: s(32) })).max(20_000),
});
export const ZVolumeEntry = z.object({
  name: s(256), driver: s(64), mountpoint: s(4096), scope: s(32), createdAt: ZIsoOrNull, labels: ZLabels,
  containers: z.array(ZUser).max(20_000),
});
export const ZNetworkEntry = z.object({
  id: z.string().regex(/^[a-f0-9]{64}$/), name: s(256), driver: s(64), scope: s(32), internal: z.boolean(),
  subnets: z.array(z.object({ subnet: s(64), gateway: s(64).nullable() })).max(64), createdAt: s(64), bridge: s(64).nullable(),
  labels: ZLabels,
  containers: z.array(ZUser.extend({ ipv4: s(64).nullable() })).max(20_000),
});
export type ImageEntry = z.infer<typeof ZImageEntry>;
export type VolumeEntry = z.infer<typeof ZVolumeEntry>;
export type NetworkEntry = z.infer<typeof ZNetworkEntry>;

/** What each query's successful reply holds; parsed by the server before use. */
export const ZQueryResults = {
  "container.inspect": ZContainerDetails,
  "images.list": z.array(ZImageEntry).max(20_000),
  "volumes.list": z.array(ZVolumeEntry).max(20_000),
  "networks.list": z.array(ZNetworkEntry).max(20_000),
  "container.logs": z.object({ lines: z.array(ZLogLine).max(10_000), truncated: z.boolean() }),
  "container.security": ZSecurityReport,
  "container.processes": ZProcessList,
  "host.network": ZHostNetwork,
  "host.posture": ZHostPosture,
} satisfies Record<AgentQueryName, z.ZodType>;
export type QueryResult<Q extends AgentQueryName> = z.infer<(typeof ZQueryResults)[Q]>;
