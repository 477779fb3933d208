import { z } from "zod";

/**
 * The isolation and network inspector's wire shapes: what the kernel (not only Docker) says about a
 * container's namespaces, cgroup, capabilities and processes, the host's interfaces and NAT rules,
 * and the posture findings derived from both. Agent replies are checked against these on the server.
 */
const s = (max = 512) => z.string().max(max);
const ZId = z.string().regex(/^[a-f0-9]{64}$/);

export const NAMESPACE_KINDS = ["pid", "net", "ipc", "uts", "mnt", "user", "cgroup", "time"] as const;
export const ZNamespaceKind = z.enum(NAMESPACE_KINDS);
export const ZNamespace = z.object({
  kind: ZNamespaceKind,
  /** The inode from /proc/<pid>/ns/<kind>; null when the kernel has no such namespace or it is unreadable. */
  inode: z.number().int().nonnegative().nullable(),
  /** own: nobody else on the host uses it; host: the host's own; shared: another container's too. */
  sharing: z.enum(["own", "host", "shared", "unknown"]),
  sharedWith: z.array(z.object({ id: ZId, name: s(256) })).max(1024),
});
export type Namespace = z.infer<typeof ZNamespace>;

export const SEVERITIES = ["critical", "high", "medium", "low", "info"] as const;
export const ZSeverity = z.enum(SEVERITIES);
export type Severity = z.infer<typeof ZSeverity>;
export const ZFinding = z.object({
  /** Stable id: CIS-5.x for CIS Docker Benchmark checks, PT-… for Portolan's own. */
  id: s(32),
  severity: ZSeverity,
  title: s(200),
  evidence: z.object({ field: s(200), value: s(2000) }),
  remediation: s(500),
});
export type Finding = z.infer<typeof ZFinding>;

/** null = no limit in force. */
export const ZCgroupInfo = z.object({
  version: z.enum(["1", "2"]),
  driver: z.enum(["cgroupfs", "systemd", "unknown"]),
  path: s(4096),
  limits: z.object({
    memoryBytes: z.number().nonnegative().nullable(),
    memorySwapBytes: z.number().nonnegative().nullable(),
    cpuQuotaUs: z.number().int().nonnegative().nullable(),
    cpuPeriodUs: z.number().int().nonnegative().nullable(),
    /** v1 cpu.shares (default 1024) or v2 cpu.weight (default 100). */
    cpuShares: z.number().int().nonnegative().nullable(),
    cpuWeight: z.number().int().nonnegative().nullable(),
    cpusetCpus: s(256).nullable(),
    cpusetMems: s(256).nullable(),
    pidsMax: z.number().int().nonnegative().nullable(),
    blockIo: z.array(z.object({ device: s(32), kind: s(32), value: z.number().nonnegative() })).max(256),
  }),
  usage: z.object({ memoryBytes: z.number().nonnegative().nullable(), pids: z.number().int().nonnegative().nullable() }),
});
export type CgroupInfo = z.infer<typeof ZCgroupInfo>;

const ZCapNames = z.array(s(32)).max(64);
export const ZCapabilities = z.object({
  effective: ZCapNames, permitted: ZCapNames, bounding: ZCapNames, inheritable: ZCapNames, ambient: ZCapNames,
  /** Against Docker's default set, by the bounding set: what was added (risk) and dropped (hardening). */
  added: ZCapNames, dropped: ZCapNames, dockerDefault: ZCapNames,
});
export type Capabilities = z.infer<typeof ZCapabilities>;

export const ZSecurityMount = z.object({
  type: s(16), source: s(4096), destination: s(4096), readOnly: z.boolean(), propagation: s(32),
  /** Why a host path is sensitive (null when it is not). */
  sensitive: s(200).nullable(),
});
export const ZSecurityReport = z.object({
  containerId: ZId,
  name: s(256),
  running: z.boolean(),
  pid: z.number().int().nonnegative().nullable(),
  /** Which process the namespaces were compared with: the host's init, or the agent itself when init is unreadable. */
  hostReference: z.enum(["init", "agent"]),
  namespaces: z.array(ZNamespace).max(16),
  cgroup: ZCgroupInfo.nullable(),
  capabilities: ZCapabilities.nullable(),
  seccomp: z.object({ mode: z.enum(["disabled", "strict", "filter"]).nullable(), filters: z.number().int().nullable(), profile: z.enum(["default", "unconfined", "custom"]) }),
  apparmor: s(256).nullable(),
  selinux: s(256).nullable(),
  noNewPrivileges: z.boolean(),
  privileged: z.boolean(),
  readonlyRootfs: z.boolean(),
  user: z.object({
    configured: s(256), uid: z.number().int().nullable(), gid: z.number().int().nullable(), root: z.boolean(),
    /** The uid the process has on the host (differs from uid under userns remapping). */
    hostUid: z.number().int().nullable(), usernsRemapped: z.boolean(),
  }),
  mounts: z.array(ZSecurityMount).max(256),
  devices: z.array(z.object({ pathOnHost: s(4096), pathInContainer: s(4096), permissions: s(16) })).max(256),
  findings: z.array(ZFinding).max(128),
});
export type SecurityReport = z.infer<typeof ZSecurityReport>;

