import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { capabilitySets, decodeCapMask, DOCKER_DEFAULT_CAPS } from "../../agents/host/inspect/capabilities";
import { cgroupDriver, parseIoMax, parseProcCgroup, readCgroup } from "../../agents/host/inspect/cgroup-limits";
import { mapUid } from "../../agents/host/inspect/container-security";
import { classifyNamespaces, parseNsLink, type NamespaceInodes } from "../../agents/host/inspect/namespaces";
import { parseCmdline, parseProcStat, parseProcStatus } from "../../agents/host/inspect/proc-status";
import { parsePasswd } from "../../agents/host/inspect/processes";
import { parseProcRoutes } from "../../agents/host/inspect/sysfs-net";

const dir = path.join(__dirname, "../fixtures/inspector");
const fixture = (name: string) => readFileSync(path.join(dir, name), "utf8");

describe("[INSPECT] /proc/<pid>/status", () => {
  it("a default container: Docker's 14 capabilities, seccomp filter, root, its own pid namespace", () => {
    const s = parseProcStatus(fixture("status-default.txt"));
    expect(s.caps.eff).toBe("00000000a80425fb");
    const caps = capabilitySets(s.caps);
    expect([...caps.effective].sort()).toEqual([...DOCKER_DEFAULT_CAPS].sort());
    expect(caps.added).toEqual([]);
    expect(caps.dropped).toEqual([]);
    expect(s.seccomp).toBe("filter");
    expect(s.noNewPrivs).toBe(false);
    expect(s.uids).toEqual([0, 0, 0, 0]);
    expect(s.nsPids).toHaveLength(2);
    expect(s.nsPids[1]).toBe(1);
  });

  it("--cap-drop ALL --cap-add NET_ADMIN --user 1000 no-new-privileges seccomp=unconfined", () => {
    const s = parseProcStatus(fixture("status-capdrop-nnp-unconfined.txt"));
    const caps = capabilitySets(s.caps);
    expect(caps.bounding).toEqual(["NET_ADMIN"]);
    expect(caps.effective).toEqual([]); // a non-root user holds none of its bounding set
    expect(caps.added).toEqual(["NET_ADMIN"]);
    expect([...caps.dropped].sort()).toEqual([...DOCKER_DEFAULT_CAPS].sort());
    expect(s.seccomp).toBe("disabled");
    expect(s.seccompFilters).toBe(0);
    expect(s.noNewPrivs).toBe(true);
    expect(s.uids[1]).toBe(1000);
  });

  it.each([
    ["0000000000000000", []],
    ["0000000000001000", ["NET_ADMIN"]],
    ["0000000000200000", ["SYS_ADMIN"]],
    ["0000010000000000", ["CHECKPOINT_RESTORE"]],
    ["0000020000000000", ["CAP_41"]],
    ["not-hex", []],
  ])("decodes mask %s", (mask, names) => {
    expect(decodeCapMask(mask)).toEqual(names);
  });

  it("/proc/<pid>/stat with spaces and parens in comm; cmdline; passwd", () => {
    expect(parseProcStat("42 (my (odd) proc) S 1 42 42 0 -1 4194560 100 0 0 0 150 25 0 0 20 0 1 0 5000 1000 100")).toEqual({ utime: 150, stime: 25, startTicks: 5000 });
    expect(parseCmdline("sh\0-c\0sleep 5\0")).toBe("sh -c sleep 5");
    expect(parsePasswd("root:x:0:0:root:/root:/bin/sh\nwww:x:33:33::/:/bin/false\n").get(33)).toBe("www");
  });
});

describe("[INSPECT] namespaces", () => {
  const ns = (over: Partial<NamespaceInodes>): NamespaceInodes => ({ pid: 1, net: 2, ipc: 3, uts: 4, mnt: 5, user: 6, cgroup: 7, time: 8, ...over });
  it("own, host and shared-with-another-container", () => {
    const host = ns({});
    const me = ns({ pid: 101, net: 102, ipc: 103, uts: 104, mnt: 105 });
    const other = { id: "b".repeat(64), name: "sidecar", inodes: ns({ pid: 201, net: 102, ipc: 203, uts: 204, mnt: 205 }) };
    const out = classifyNamespaces(me, host, [other]);
    expect(Object.fromEntries(out.map((n) => [n.kind, n.sharing]))).toEqual({ pid: "own", net: "shared", ipc: "own", uts: "own", mnt: "own", user: "host", cgroup: "host", time: "host" });
    expect(out.find((n) => n.kind === "net")!.sharedWith).toEqual([{ id: other.id, name: "sidecar" }]);
    expect(parseNsLink("net:[4026532184]")).toBe(4026532184);
    expect(parseNsLink(null)).toBeNull();
  });
});

