import { z } from "zod";

const short = z.string().max(512);

/** Facts about the machine and its container runtime, sent with every snapshot. */
export const ZHostFacts = z.object({
  hostname: short,
  os: short,
  kernel: short,
  architecture: short,
  cpus: z.number().int().nonnegative(),
  memoryBytes: z.number().nonnegative(),
  dockerVersion: short.nullable(),
  apiVersion: short.nullable(),
  cgroupVersion: short.nullable(),
  cgroupDriver: short.nullable(),
  storageDriver: short.nullable(),
  securityOptions: z.array(short).max(64),
  agentVersion: short,
});
export type HostFacts = z.infer<typeof ZHostFacts>;

/** Whether the agent can currently reach its container runtime. */
export const ZRuntimeStatus = z.object({
  available: z.boolean(),
  error: short.nullable(),
  checkedAt: z.number().int(),
});
export type RuntimeStatus = z.infer<typeof ZRuntimeStatus>;
