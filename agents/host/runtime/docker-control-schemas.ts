import { z } from "zod";

/**
 * The parts of Docker's inspect and list responses the control operations read. Unknown fields pass
 * through; Docker's nulls for empty lists and maps become empty values.
 */
const list = <T extends z.ZodType>(item: T) => z.array(item).nullable().optional().transform((v) => v ?? []);
const map = <T extends z.ZodType>(value: T) => z.record(z.string(), value).nullable().optional().transform((v) => v ?? {});
const str = z.string().nullable().optional().transform((v) => v ?? "");

export const ZDockerInspectFull = z.object({
  Id: z.string(),
  Created: z.string(),
  Name: z.string(),
  Image: z.string(),
  State: z.object({
    Status: z.string(), Running: z.boolean(), Paused: z.boolean(), Restarting: z.boolean(), OOMKilled: z.boolean(),
    Pid: z.number(), ExitCode: z.number(), StartedAt: str, FinishedAt: str,
    Health: z.object({ Status: z.string() }).nullable().optional(),
  }),
  Config: z.object({
    Hostname: str, User: str, Env: list(z.string()), Cmd: list(z.string()), Entrypoint: list(z.string()), Image: z.string(),
    WorkingDir: str, Labels: map(z.string()), ExposedPorts: map(z.unknown()),
    Healthcheck: z.object({ Test: list(z.string()), Interval: z.number().optional(), Timeout: z.number().optional(), Retries: z.number().optional(), StartPeriod: z.number().optional() }).nullable().optional(),
  }),
  HostConfig: z.object({
    Binds: list(z.string()),
    Mounts: list(z.object({ Type: z.string(), Source: str, Target: z.string(), ReadOnly: z.boolean().optional() })),
    NetworkMode: str,
    PortBindings: map(list(z.object({ HostIp: str, HostPort: str }))),
    RestartPolicy: z.object({ Name: str, MaximumRetryCount: z.number().optional() }).nullable().optional(),
    CapAdd: list(z.string()), CapDrop: list(z.string()), SecurityOpt: list(z.string()),
    CgroupnsMode: str, IpcMode: str, PidMode: str, UTSMode: str, UsernsMode: str,
    Privileged: z.boolean().optional(), ReadonlyRootfs: z.boolean().optional(),
    Memory: z.number().optional(), NanoCpus: z.number().optional(), PidsLimit: z.number().nullable().optional(),
    // Settings a ContainerSpec cannot carry: read only to say so.
    Dns: list(z.string()), DnsSearch: list(z.string()), DnsOptions: list(z.string()), ExtraHosts: list(z.string()),
    Devices: list(z.unknown()), VolumesFrom: list(z.string()), Links: list(z.string()), Tmpfs: map(z.string()),
    GroupAdd: list(z.string()), Ulimits: list(z.unknown()), Sysctls: map(z.string()), Runtime: str,
    CpuShares: z.number().optional(), CpuQuota: z.number().optional(), CpusetCpus: str, MemoryReservation: z.number().optional(),
    ShmSize: z.number().optional(), AutoRemove: z.boolean().optional(), PublishAllPorts: z.boolean().optional(),
    LogConfig: z.object({ Type: str, Config: map(z.string()) }).nullable().optional(),
  }),
  Mounts: list(z.object({ Type: z.string(), Name: z.string().optional(), Source: str, Destination: z.string(), RW: z.boolean() })),
  NetworkSettings: z.object({
    Networks: map(z.object({ IPAddress: str, Gateway: str, MacAddress: str })),
  }),
});
export type DockerInspectFull = z.infer<typeof ZDockerInspectFull>;

export const ZDockerImage = z.object({ Id: z.string(), RepoTags: list(z.string()), Size: z.number(), Created: z.number() });
export const ZDockerVolume = z.object({
  Name: z.string(), Driver: z.string(), Mountpoint: str, Scope: str, CreatedAt: z.string().optional(), Labels: map(z.string()),
});
export const ZDockerVolumes = z.object({ Volumes: list(ZDockerVolume) });
export const ZDockerNetwork = z.object({
  Id: z.string(), Name: z.string(), Driver: str, Scope: str, Internal: z.boolean().optional(), Created: str,
  IPAM: z.object({ Config: list(z.object({ Subnet: z.string().optional(), Gateway: z.string().optional() })) }).nullable().optional(),
  Options: map(z.string()), Labels: map(z.string()),
});
/** A container list entry, for who uses which image, volume and network. */
export const ZDockerUser = z.object({
  Id: z.string(),
  Names: list(z.string()),
  ImageID: str,
  State: str,
  Mounts: list(z.object({ Type: z.string(), Name: z.string().optional() })),
  NetworkSettings: z.object({ Networks: map(z.object({ NetworkID: str, IPAddress: str })) }).nullable().optional(),
});
export type DockerImage = z.infer<typeof ZDockerImage>;
export type DockerVolume = z.infer<typeof ZDockerVolume>;
export type DockerNetwork = z.infer<typeof ZDockerNetwork>;
export type DockerUser = z.infer<typeof ZDockerUser>;
