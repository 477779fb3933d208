import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { publishedPorts } from "../../agents/host/inspect/host-network";
import { ZInspectSecurity } from "../../agents/host/inspect/inspect-schema";
import { parseIptablesSave } from "../../agents/host/inspect/iptables";
import { attributeNat } from "../../agents/host/inspect/nat-attribution";
import { postureChecks } from "../../agents/host/inspect/posture-checks";
import { mountRisk } from "../../agents/host/inspect/sensitive-mounts";

const dir = path.join(__dirname, "../fixtures/inspector");
const fixture = (name: string) => readFileSync(path.join(dir, name), "utf8");
const published = ZInspectSecurity.parse(JSON.parse(fixture("inspect-published.json")));
const privileged = ZInspectSecurity.parse(JSON.parse(fixture("inspect-privileged-created.json")));
const natContainer = { id: published.Id, name: published.Name, running: true, ips: ["172.17.0.3"], ports: publishedPorts(published.NetworkSettings.Ports) };
const bridges = [{ name: "docker0", subnets: ["172.17.0.0/16"] }];

describe("[INSPECT][NAT] iptables-save (recorded, nf_tables backend)", () => {
  const rules = parseIptablesSave(fixture("iptables-save.txt"));

  it("parses both tables and the DNAT rule's matches", () => {
    expect(rules.filter((r) => r.table === "nat")).toHaveLength(6);
    const dnat = rules.find((r) => r.target === "DNAT")!;
    expect(dnat).toMatchObject({ chain: "DOCKER", destination: "127.0.0.1/32", inIface: { name: "docker0", negated: true }, protocol: "tcp", dport: 18977, toDestination: { ip: "172.17.0.3", port: 80 } });
  });

  it("attributes the DNAT and hairpin rules to the container and the MASQUERADE rule to its bridge", () => {
    const out = attributeNat(rules, [natContainer], bridges);
    const dnat = out.natRules.find((r) => r.target === "DNAT")!;
    expect(dnat).toMatchObject({ containerId: published.Id, containerName: published.Name, port: { hostIp: "127.0.0.1", hostPort: 18977, containerPort: 80, protocol: "tcp" }, drift: false });
    expect(out.natRules.find((r) => r.rule.startsWith("-s 172.17.0.0/16"))).toMatchObject({ target: "MASQUERADE", bridge: "docker0" });
    expect(out.natRules.find((r) => r.rule.startsWith("-s 172.17.0.3/32"))).toMatchObject({ containerId: published.Id });
    expect(out.natRules.filter((r) => r.drift)).toEqual([]);
    expect(out.missingRules).toEqual([]);
    expect(out.filterRules.find((r) => r.chain === "DOCKER" && r.target === "ACCEPT")).toMatchObject({ containerId: published.Id });
    expect(out.filterRules.some((r) => r.chain === "DOCKER-USER")).toBe(true);
  });

  it("flags drift both ways: a binding without its rule, a rule without its container", () => {
    const withoutDnat = rules.filter((r) => r.target !== "DNAT");
    expect(attributeNat(withoutDnat, [natContainer], bridges).missingRules).toEqual([{ containerId: published.Id, containerName: published.Name, port: natContainer.ports[0] }]);
    const orphan = attributeNat(rules, [], bridges);
    expect(orphan.natRules.find((r) => r.target === "DNAT")).toMatchObject({ drift: true });
    expect(orphan.natRules.find((r) => r.target === "DNAT")!.containerId).toBeUndefined();
    // A rule for the same container on another host port is drift too.
    const moved = attributeNat(rules, [{ ...natContainer, ports: [{ ...natContainer.ports[0]!, hostPort: 18978 }] }], bridges);
    expect(moved.natRules.find((r) => r.target === "DNAT")).toMatchObject({ drift: true });
    expect(moved.missingRules).toHaveLength(1);
  });
});