describe("[INSPECT] cgroups", () => {
  it("v1 cgroupfs (recorded): memory 64m, pids 50, no CPU quota, cpuset of the whole machine = no limit", async () => {
    const root = path.join(dir, "cgroup-v1");
    const cg = (await readCgroup({ proc: `${root}/proc`, sys: `${root}/sys` }, 4242))!;
    expect(cg).toMatchObject({ version: "1", driver: "cgroupfs" });
    expect(cg.path).toMatch(/^\/docker\/[a-f0-9]{64}$/);
    expect(cg.limits).toMatchObject({ memoryBytes: 64 * 1024 * 1024, pidsMax: 50, cpuQuotaUs: null, cpuPeriodUs: 100000, cpuShares: 1024, cpusetCpus: null, blockIo: [] });
    expect(cg.usage.pids).toBe(2);
  });

  // Recorded in a Debian 12 VM (cgroup v2, systemd driver; fixtures/inspector/README.md): a container run with
  // --memory 64m --memory-swap 128m --cpus 0.5 --cpu-shares 512 --cpuset-cpus 0 --pids-limit 100
  // --device-read-bps /dev/vda:1mb --device-write-iops /dev/vda:120 on a one-CPU VM.
  it("v2 systemd (recorded): memory.max, memory + swap, cpu.max, cpu.weight, cpuset of the whole machine = no limit, io.max", async () => {
    const root = path.join(dir, "cgroup-v2-systemd");
    const cg = (await readCgroup({ proc: `${root}/proc`, sys: `${root}/sys` }, 4242))!;
    expect(cg).toMatchObject({ version: "2", driver: "systemd" });
    expect(cg.path).toMatch(/^\/system\.slice\/docker-[a-f0-9]{64}\.scope$/);
    // memory.max 67108864; memory.swap.max 67108864 (swap alone: --memory-swap 128m minus --memory 64m);
    // cpu.max "50000 100000"; cpu.weight 20 (--cpu-shares 512 converted); cpuset.cpus "0" = root's
    // cpuset.cpus.effective "0"; cpuset.mems empty; pids.max 100; io.max "254:0 rbps=1048576 wbps=max riops=max wiops=120".
    expect(cg.limits).toEqual({
      memoryBytes: 67108864, memorySwapBytes: 67108864 + 67108864, cpuQuotaUs: 50000, cpuPeriodUs: 100000, cpuShares: null, cpuWeight: 20,
      cpusetCpus: null, cpusetMems: null, pidsMax: 100, blockIo: [{ device: "254:0", kind: "read bps", value: 1048576 }, { device: "254:0", kind: "write iops", value: 120 }],
    });
    expect(cg.usage).toEqual({ memoryBytes: 2473984, pids: 1 }); // memory.current, pids.current
  });

  it("v2 systemd (recorded), no flags: 'max' memory, swap and CPU are no limit; systemd's TasksMax caps pids", async () => {
    const root = path.join(dir, "cgroup-v2-systemd");
    const cg = (await readCgroup({ proc: `${root}/proc`, sys: `${root}/sys` }, 4243))!;
    // memory.max "max", memory.swap.max "max", cpu.max "max 100000", cpu.weight 100, pids.max 2308, io.max empty.
    expect(cg.limits).toEqual({
      memoryBytes: null, memorySwapBytes: null, cpuQuotaUs: null, cpuPeriodUs: 100000, cpuShares: null, cpuWeight: 100,
      cpusetCpus: null, cpusetMems: null, pidsMax: 2308, blockIo: [],
    });
  });

  it("parses /proc/<pid>/cgroup of both versions and names the driver", () => {
    const v1 = parseProcCgroup(fixture("proc-cgroup-v1.txt"));
    expect(v1.v1.get("memory")).toMatch(/^\/docker\//);
    expect(v1.v1.has("name=systemd")).toBe(false);
    expect(parseProcCgroup("0::/system.slice/docker-abc.scope\n")).toEqual({ v2: "/system.slice/docker-abc.scope", v1: new Map() });
    expect(cgroupDriver("/system.slice/docker-abc.scope")).toBe("systemd");
    expect(cgroupDriver("/kubepods/burstable/pod1/abc")).toBe("unknown");
    expect(parseIoMax("8:16 rbps=max wbps=2097152 riops=max wiops=max\n")).toEqual([{ device: "8:16", kind: "write bps", value: 2097152 }]);
  });

  it("maps uids through /proc/<pid>/uid_map (userns remapping)", () => {
    expect(mapUid("         0          0 4294967295\n", 0)).toBe(0);
    expect(mapUid("         0     100000      65536\n", 0)).toBe(100000);
    expect(mapUid("         0     100000      65536\n", 1000)).toBe(101000);
    expect(mapUid(null, 0)).toBeNull();
  });
});

describe("[INSPECT] routes", () => {
  it("/proc/net/route (recorded) as CIDRs", () => {
    expect(parseProcRoutes(fixture("proc-net-route.txt"))).toEqual([
      { destination: "default", gateway: "192.0.2.1", iface: "eth0", metric: 0 },
      { destination: "172.17.0.0/16", gateway: null, iface: "docker0", metric: 0 },
      { destination: "192.0.2.0/24", gateway: null, iface: "eth0", metric: 0 },
    ]);
  });
});