/** Every container of one host with its findings (the fleet posture view asks each host for this). */
export const ZHostPosture = z.array(z.object({ containerId: ZId, name: s(256), running: z.boolean(), image: s(), findings: z.array(ZFinding).max(128) })).max(20_000);
export type HostPosture = z.infer<typeof ZHostPosture>;

export const ZProcessEntry = z.object({
  hostPid: z.number().int().positive(),
  /** The PID inside the container's pid namespace (last NSpid entry). */
  nsPid: z.number().int().positive(),
  ppid: z.number().int().nonnegative(),
  uid: z.number().int().nonnegative(),
  user: s(64),
  state: s(32),
  cmd: s(4096),
  /** Percent of one CPU averaged over the process's life (like ps); cpuSeconds lets a viewer compute a live rate. */
  cpu: z.number().nonnegative(),
  cpuSeconds: z.number().nonnegative(),
  /** Resident memory in bytes. */
  mem: z.number().nonnegative(),
});
export type ProcessEntry = z.infer<typeof ZProcessEntry>;
export const ZProcessList = z.array(ZProcessEntry).max(10_000);

export const ZNetInterface = z.object({
  name: s(32), ifindex: z.number().int(), iflink: z.number().int(), kind: z.enum(["bridge", "veth", "loopback", "device", "other"]),
  operstate: s(16), mtu: z.number().int(), mac: s(64).nullable(), master: s(32).nullable(),
  addresses: z.array(s(64)).max(64),
  rxBytes: z.number().nonnegative(), txBytes: z.number().nonnegative(), rxPackets: z.number().nonnegative(), txPackets: z.number().nonnegative(),
  rxErrors: z.number().nonnegative(), txErrors: z.number().nonnegative(), rxDropped: z.number().nonnegative(), txDropped: z.number().nonnegative(),
});
export type NetInterface = z.infer<typeof ZNetInterface>;
export const ZPublishedPort = z.object({ hostIp: s(64), hostPort: z.number().int(), containerPort: z.number().int(), protocol: s(8) });
export type PublishedPort = z.infer<typeof ZPublishedPort>;
export const ZNatRule = z.object({
  table: z.enum(["nat", "filter"]),
  chain: s(64),
  rule: s(4096),
  target: s(64),
  containerId: ZId.optional(),
  containerName: s(256).optional(),
  port: ZPublishedPort.optional(),
  /** For MASQUERADE rules: the bridge whose subnet they cover. */
  bridge: s(32).optional(),
  /** A DNAT rule no container's port binding explains. */
  drift: z.boolean(),
});
export type NatRule = z.infer<typeof ZNatRule>;
export const ZHostNetwork = z.object({
  interfaces: z.array(ZNetInterface).max(4096),
  bridges: z.array(z.object({ name: s(32), network: s(256).nullable(), subnets: z.array(s(64)).max(16), members: z.array(s(32)).max(4096) })).max(512),
  routes: z.array(z.object({ destination: s(64), gateway: s(64).nullable(), iface: s(32), metric: z.number().int() })).max(4096),
  containers: z.array(z.object({
    id: ZId, name: s(256), networkMode: s(256), running: z.boolean(),
    ips: z.array(z.object({ network: s(256), ip: s(64) })).max(64),
    /** The container's interfaces and their host-side peers (by iflink → host ifindex). */
    links: z.array(z.object({ name: s(32), ifindex: z.number().int(), hostIfindex: z.number().int(), hostInterface: s(32).nullable(), bridge: s(32).nullable() })).max(64),
    ports: z.array(ZPublishedPort).max(4096),
  })).max(20_000),
  natRules: z.array(ZNatRule).max(20_000),
  filterRules: z.array(ZNatRule).max(20_000),
  /** Port bindings of running containers with no DNAT rule (the other direction of drift). */
  missingRules: z.array(z.object({ containerId: ZId, containerName: s(256), port: ZPublishedPort })).max(20_000),
  /** Why NAT rules could not be read (iptables-save missing or failing), else null. */
  natError: s(1000).nullable(),
});
export type HostNetwork = z.infer<typeof ZHostNetwork>;
