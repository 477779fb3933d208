import { readlink } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Finding, SecurityReport } from "../../agents/protocol";
import { DOCKER_DEFAULT_CAPS } from "../../agents/host/inspect/capabilities";
import { startControlEnv, type ControlEnv } from "../support/control-env";
import { docker } from "../support/docker-cli";
import { freePort } from "../support/processes";
import { waitFor } from "../support/test-services";

/**
 * The isolation and network inspector against the real engine and kernel: containers made with one
 * weakening setting each, and a plain one that must carry none of their findings.
 */
let env: ControlEnv;
let port: number;
const ids: Record<string, string> = {};
let privilegedStarted = false;

const CASES: Record<string, string[]> = {
  plain: [],
  capadd: ["--cap-add", "NET_ADMIN"],
  capdrop: ["--cap-drop", "ALL"],
  seccomp: ["--security-opt", "seccomp=unconfined"],
  pidhost: ["--pid", "host"],
  nethost: ["--network", "host"],
  ipchost: ["--ipc", "host"],
  readonly: ["--read-only"],
  sock: ["-v", "/var/run/docker.sock:/var/run/docker.sock"],
  limits: ["--memory", "64m", "--pids-limit", "50"],
};

const labels = () => Object.entries(env.labels).flatMap(([k, v]) => ["--label", `${k}=${v}`]);
const inRegistry = (id: string) => waitFor(() => env.services.registry.get(env.hostId)?.containers.get(id), "container in the live inventory");
const report = (id: string) => env.as("viewer").security.container({ containerId: id });
const findingIds = (r: SecurityReport) => r.findings.map((f) => f.id).sort();
const pidOf = async (id: string) => Number(await docker(["inspect", "-f", "{{.State.Pid}}", id]));

beforeAll(async () => {
  env = await startControlEnv("inspector");
  port = await freePort();
  for (const [name, args] of Object.entries(CASES)) {
    ids[name] = await docker(["run", "-d", ...labels(), "--name", env.name(name), ...args, "local/busybox:latest", "sleep", "600"]);
  }
  ids.web = await docker(["run", "-d", ...labels(), "--name", env.name("web"), "-p", `127.0.0.1:${port}:80`, "local/busybox:latest", "httpd", "-f", "-p", "80"]);
  // This sandbox's engine may be unable to grant a privileged container every capability: create it,
  // try to start it, and check the kernel facts only if it runs.
  ids.privileged = await docker(["create", ...labels(), "--name", env.name("privileged"), "--privileged", "local/busybox:latest", "sleep", "600"]);
  privilegedStarted = await docker(["start", ids.privileged]).then(() => true, () => false);
  for (const id of Object.values(ids)) await inRegistry(id);
}, 120_000);

afterAll(async () => {
  await env?.stop();
});

