import { z } from "zod";

/** Docker container ids are 64 hex chars; short ids and names are accepted where a user types one. */
export const ZContainerId = z.string().regex(/^[a-f0-9]{12,64}$/, "not a container id");

export const ZContainerState = z.enum([
  "created",
  "running",
  "paused",
  "restarting",
  "removing",
  "exited",
  "dead",
]);
export type ContainerState = z.infer<typeof ZContainerState>;

export const ZPortBinding = z.object({
  privatePort: z.number().int().min(0).max(65535),
  publicPort: z.number().int().min(0).max(65535).nullable(),
  ip: z.string().max(64).nullable(),
  protocol: z.enum(["tcp", "udp", "sctp"]),
});
export type PortBinding = z.infer<typeof ZPortBinding>;

export const ZContainerNetwork = z.object({
  name: z.string().max(256),
  ipAddress: z.string().max(64).nullable(),
  macAddress: z.string().max(64).nullable(),
  gateway: z.string().max(64).nullable(),
});

export const ZHealth = z.enum(["none", "starting", "healthy", "unhealthy"]);

/** One container as the agent reports it; the inventory unit of the protocol. */
export const ZContainer = z.object({
  id: ZContainerId,
  name: z.string().max(256),
  image: z.string().max(512),
  imageId: z.string().max(128),
  command: z.string().max(4096),
  state: ZContainerState,
  status: z.string().max(256),
  health: ZHealth,
  createdAt: z.number().int(),
  startedAt: z.number().int().nullable(),
  // Added after v1 shipped: defaulted so agents built before them are still understood.
  finishedAt: z.number().int().nullable().default(null),
  exitCode: z.number().int().nullable().default(null),
  ports: z.array(ZPortBinding).max(1024),
  labels: z.record(z.string().max(256), z.string().max(4096)),
  networks: z.array(ZContainerNetwork).max(64),
  restartCount: z.number().int().nonnegative(),
});
export type Container = z.infer<typeof ZContainer>;
