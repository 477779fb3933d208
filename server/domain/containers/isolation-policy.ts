import { DOCKER_DEFAULT_CAPS, type ContainerSpec } from "../../../agents/protocol/container-spec";

export type IsolationRisk = { code: string; field: string; severity: "critical" | "high" | "medium"; message: string };

/** Host paths whose mounting hands the container the host (or its engine). Prefixes unless marked exact. */
const SENSITIVE_PREFIXES = ["/etc", "/proc", "/sys", "/dev", "/boot", "/root", "/var/lib/docker", "/var/lib/containerd", "/run", "/var/run", "/usr", "/lib", "/bin", "/sbin", "/home"];
const ENGINE_SOCKETS = ["/var/run/docker.sock", "/run/docker.sock", "/run/containerd/containerd.sock", "/var/run/containerd/containerd.sock"];

function normalise(path: string): string {
  const p = path.replace(/\/+/g, "/").replace(/\/$/, "");
  return p === "" ? "/" : p;
}

/**
 * The one isolation policy: every setting of a spec that weakens the container's isolation from the
 * host, each with a one-line risk. Create, recreate and future stacks all pass through it.
 */
export function isolationRisks(spec: ContainerSpec): IsolationRisk[] {
  const risks: IsolationRisk[] = [];
  const add = (code: string, field: string, severity: IsolationRisk["severity"], message: string) => risks.push({ code, field, severity, message });

  if (spec.privileged) add("privileged", "privileged", "critical", "Privileged: every capability, all host devices, no seccomp or AppArmor — root on the host.");
  if (spec.pidMode === "host") add("host-pid", "pidMode", "high", "Host PID namespace: sees and can signal every process on the host.");
  if (spec.network === "host") add("host-network", "network", "high", "Host network: shares the host's interfaces and ports, bypassing Docker's NAT and firewall.");
  if (spec.ipcMode === "host") add("host-ipc", "ipcMode", "high", "Host IPC namespace: reads the host's shared memory and semaphores.");
  if (spec.utsMode === "host") add("host-uts", "utsMode", "medium", "Host UTS namespace: can change the host's hostname.");
  if (spec.cgroupnsMode === "host") add("host-cgroupns", "cgroupnsMode", "medium", "Host cgroup namespace: sees the host's whole cgroup tree.");
  if (spec.seccomp === "unconfined") add("seccomp-unconfined", "seccomp", "high", "Seccomp unconfined: every system call is allowed, including those used in kernel exploits.");
  const defaults = new Set<string>(DOCKER_DEFAULT_CAPS);
  for (const cap of spec.capAdd) {
    if (cap === "ALL") add("cap-all", "capAdd", "critical", "CapAdd ALL: every capability, close to privileged.");
    else if (!defaults.has(cap)) add(`cap-${cap.toLowerCase()}`, "capAdd", cap === "SYS_ADMIN" || cap === "SYS_MODULE" ? "critical" : "high", `Adds CAP_${cap}, beyond Docker's default set.`);
  }
  for (const mount of spec.mounts) {
    if (mount.type !== "bind") continue;
    const source = normalise(mount.source);
    if (ENGINE_SOCKETS.includes(source) || source.endsWith("/docker.sock") || source.endsWith("/containerd.sock")) {
      add("engine-socket", "mounts", "critical", `Mounts the engine socket ${source}: full control of every container and the host.`);
    } else if (source === "/") {
      add("host-root", "mounts", "critical", "Mounts the host's root filesystem.");
    } else if (SENSITIVE_PREFIXES.some((p) => source === p || source.startsWith(`${p}/`))) {
      add("sensitive-mount", "mounts", mount.readOnly ? "medium" : "high", `Mounts sensitive host path ${source}${mount.readOnly ? " (read-only)" : " read-write"}.`);
    }
  }
  return risks;
}