describe("[INSPECT][ISOLATION] each setting shows up as exactly its facts and findings", () => {
  it("a plain container: own namespaces, Docker's default capabilities, seccomp filter, and none of the weakening findings", async () => {
    const r = await report(ids.plain!);
    expect(r.running).toBe(true);
    expect(Object.fromEntries(r.namespaces.map((n) => [n.kind, n.sharing]))).toMatchObject({ pid: "own", net: "own", ipc: "own", uts: "own", mnt: "own" });
    expect(r.capabilities!.added).toEqual([]);
    expect(r.capabilities!.dropped).toEqual([]);
    expect([...r.capabilities!.effective].sort()).toEqual([...DOCKER_DEFAULT_CAPS].sort());
    expect(r.seccomp).toEqual({ mode: "filter", filters: 1, profile: "default" });
    expect(r).toMatchObject({ privileged: false, readonlyRootfs: false, noNewPrivileges: false, user: { uid: 0, root: true, usernsRemapped: false } });
    expect(r.cgroup!.limits).toMatchObject({ memoryBytes: null, pidsMax: null, cpuQuotaUs: null });
    const weakening = ["CIS-5.3", "CIS-5.4", "CIS-5.5", "CIS-5.9", "CIS-5.15", "CIS-5.16", "CIS-5.20", "CIS-5.21", "CIS-5.31", "PT-CAPADD-ALL", "PT-SYSTEMPATHS-UNCONFINED"];
    expect(findingIds(r).filter((id) => weakening.includes(id))).toEqual([]);
    // The true, mild ones a default container has.
    expect(findingIds(r)).toEqual(expect.arrayContaining(["CIS-4.1", "CIS-5.10", "CIS-5.12", "CIS-5.25", "CIS-5.28"]));
  });

  it("namespace inodes and sharing agree with readlink /proc/<pid>/ns/*", async () => {
    for (const name of ["plain", "pidhost", "nethost", "ipchost"]) {
      const r = await report(ids[name]!);
      const pid = await pidOf(ids[name]!);
      for (const ns of r.namespaces) {
        const link = await readlink(`/proc/${pid}/ns/${ns.kind}`);
        expect(link, `${name} ${ns.kind}`).toBe(`${ns.kind}:[${ns.inode}]`);
        const self = await readlink(`/proc/self/ns/${ns.kind}`);
        expect(ns.sharing === "host", `${name} ${ns.kind} host?`).toBe(link === self);
      }
    }
    const sharing = async (name: string) => Object.fromEntries((await report(ids[name]!)).namespaces.map((n) => [n.kind, n.sharing]));
    expect(await sharing("pidhost")).toMatchObject({ pid: "host", net: "own" });
    expect(await sharing("nethost")).toMatchObject({ net: "host", uts: "own", pid: "own" }); // Docker keeps a private UTS namespace
    expect(await sharing("ipchost")).toMatchObject({ ipc: "host", pid: "own", net: "own" });
  });

  it("a namespace joined from another container is named", async () => {
    const joined = await docker(["run", "-d", ...labels(), "--name", env.name("joined"), "--network", `container:${ids.plain}`, "local/busybox:latest", "sleep", "600"]);
    await inRegistry(joined);
    const net = (await report(joined)).namespaces.find((n) => n.kind === "net")!;
    expect(net).toMatchObject({ sharing: "shared", sharedWith: [{ id: ids.plain, name: env.name("plain") }] });
  });

  it.each([
    ["capadd", (r: SecurityReport) => expect(r.capabilities!.added).toEqual(["NET_ADMIN"]), ["CIS-5.3"]],
    ["capdrop", (r: SecurityReport) => {
      expect(r.capabilities!.bounding).toEqual([]);
      expect([...r.capabilities!.dropped].sort()).toEqual([...DOCKER_DEFAULT_CAPS].sort());
    }, []],
    ["seccomp", (r: SecurityReport) => expect(r.seccomp).toEqual({ mode: "disabled", filters: 0, profile: "unconfined" }), ["CIS-5.21"]],
    ["pidhost", () => undefined, ["CIS-5.15"]],
    ["nethost", () => undefined, ["CIS-5.9"]],
    ["ipchost", () => undefined, ["CIS-5.16"]],
    ["readonly", (r: SecurityReport) => expect(r.readonlyRootfs).toBe(true), []],
    ["sock", (r: SecurityReport) => expect(r.mounts).toEqual([expect.objectContaining({ source: "/var/run/docker.sock", destination: "/var/run/docker.sock", readOnly: false, sensitive: expect.stringContaining("Docker API") })]), ["CIS-5.31"]],
    ["limits", (r: SecurityReport) => expect(r.cgroup!.limits).toMatchObject({ memoryBytes: 64 * 1024 * 1024, pidsMax: 50 }), []],
  ] as const)("%s", async (name, facts, extra) => {
    const plain = findingIds(await report(ids.plain!));
    const r = await report(ids[name]!);
    facts(r);
    const removed: Record<string, string[]> = { readonly: ["CIS-5.12"], limits: ["CIS-5.10", "CIS-5.28"] };
    const want = [...plain.filter((id) => !(removed[name] ?? []).includes(id)), ...extra].sort();
    expect(findingIds(r)).toEqual(want);
    const first = (id: string) => r.findings.find((f: Finding) => f.id === id)!;
    for (const id of extra) expect(first(id).evidence.value.length).toBeGreaterThan(0);
  });

  it("a privileged container is critical (kernel facts too when this engine can run it)", async () => {
    const r = await report(ids.privileged!);
    expect(r.privileged).toBe(true);
    expect(r.seccomp.profile).toBe("unconfined");
    expect(r.devices).toEqual([{ pathOnHost: "(all host devices)", pathInContainer: "/dev", permissions: "rwm" }]);
    expect(r.findings.find((f) => f.id === "CIS-5.4")).toMatchObject({ severity: "critical", evidence: { field: "HostConfig.Privileged", value: "true" } });
    if (privilegedStarted) {
      expect(r.running).toBe(true);
      expect(r.capabilities!.added).toEqual(expect.arrayContaining(["SYS_ADMIN", "NET_ADMIN"]));
      expect(r.seccomp.mode).toBe("disabled");
    } else {
      expect(r.running).toBe(false);
      expect(r.namespaces).toEqual([]);
    }
  });

  it("security.fleet lists every container's findings with the host, and the privileged one as critical", async () => {
    // A second host that never connected: reported with its error, the answer still comes back.
    const offline = await env.services.db.host.create({ data: { name: "inspector-offline", publicKey: "O".repeat(44) } });
    const fleet = await env.as("viewer").security.fleet();
    expect(fleet.hosts).toEqual([
      expect.objectContaining({ hostId: env.hostId, online: true, error: null }),
      { hostId: offline.id, hostName: "inspector-offline", online: false, containers: 0, error: "host offline" },
    ]);
    const mine = fleet.findings.filter((f) => Object.values(ids).includes(f.containerId));
    expect(mine.find((f) => f.containerId === ids.privileged && f.id === "CIS-5.4")).toMatchObject({ severity: "critical", hostId: env.hostId, containerName: env.name("privileged") });
    expect(mine.filter((f) => f.containerId === ids.plain && f.severity === "critical")).toEqual([]);
  });
});

