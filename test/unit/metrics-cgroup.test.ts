import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cgroupFiles, cpuMaxCores, readCgroupCounters, v1Blkio, v2Io } from "../../agents/host/metrics/cgroup-counters";
import { locateCgroup, parseCgroupMounts } from "../../agents/host/metrics/cgroup-paths";
import { OpenFiles } from "../../agents/host/metrics/open-files";

// Recorded cgroup trees (test/fixtures/cgroup/README.md). v1/cgroupfs: copied from this machine's
// engine (a container run with --memory 64m --cpus 0.5 --pids-limit 100). v2/systemd, v2/cgroupfs and
// v1/systemd (co-mounted cpu,cpuacct): recorded in a Debian 12 VM (kernel 6.1, systemd 252, Docker
// 20.10.24) by scripts/record-cgroup-fixtures/, each boot holding three busybox containers:
// proc/4242 "limited" (--memory 64m --cpus 0.5 --pids-limit 100, one child OOM-killed),
// proc/4243 "unlimited" (no flags), proc/4244 "inspector" (limits plus --device-read-bps/--device-write-iops).
// Expected numbers are the recorded file text, copied by hand.
const FIXTURES = path.resolve(__dirname, "../fixtures/cgroup");
const files = new OpenFiles();
afterAll(() => files.closeAll());

function load(tree: string, pid = 4242) {
  const root = path.join(FIXTURES, tree);
  const id = fs.readFileSync(path.join(root, "container-id"), "utf8").trim();
  const mounts = parseCgroupMounts(fs.readFileSync(path.join(root, "proc/mounts"), "utf8"));
  const location = locateCgroup(fs.readFileSync(path.join(root, `proc/${pid}/cgroup`), "utf8"), mounts, root);
  return { root, id, location };
}

describe("[METRICS][CGROUP] locating a container's cgroup from /proc/<pid>/cgroup", () => {
  it.each([
    ["v1-cgroupfs", "1", "cgroupfs", (root: string, id: string) => `${root}/sys/fs/cgroup/memory/docker/${id}`],
    ["v1-systemd", "1", "systemd", (root: string, id: string) => `${root}/sys/fs/cgroup/memory/system.slice/docker-${id}.scope`],
    ["v2-systemd", "2", "systemd", (root: string, id: string) => `${root}/sys/fs/cgroup/system.slice/docker-${id}.scope`],
    ["v2-cgroupfs", "2", "cgroupfs", (root: string, id: string) => `${root}/sys/fs/cgroup/docker/${id}`],
  ])("%s → cgroup v%s, %s driver", (tree, version, driver, dir) => {
    const { root, id, location } = load(tree);
    expect(location).toMatchObject({ version, driver });
    const where = location!.version === "1" ? location!.dirs.memory : location!.dir;
    expect(where).toBe(dir(root, id));
    expect(fs.existsSync(where!)).toBe(true);
  });

  it("finds co-mounted v1 controllers (cpu,cpuacct) under their shared mount", () => {
    const { root, id, location } = load("v1-systemd");
    if (location?.version !== "1") throw new Error("expected v1");
    expect(location.dirs.cpu).toBe(`${root}/sys/fs/cgroup/cpu,cpuacct/system.slice/docker-${id}.scope`);
    expect(location.dirs.cpuacct).toBe(location.dirs.cpu);
  });

  it("prefers v1 on a hybrid host (memory on v1, a unified mount beside it)", () => {
    const mounts = parseCgroupMounts(fs.readFileSync(path.join(FIXTURES, "v1-cgroupfs/proc/mounts"), "utf8"));
    expect(mounts.v2).toBe("/sys/fs/cgroup/unified");
    expect(mounts.v1.get("memory")).toBe("/sys/fs/cgroup/memory");
    expect(locateCgroup("0::/docker/abc\n4:memory:/docker/abc\n", mounts)?.version).toBe("1");
  });

  it("gives up when no hierarchy holds the process", () => {
    expect(locateCgroup("0::/docker/abc\n", { v1: new Map(), v2: null })).toBeNull();
  });
});

