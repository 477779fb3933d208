import { z } from "zod";

/** The parts of Docker's container inspect the isolation inspector reads; Docker's nulls become empty values. */
const list = <T extends z.ZodType>(item: T) => z.array(item).nullable().optional().transform((v) => v ?? []);
const map = <T extends z.ZodType>(value: T) => z.record(z.string(), value).nullable().optional().transform((v) => v ?? {});
const str = z.string().nullable().optional().transform((v) => v ?? "");
const num = z.number().nullable().optional().transform((v) => v ?? 0);

export const ZInspectSecurity = z.object({
  Id: z.string().regex(/^[a-f0-9]{64}$/),
  Name: z.string().transform((n) => n.replace(/^\//, "")),
  AppArmorProfile: str,
  ProcessLabel: str,
  State: z.object({ Running: z.boolean(), Pid: z.number().int().nonnegative() }),
  Config: z.object({
    User: str,
    Image: str,
    Healthcheck: z.object({ Test: list(z.string()) }).nullable().optional(),
  }),
  HostConfig: z.object({
    Privileged: z.boolean().optional().transform((v) => v ?? false),
    ReadonlyRootfs: z.boolean().optional().transform((v) => v ?? false),
    CapAdd: list(z.string()), CapDrop: list(z.string()), SecurityOpt: list(z.string()),
    PidMode: str, IpcMode: str, UTSMode: str, UsernsMode: str, CgroupnsMode: str, NetworkMode: str, CgroupParent: str,
    /** Empty (not null) on an unprivileged container means --security-opt systempaths=unconfined. */
    MaskedPaths: z.array(z.string()).nullable().optional(),
    Devices: list(z.object({ PathOnHost: str, PathInContainer: str, CgroupPermissions: str })),
    RestartPolicy: z.object({ Name: str, MaximumRetryCount: num }).nullable().optional(),
    Memory: num, NanoCpus: num, CpuQuota: num, CpuShares: num, PidsLimit: num,
  }),
  Mounts: list(z.object({ Type: z.string(), Source: str, Destination: z.string(), RW: z.boolean(), Propagation: str })),
  NetworkSettings: z.object({
    Networks: map(z.object({ IPAddress: str })),
    Ports: map(list(z.object({ HostIp: str, HostPort: str }))),
  }),
});
export type InspectSecurity = z.infer<typeof ZInspectSecurity>;