describe("[INSPECT][PROCESSES] processes.list", () => {
  it("host PIDs agree with docker top; in-namespace PIDs, parents and users come from /proc", async () => {
    await docker(["exec", "-d", ids.plain!, "sh", "-c", "sleep 500"]);
    const top = await waitFor(async () => {
      const out = (await docker(["top", ids.plain!, "-o", "pid"])).split("\n").slice(1).map(Number).sort((a, b) => a - b);
      return out.length >= 2 ? out : null;
    }, "two processes in docker top");
    const procs = await env.as("viewer").processes.list({ containerId: ids.plain! });
    expect(procs.map((p) => p.hostPid)).toEqual(top);
    const init = procs.find((p) => p.nsPid === 1)!;
    expect(init).toMatchObject({ hostPid: await pidOf(ids.plain!), user: "root", uid: 0, cmd: "sleep 600" });
    const child = procs.find((p) => p.cmd === "sleep 500")!;
    expect(child.nsPid).toBeGreaterThan(1);
    expect(child.mem).toBeGreaterThan(0);
    // --pid host: the in-namespace PID is the host PID.
    const hostPidProcs = await env.as("viewer").processes.list({ containerId: ids.pidhost! });
    expect(hostPidProcs.every((p) => p.nsPid === p.hostPid)).toBe(true);
  });
});

describe("[INSPECT][NETWORK] network.host", () => {
  it("maps the container's veth to its bridge, attributes the DNAT rule to the port binding, and flags a deleted rule as drift", async () => {
    const net = await env.as("viewer").network.host({ hostId: env.hostId });
    expect(net.natError).toBeNull();
    const web = net.containers.find((c) => c.id === ids.web)!;
    expect(web.ports).toEqual([{ hostIp: "127.0.0.1", hostPort: port, containerPort: 80, protocol: "tcp" }]);
    const link = web.links[0]!;
    expect(link.name).toBe("eth0");
    const peer = net.interfaces.find((i) => i.name === link.hostInterface)!;
    expect(peer).toMatchObject({ ifindex: link.hostIfindex, kind: "veth", master: link.bridge });
    expect(net.bridges.find((b) => b.name === link.bridge)!.members).toContain(peer.name);
    // What `docker exec … cat /sys/class/net/eth0/iflink` says is the host-side ifindex.
    expect(Number(await docker(["exec", ids.web!, "cat", "/sys/class/net/eth0/iflink"]))).toBe(link.hostIfindex);
    expect(net.containers.find((c) => c.id === ids.nethost)!.links).toEqual([]);

    const dnat = net.natRules.find((r) => r.target === "DNAT" && r.port?.hostPort === port)!;
    expect(dnat).toMatchObject({ chain: "DOCKER", containerId: ids.web, containerName: env.name("web"), drift: false });
    expect(net.missingRules.filter((m) => m.containerId === ids.web)).toEqual([]);
    const ip = web.ips[0]!.ip;
    expect(net.natRules.find((r) => r.target === "MASQUERADE" && r.bridge === link.bridge)).toBeDefined();

    // Delete the rule by hand (exactly as iptables-save printed it): the binding is now drift.
    await execIptables(["-t", "nat", "-D", "DOCKER", ...dnat.rule.split(" ")]);
    try {
      const after = await env.as("viewer").network.host({ hostId: env.hostId });
      expect(after.natRules.find((r) => r.target === "DNAT" && r.port?.hostPort === port)).toBeUndefined();
      expect(after.missingRules.filter((m) => m.containerId === ids.web)).toEqual([{ containerId: ids.web, containerName: env.name("web"), port: web.ports[0] }]);
    } finally {
      await execIptables(["-t", "nat", "-A", "DOCKER", ...dnat.rule.split(" ")]);
    }
    // And a DNAT rule no container explains is drift the other way (added to our own chain position, then removed).
    const orphan = ["-d", "127.0.0.1/32", "-p", "tcp", "-m", "tcp", "--dport", String(port + 1), "-j", "DNAT", "--to-destination", `${ip}:81`];
    await execIptables(["-t", "nat", "-A", "DOCKER", ...orphan]);
    try {
      const after = await env.as("viewer").network.host({ hostId: env.hostId });
      expect(after.natRules.find((r) => r.target === "DNAT" && r.rule.includes(`--dport ${port + 1}`))).toMatchObject({ drift: true });
    } finally {
      await execIptables(["-t", "nat", "-D", "DOCKER", ...orphan]);
    }
  });
});

async function execIptables(args: string[]): Promise<void> {
  const { execFile } = await import("node:child_process");
  await new Promise<void>((resolve, reject) => execFile("iptables", args, (err, _o, stderr) => (err ? reject(new Error(stderr || err.message)) : resolve())));
}
