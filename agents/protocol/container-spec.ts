import { z } from "zod";

/** Linux capabilities Docker grants by default (moby's defaultCapabilities). */
export const DOCKER_DEFAULT_CAPS = [
  "CHOWN", "DAC_OVERRIDE", "FSETID", "FOWNER", "MKNOD", "NET_RAW", "SETGID", "SETUID",
  "SETFCAP", "SETPCAP", "NET_BIND_SERVICE", "SYS_CHROOT", "KILL", "AUDIT_WRITE",
] as const;

export const LINUX_CAPS = [
  ...DOCKER_DEFAULT_CAPS,
  "AUDIT_CONTROL", "AUDIT_READ", "BLOCK_SUSPEND", "BPF", "CHECKPOINT_RESTORE", "DAC_READ_SEARCH",
  "IPC_LOCK", "IPC_OWNER", "LEASE", "LINUX_IMMUTABLE", "MAC_ADMIN", "MAC_OVERRIDE", "NET_ADMIN",
  "NET_BROADCAST", "PERFMON", "SYS_ADMIN", "SYS_BOOT", "SYS_MODULE", "SYS_NICE", "SYS_PACCT",
  "SYS_PTRACE", "SYS_RAWIO", "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "SYSLOG", "WAKE_ALARM", "ALL",
] as const;
export type Capability = (typeof LINUX_CAPS)[number];

const ZAbsPath = z.string().min(1).max(4096).regex(/^\/[^\0]*$/, "an absolute path").refine((p) => !p.split("/").includes(".."), "no '..' segments");
const ZPort = z.number().int().min(1).max(65535);
const ZIp = z.union([z.ipv4(), z.ipv6()]);
const ZDockerName = z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/, "letters, digits, _ . - (not first)");

/** Everything the create form can set; the agent maps it to Docker's create body and nothing else. */
export const ZContainerSpec = z.strictObject({
  image: z.string().min(1).max(512).regex(/^[a-z0-9][a-z0-9._\/:@-]*$/i, "an image reference like repo/name:tag"),
  name: ZDockerName.optional(),
  command: z.array(z.string().max(4096)).max(256).optional(),
  entrypoint: z.array(z.string().max(4096)).max(256).optional(),
  env: z.array(z.strictObject({ key: z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]{0,255}$/, "an environment variable name"), value: z.string().max(65536) })).max(512).default([]),
  ports: z
    .array(z.strictObject({ hostIp: ZIp.optional(), hostPort: ZPort.optional(), containerPort: ZPort, protocol: z.enum(["tcp", "udp", "sctp"]).default("tcp") }))
    .max(256)
    .default([]),
  mounts: z
    .array(
      z.discriminatedUnion("type", [
        z.strictObject({ type: z.literal("bind"), source: ZAbsPath, target: ZAbsPath, readOnly: z.boolean().default(false) }),
        z.strictObject({ type: z.literal("volume"), source: ZDockerName, target: ZAbsPath, readOnly: z.boolean().default(false) }),
      ]),
    )
    .max(128)
    .default([]),
  restartPolicy: z.strictObject({ name: z.enum(["no", "always", "unless-stopped", "on-failure"]), maximumRetryCount: z.number().int().min(0).max(1000).optional() }).default({ name: "no" }),
  memoryBytes: z.number().int().min(6 * 1024 * 1024).max(2 ** 50).optional(),
  nanoCpus: z.number().int().min(1_000_000).max(1024 * 1e9).optional(),
  pidsLimit: z.number().int().min(1).max(4_194_304).optional(),
  capAdd: z.array(z.enum(LINUX_CAPS)).max(64).default([]),
  capDrop: z.array(z.enum(LINUX_CAPS)).max(64).default([]),
  seccomp: z.enum(["default", "unconfined"]).default("default"),
  readOnlyRootfs: z.boolean().default(false),
  noNewPrivileges: z.boolean().default(false),
  privileged: z.boolean().default(false),
  user: z.string().regex(/^[a-zA-Z0-9_.-]{1,64}(?::[a-zA-Z0-9_.-]{1,64})?$/, "user or uid[:group]").optional(),
  network: z.union([z.enum(["bridge", "none", "host"]), ZDockerName]).default("bridge"),
  pidMode: z.enum(["private", "host"]).default("private"),
  ipcMode: z.enum(["private", "shareable", "host"]).default("private"),
  utsMode: z.enum(["private", "host"]).default("private"),
  cgroupnsMode: z.enum(["private", "host"]).default("private"),
  labels: z.record(z.string().min(1).max(256), z.string().max(4096)).default({}),
  healthcheck: z
    .strictObject({ test: z.array(z.string().max(4096)).min(1).max(64), intervalS: z.number().min(1).max(86400).default(30), timeoutS: z.number().min(1).max(3600).default(30), retries: z.number().int().min(1).max(100).default(3), startPeriodS: z.number().min(0).max(3600).default(0) })
    .optional(),
});
export type ContainerSpec = z.infer<typeof ZContainerSpec>;
export type ContainerSpecInput = z.input<typeof ZContainerSpec>;
