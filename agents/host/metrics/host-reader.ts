import fs from "node:fs";
import type { HostMetrics } from "../../protocol";
import { parseDiskstats, parseLoadavg, parseMeminfo, parseProcStat, parseUptime, type HostCounters } from "./host-counters";
import { parseNetDev } from "./net-dev";
import type { OpenFiles } from "./open-files";

const REAL_FS = new Set(["ext2", "ext3", "ext4", "xfs", "btrfs", "zfs", "vfat", "f2fs", "jfs", "reiserfs", "ntfs", "ntfs3", "exfat", "bcachefs"]);
/** Block devices layered on others (or not disks at all) would count the same bytes twice. */
const NOT_A_DISK = /^(loop|ram|zram|dm-|md|sr|fd|nbd)/;
const SLOW_REFRESH_MS = 30_000;

/** Host-wide counters from /proc (kept open), plus disk usage per mount (statfs, refreshed every 30 s). */
export class HostReader {
  private disks: string[] = [];
  private usage: HostMetrics["disks"] = [];
  private lastSlow = 0;

  constructor(private readonly files: OpenFiles, private readonly proc = "/proc", private readonly sys = "/sys") {}

  read(): HostCounters | null {
    this.refreshSlow();
    const stat = this.files.read(`${this.proc}/stat`);
    const meminfo = this.files.read(`${this.proc}/meminfo`);
    if (stat === null || meminfo === null) return null;
    const disks = new Set(this.disks);
    return {
      cpu: parseProcStat(stat),
      mem: parseMeminfo(meminfo),
      load: parseLoadavg(this.files.read(`${this.proc}/loadavg`) ?? ""),
      uptimeSeconds: parseUptime(this.files.read(`${this.proc}/uptime`) ?? ""),
      interfaces: parseNetDev(this.files.read(`${this.proc}/net/dev`) ?? ""),
      disk: parseDiskstats(this.files.read(`${this.proc}/diskstats`) ?? "", (name) => disks.has(name)),
    };
  }

  diskUsage(): HostMetrics["disks"] {
    return this.usage;
  }

  private refreshSlow(): void {
    if (Date.now() - this.lastSlow < SLOW_REFRESH_MS) return;
    this.lastSlow = Date.now();
    try {
      this.disks = fs.readdirSync(`${this.sys}/block`).filter((d) => !NOT_A_DISK.test(d));
    } catch {
      this.disks = [];
    }
    this.usage = mountUsage(fs.readFileSync(`${this.proc}/mounts`, "utf8"));
  }
}

/** Used and total bytes of each real filesystem, once per device (bind mounts repeat it). */
function mountUsage(mountsText: string): HostMetrics["disks"] {
  const seen = new Set<string>();
  const out: HostMetrics["disks"] = [];
  for (const line of mountsText.split("\n")) {
    const [device, mount, fsType] = line.split(" ");
    if (!device || !mount || !fsType || !REAL_FS.has(fsType) || seen.has(device) || out.length >= 128) continue;
    seen.add(device);
    try {
      const s = fs.statfsSync(mount.replace(/\\040/g, " "));
      const total = s.blocks * s.bsize;
      out.push({ mount: mount.slice(0, 512), fsType, totalBytes: total, usedBytes: Math.max(0, total - s.bfree * s.bsize) });
    } catch {
      // unmounted meanwhile, or not ours to read
    }
  }
  return out;
}
