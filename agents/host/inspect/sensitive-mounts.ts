/** Host paths whose mounting lets a container see or change the host (CIS Docker Benchmark 5.5, 5.31). */
const SENSITIVE_DIRS = ["/boot", "/dev", "/etc", "/lib", "/proc", "/sys", "/usr", "/root", "/var/lib/docker", "/var/lib/containerd", "/var/log"];
const RUNTIME_SOCKETS = ["containerd.sock", "crio.sock", "podman.sock", "dockershim.sock", "cri-dockerd.sock"];

export type MountRisk = "docker-socket" | "runtime-socket" | "run-socket" | "host-dir";

/** Why mounting this host path is sensitive, or null. */
export function mountRisk(source: string): { risk: MountRisk; reason: string } | null {
  const path = source.replace(/\/+$/, "") || "/";
  if (/(^|\/)docker\.sock$/.test(path)) return { risk: "docker-socket", reason: "the Docker API socket: full control of the host" };
  if (RUNTIME_SOCKETS.some((s) => path.endsWith(`/${s}`))) return { risk: "runtime-socket", reason: "a container runtime socket: full control of the host" };
  if (/^\/(var\/)?run(\/|$)/.test(path) && /\.sock$|\/run\/docker$|\/run\/containerd$/.test(path)) return { risk: "run-socket", reason: "a host service socket under /run" };
  if (path === "/" || path === "/run" || path === "/var/run") return { risk: "host-dir", reason: `the host's ${path === "/" ? "root filesystem" : path}` };
  const dir = SENSITIVE_DIRS.find((d) => path === d || path.startsWith(`${d}/`));
  return dir ? { risk: "host-dir", reason: `a host system path under ${dir}` } : null;
}