describe("[METRICS][CGROUP] reading counters", () => {
  const read = (p: string) => files.read(p);

  it("v1 (recorded): usage, working set, limits from the real files", () => {
    const { location } = load("v1-cgroupfs");
    const c = readCgroupCounters(read, cgroupFiles(location!)!, null)!;
    expect(c).toMatchObject({
      cpuUsageNs: 551887754, cpuPeriods: 17, cpuThrottledPeriods: 2, cpuThrottledNs: 27992350, cpuLimitCores: 0.5,
      memUsage: 598016, memWorkingSet: 598016, memRss: 57344, memCache: 0, memLimit: 64 * 1024 * 1024, oomKills: 0,
      pids: 1, pidsLimit: 100, blkReadBytes: 0, blkWriteBytes: 0,
    });
  });

  it("v2 (systemd): usec counters become ns, working set excludes inactive file, oom kills from memory.events", () => {
    const { location } = load("v2-systemd");
    const c = readCgroupCounters(read, cgroupFiles(location!)!, null)!;
    // cpu.stat usage_usec 16690243, nr_periods 380, nr_throttled 105, throttled_usec 3189781; cpu.max "50000 100000";
    // memory.current 2166784; memory.stat anon 49152, file 1863680, inactive_file 757760; memory.events oom_kill 1;
    // io.stat "254:0 rbytes=62087168 wbytes=2097152 ..."; pids.current 1, pids.max 100, memory.max 67108864.
    expect(c).toMatchObject({
      cpuUsageNs: 16690243 * 1000, cpuPeriods: 380, cpuThrottledPeriods: 105, cpuThrottledNs: 3189781 * 1000, cpuLimitCores: 50000 / 100000,
      memUsage: 2166784, memWorkingSet: 2166784 - 757760, memRss: 49152, memCache: 1863680, memLimit: 64 * 1024 * 1024, oomKills: 1,
      pids: 1, pidsLimit: 100, blkReadBytes: 62087168, blkWriteBytes: 2097152,
    });
  });

  it("v2 (systemd), no limits: 'max' memory and CPU are unlimited; systemd's TasksMax still caps pids", () => {
    const c = readCgroupCounters(read, cgroupFiles(load("v2-systemd", 4243).location!)!, null)!;
    // memory.max "max", cpu.max "max 100000", pids.max 2308 (DefaultTasksMax of the scope), memory.events oom_kill 0.
    expect(c).toMatchObject({ cpuLimitCores: null, memLimit: null, pidsLimit: 2308, oomKills: 0, cpuUsageNs: 1466387 * 1000, cpuThrottledPeriods: 0, memWorkingSet: 2478080 - 2097152 });
  });

  it("v2 (cgroupfs): counters and limits from the real files", () => {
    const c = readCgroupCounters(read, cgroupFiles(load("v2-cgroupfs").location!)!, null)!;
    expect(c).toMatchObject({
      cpuUsageNs: 19563234 * 1000, cpuPeriods: 428, cpuThrottledPeriods: 142, cpuThrottledNs: 2822917 * 1000, cpuLimitCores: 0.5,
      memUsage: 2191360, memWorkingSet: 2191360 - 741376, memRss: 57344, memCache: 1880064, memLimit: 67108864, oomKills: 1,
      pids: 1, pidsLimit: 100, blkReadBytes: 120692736, blkWriteBytes: 2097152,
    });
  });

  it("v2 (cgroupfs): 'max' means unlimited", () => {
    // The unlimited container: memory.max, pids.max "max", cpu.max "max 100000".
    const { location } = load("v2-cgroupfs", 4243);
    expect(readCgroupCounters(read, cgroupFiles(location!)!, null)).toMatchObject({ cpuLimitCores: null, memLimit: null, pidsLimit: null });
  });

  it("v1 (systemd): counters from the co-mounted cpu,cpuacct directory; the unlimited memory value is no limit", () => {
    const c = readCgroupCounters(read, cgroupFiles(load("v1-systemd").location!)!, null)!;
    // cpuacct.usage 15182192355; cpu.stat nr_periods 355, nr_throttled 77, throttled_time 2236534847; cfs 50000/100000;
    // memory.usage_in_bytes 2211840; total_inactive_file 765952, total_rss 49152, total_cache 1884160; oom_control oom_kill 1.
    expect(c).toMatchObject({
      cpuUsageNs: 15182192355, cpuPeriods: 355, cpuThrottledPeriods: 77, cpuThrottledNs: 2236534847, cpuLimitCores: 0.5,
      memUsage: 2211840, memWorkingSet: 2211840 - 765952, memRss: 49152, memCache: 1884160, memLimit: 67108864, oomKills: 1,
      pids: 1, pidsLimit: 100, blkReadBytes: 0, blkWriteBytes: 0,
    });
    // memory.limit_in_bytes 9223372036854771712, cpu.cfs_quota_us -1, pids.max 2308 (systemd's TasksMax).
    expect(readCgroupCounters(read, cgroupFiles(load("v1-systemd", 4243).location!)!, null)).toMatchObject({ memLimit: null, cpuLimitCores: null, pidsLimit: 2308 });
  });

  it("v1 (systemd): blkio Read/Write summed over devices, Sync/Async/Total lines ignored", () => {
    // The kernel counts throttle stats only for a cgroup with a throttle rule: the container run with
    // --device-read-bps has "254:0 Read 0", "254:0 Write 2105344", "254:0 Sync 2105344", "Total 2105344".
    const { location } = load("v1-systemd", 4244);
    expect(readCgroupCounters(read, cgroupFiles(location!)!, null)).toMatchObject({ blkReadBytes: 0, blkWriteBytes: 2105344, cpuUsageNs: 2011731244, cpuLimitCores: 0.5 });
  });

  it("reads throttling and OOM counters only for containers sent in full", () => {
    const { location } = load("v2-systemd");
    const summaryOnly = readCgroupCounters(read, cgroupFiles(location!)!, null, false)!;
    expect(summaryOnly).toMatchObject({ detailed: false, oomKills: 0, cpuUsageNs: 16690243 * 1000, memWorkingSet: 2166784 - 757760 });
    const v1 = readCgroupCounters(read, cgroupFiles(load("v1-cgroupfs").location!)!, null, false)!;
    expect(v1).toMatchObject({ detailed: false, cpuPeriods: 0, cpuThrottledPeriods: 0, oomKills: 0, cpuUsageNs: 551887754 });
  });

  it("keeps cached limits instead of re-reading them", () => {
    const { location } = load("v2-systemd");
    const c = readCgroupCounters(read, cgroupFiles(location!)!, { cpuLimitCores: 2, memLimit: 1, pidsLimit: 9 })!;
    expect(c).toMatchObject({ cpuLimitCores: 2, memLimit: 1, pidsLimit: 9 });
  });

  it("returns null when the container's files are gone", () => {
    expect(readCgroupCounters(read, cgroupFiles({ version: "2", driver: "systemd", dir: "/nonexistent/cgroup" })!, null)).toBeNull();
  });

  it.each([
    ["50000 100000", 0.5],
    ["200000 100000", 2],
    ["max 100000", null],
    ["", null],
  ])("cpu.max %j → %s cores", (text, cores) => expect(cpuMaxCores(text)).toBe(cores));

  it("parses io.stat and blkio lines", () => {
    expect(v2Io("8:0 rbytes=10 wbytes=20 rios=1 wios=1 dbytes=0 dios=0\n8:16 rbytes=1 wbytes=2")).toEqual({ read: 11, write: 22 });
    expect(v1Blkio("8:0 Read 5\n8:0 Write 7\n8:16 Read 1\nTotal 13\n")).toEqual({ read: 6, write: 7 });
  });
});

describe("[METRICS][FILES] descriptors kept open and re-read", () => {
  it("re-reads a changed file through the same descriptor and reopens after close", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "h6a-"));
    const p = path.join(dir, "x");
    fs.writeFileSync(p, "one");
    const f = new OpenFiles();
    expect(f.read(p)).toBe("one");
    fs.writeFileSync(p, "two two"); // same inode, new content
    expect(f.read(p)).toBe("two two");
    expect(f.size).toBe(1);
    fs.writeFileSync(p, "x".repeat(200_000)); // larger than the buffer: grown, still whole
    expect(f.read(p)!.length).toBe(200_000);
    f.closeUnder(dir);
    expect(f.size).toBe(0);
    expect(f.read(path.join(dir, "missing"))).toBeNull();
    fs.rmSync(dir, { recursive: true });
  });
});
