import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cgroupFiles, cpuMaxCores, readCgroupCounters, v1Blkio, v2Io } from "../../agents/host/metrics/cgroup-counters";
import { locateCgroup, parseCgroupMounts } from "../../agents/host/metrics/cgroup-paths";
import { OpenFiles } from "../../agents/host/metrics/open-files";

// Recorded cgroup trees: v1/cgroupfs copied from this machine's engine (a container run with
// --memory 64m --cpus 0.5 --pids-limit 100); v2 (systemd and cgroupfs drivers) and v1/systemd with
// co-mounted cpu,cpuacct written from the kernel's documented file formats.
const FIXTURES = path.resolve(__dirname, "../fixtures/cgroup");
const files = new OpenFiles();
afterAll(() => files.closeAll());

function load(tree: string) {
  const root = path.join(FIXTURES, tree);
  const id = fs.readFileSync(path.join(root, "container-id"), "utf8").trim();
  const mounts = parseCgroupMounts(fs.readFileSync(path.join(root, "proc/mounts"), "utf8"));
  const location = locateCgroup(fs.readFileSync(path.join(root, "proc/4242/cgroup"), "utf8"), mounts, root);
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
    expect(c).toMatchObject({
      cpuUsageNs: 2485310 * 1000, cpuPeriods: 245, cpuThrottledPeriods: 12, cpuThrottledNs: 301245 * 1000, cpuLimitCores: 0.5,
      memUsage: 9445376, memWorkingSet: 9445376 - 2097152, memRss: 5242880, memCache: 3145728, memLimit: 268435456, oomKills: 2,
      pids: 3, pidsLimit: null, blkReadBytes: 1257472 + 4096, blkWriteBytes: 4096 + 8192,
    });
  });

  it("v2 (cgroupfs): 'max' means unlimited", () => {
    const { location } = load("v2-cgroupfs");
    expect(readCgroupCounters(read, cgroupFiles(location!)!, null)).toMatchObject({ cpuLimitCores: null, memLimit: null });
  });

  it("v1 (systemd): blkio Read/Write summed over devices, Total lines ignored", () => {
    const { location } = load("v1-systemd");
    expect(readCgroupCounters(read, cgroupFiles(location!)!, null)).toMatchObject({ blkReadBytes: 2203648, blkWriteBytes: 12288, cpuUsageNs: 551887754, cpuLimitCores: 0.5 });
  });

  it("reads throttling and OOM counters only for containers sent in full", () => {
    const { location } = load("v2-systemd");
    const summaryOnly = readCgroupCounters(read, cgroupFiles(location!)!, null, false)!;
    expect(summaryOnly).toMatchObject({ detailed: false, oomKills: 0, cpuUsageNs: 2485310 * 1000, memWorkingSet: 9445376 - 2097152 });
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
