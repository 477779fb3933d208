import { parseProcCgroup } from "../inspect/cgroup-limits";

/** Where the cgroup hierarchies are mounted, from /proc/mounts (v1 controller → mount point; v2 mount). */
export type CgroupMounts = { v1: Map<string, string>; v2: string | null };

export function parseCgroupMounts(mountsText: string): CgroupMounts {
  const v1 = new Map<string, string>();
  let v2: string | null = null;
  for (const line of mountsText.split("\n")) {
    const [, mountPoint, fsType, options] = line.split(" ");
    if (!mountPoint || !options) continue;
    if (fsType === "cgroup2") v2 ??= mountPoint;
    else if (fsType === "cgroup") for (const opt of options.split(",")) if (V1_CONTROLLERS.has(opt)) v1.set(opt, mountPoint);
  }
  return { v1, v2 };
}

const V1_CONTROLLERS = new Set(["cpu", "cpuacct", "memory", "blkio", "pids"]);

export type V1Dirs = { cpu: string | null; cpuacct: string | null; memory: string | null; blkio: string | null; pids: string | null };
export type CgroupLocation = { version: "1"; dirs: V1Dirs; driver: Driver } | { version: "2"; dir: string; driver: Driver };
type Driver = "cgroupfs" | "systemd" | "unknown";

/**
 * The container's cgroup directories, found from its init process's /proc/<pid>/cgroup: v1 when the
 * memory controller is on a v1 hierarchy (also on hybrid hosts), else the unified v2 directory.
 * Covers both Docker drivers: cgroupfs ("/docker/<id>") and systemd ("/system.slice/docker-<id>.scope").
 * `root` prefixes the mount points (recorded file trees in tests).
 */
export function locateCgroup(procCgroupText: string, mounts: CgroupMounts, root = ""): CgroupLocation | null {
  const parsed = parseProcCgroup(procCgroupText);
  const memoryPath = parsed.v1.get("memory");
  const memoryMount = mounts.v1.get("memory");
  if (memoryPath !== undefined && memoryMount) {
    const dir = (c: keyof V1Dirs) => {
      const mount = mounts.v1.get(c);
      const path = parsed.v1.get(c);
      return mount && path !== undefined ? joinPath(root + mount, path) : null;
    };
    return { version: "1", driver: driverOf(memoryPath), dirs: { cpu: dir("cpu"), cpuacct: dir("cpuacct"), memory: dir("memory"), blkio: dir("blkio"), pids: dir("pids") } };
  }
  if (parsed.v2 !== null && mounts.v2) return { version: "2", driver: driverOf(parsed.v2), dir: joinPath(root + mounts.v2, parsed.v2) };
  return null;
}

function joinPath(mount: string, path: string): string {
  return path === "/" ? mount : `${mount}${path}`;
}

function driverOf(path: string): Driver {
  if (/\.(slice|scope)(\/|$)/.test(path)) return "systemd";
  if (/\/docker\//.test(path) || path.startsWith("/docker")) return "cgroupfs";
  return "unknown";
}