describe("[INSPECT][POSTURE] checks", () => {
  const ids = (f: { id: string }[]) => f.map((x) => x.id).sort();
  const noLsm = { apparmor: false, selinux: false };

  it("a privileged container with the Docker socket, /etc and the host's pid namespace (recorded inspect, not started)", () => {
    const findings = postureChecks({ inspect: privileged, kernel: null, host: noLsm });
    expect(findings.find((f) => f.id === "CIS-5.4")).toMatchObject({ severity: "critical", evidence: { field: "HostConfig.Privileged", value: "true" } });
    expect(findings.find((f) => f.id === "CIS-5.31")).toMatchObject({ severity: "critical", evidence: { value: "/var/run/docker.sock → /var/run/docker.sock (rw)" } });
    expect(findings.find((f) => f.id === "CIS-5.5")).toMatchObject({ severity: "medium", evidence: { value: "/etc → /host-etc (ro)" } });
    expect(findings.find((f) => f.id === "CIS-5.15")).toMatchObject({ severity: "high", evidence: { field: "HostConfig.PidMode", value: "host" } });
    // Privileged already says it all: no separate capability, seccomp or systempaths findings.
    expect(ids(findings)).not.toContain("CIS-5.3");
    expect(ids(findings)).not.toContain("CIS-5.21");
    expect(ids(findings)).not.toContain("PT-SYSTEMPATHS-UNCONFINED");
    for (const f of findings) expect(f.remediation.length).toBeGreaterThan(10);
  });

  it("the published container: limits in force, 127.0.0.1 binding: no memory/pids/wildcard findings", () => {
    const findings = postureChecks({ inspect: published, kernel: null, host: noLsm });
    expect(ids(findings)).toEqual(["CIS-4.1", "CIS-5.11", "CIS-5.12", "CIS-5.25", "CIS-5.26", "PT-HOST-CGROUPNS"]);
  });

  it("AppArmor and SELinux are checked only where the host has them", () => {
    expect(ids(postureChecks({ inspect: published, kernel: null, host: { apparmor: true, selinux: true } }))).toEqual(expect.arrayContaining(["CIS-5.1", "CIS-5.2"]));
  });

  // One setting changed on the recorded published container: exactly that finding appears.
  type Raw = Record<string, any>;
  const raw = () => JSON.parse(fixture("inspect-published.json")) as Raw;
  it.each<[string, (r: Raw) => void, string, string, string]>([
    ["CapAdd ALL", (r) => (r.HostConfig.CapAdd = ["ALL"]), "PT-CAPADD-ALL", "critical", "ALL"],
    ["CapAdd SYS_ADMIN", (r) => (r.HostConfig.CapAdd = ["CAP_SYS_ADMIN"]), "CIS-5.3", "high", "SYS_ADMIN"],
    ["systempaths=unconfined", (r) => (r.HostConfig.MaskedPaths = []), "PT-SYSTEMPATHS-UNCONFINED", "high", "[] (systempaths=unconfined)"],
    ["a device", (r) => (r.HostConfig.Devices = [{ PathOnHost: "/dev/fuse", PathInContainer: "/dev/fuse", CgroupPermissions: "rwm" }]), "CIS-5.17", "medium", "/dev/fuse:/dev/fuse:rwm"],
    ["shared propagation", (r) => (r.Mounts = [{ Type: "volume", Source: "/var/lib/docker/volumes/x/_data", Destination: "/data", RW: true, Propagation: "rshared" }]), "CIS-5.19", "medium", "/data: rshared"],
    ["cgroup parent", (r) => (r.HostConfig.CgroupParent = "/custom"), "CIS-5.24", "medium", "/custom"],
    ["restart always", (r) => (r.HostConfig.RestartPolicy = { Name: "always", MaximumRetryCount: 0 }), "CIS-5.14", "info", "always"],
    ["userns host", (r) => (r.HostConfig.UsernsMode = "host"), "CIS-5.30", "medium", "host"],
    ["uts host", (r) => (r.HostConfig.UTSMode = "host"), "CIS-5.20", "medium", "host"],
    ["port 80 on every interface", (r) => (r.NetworkSettings.Ports = { "80/tcp": [{ HostIp: "0.0.0.0", HostPort: "80" }] }), "CIS-5.7", "low", "0.0.0.0:80 → 80/tcp"],
    ["containerd socket", (r) => (r.Mounts = [{ Type: "bind", Source: "/run/containerd/containerd.sock", Destination: "/c.sock", RW: true, Propagation: "rprivate" }]), "PT-RUNTIME-SOCKET", "critical", "/run/containerd/containerd.sock → /c.sock (rw)"],
  ])("%s", (_name, change, id, severity, value) => {
    const base = ids(postureChecks({ inspect: published, kernel: null, host: noLsm }));
    const r = raw();
    change(r);
    const findings = postureChecks({ inspect: ZInspectSecurity.parse(r), kernel: null, host: noLsm });
    const added = findings.filter((f) => !base.includes(f.id) || f.id === id);
    // A port on 0.0.0.0 is also published on every interface (CIS-5.13): both findings, nothing else.
    expect(added.map((f) => f.id).sort()).toEqual(id === "CIS-5.7" ? ["CIS-5.13", "CIS-5.7"] : [id]);
    expect(added.find((f) => f.id === id)).toMatchObject({ severity, evidence: { value } });
  });

  it.each([
    ["/var/run/docker.sock", "docker-socket"],
    ["/run/containerd/containerd.sock", "runtime-socket"],
    ["/run/dbus/system_bus_socket.sock", "run-socket"],
    ["/", "host-dir"],
    ["/etc/", "host-dir"],
    ["/proc/sys", "host-dir"],
    ["/srv/data", null],
    ["/etcetera", null],
  ])("mount source %s is %s", (source, risk) => {
    expect(mountRisk(source)?.risk ?? null).toBe(risk);
  });
});
