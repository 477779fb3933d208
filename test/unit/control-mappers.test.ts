import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createBody } from "../../agents/host/runtime/docker-create";
import { ZDockerImage, ZDockerInspectFull, ZDockerNetwork, ZDockerUser, ZDockerVolumes } from "../../agents/host/runtime/docker-control-schemas";
import { mapDetails } from "../../agents/host/runtime/map-details";
import { mapImages, mapNetworks, mapVolumes } from "../../agents/host/runtime/map-resources";
import { ZContainerDetails, ZImageEntry, ZNetworkEntry, ZVolumeEntry } from "../../agents/protocol";
import { inspectToSpec } from "../../server/domain/containers/inspect-to-spec";
import { inspectView } from "../../server/domain/containers/inspect-view";

// Recorded from this machine's engine (Docker 20.10.24, API 1.41): `docker run` with many settings, and a plain one.
const fixture = (name: string) => JSON.parse(fs.readFileSync(path.join(__dirname, "../fixtures/docker", name), "utf8"));
const details = (name: string, patch: (raw: Record<string, any>) => void = () => undefined) => {
  const raw = fixture(name);
  patch(raw);
  return ZContainerDetails.parse(mapDetails(ZDockerInspectFull.parse(raw)));
};
const PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

describe("inspect → ContainerSpec (recreate reads a container back)", () => {
  it("reads every setting of a richly configured container", () => {
    const { spec, unsupported } = inspectToSpec(details("control-inspect-rich.json"));
    expect(unsupported).toEqual([]);
    expect(spec).toEqual({
      image: "local/busybox:latest",
      name: "fixture-rich",
      command: ["sleep", "600"],
      env: [{ key: "GREETING", value: "hello" }, { key: "SECRET", value: "s3cr3t" }, { key: "PATH", value: PATH.slice(5) }],
      ports: [{ hostIp: "127.0.0.1", hostPort: 18181, containerPort: 80, protocol: "tcp" }, { containerPort: 9000, protocol: "udp" }],
      mounts: [{ type: "bind", source: "/tmp", target: "/host-tmp", readOnly: true }, { type: "volume", source: "fixture-vol", target: "/data", readOnly: false }],
      restartPolicy: { name: "on-failure", maximumRetryCount: 3 },
      memoryBytes: 67108864,
      nanoCpus: 500000000,
      pidsLimit: 100,
      capAdd: ["NET_ADMIN"], // Docker reports CAP_NET_ADMIN
      capDrop: ["MKNOD"],
      seccomp: "default",
      readOnlyRootfs: true,
      noNewPrivileges: true,
      privileged: false,
      user: "65534:65534",
      network: "fixture-net",
      pidMode: "private",
      ipcMode: "private",
      utsMode: "private",
      cgroupnsMode: "host", // the engine's default on this cgroup v1 host, read as it is
      labels: { app: "web", "portolan.test": "1" },
      healthcheck: { test: ["CMD-SHELL", "true"], intervalS: 10, timeoutS: 30, retries: 2, startPeriodS: 0 },
    });
  });

  it("reads a plain `docker run` container (default network, no limits)", () => {
    const { spec, unsupported } = inspectToSpec(details("control-inspect-plain.json"));
    expect(unsupported).toEqual([]);
    expect(spec).toMatchObject({ image: "local/busybox:latest", name: "fixture-plain", network: "bridge", ports: [], mounts: [], restartPolicy: { name: "no" }, capAdd: [], capDrop: [], privileged: false });
    expect(spec!.memoryBytes).toBeUndefined();
    expect(spec!.pidsLimit).toBeUndefined();
    expect(spec!.healthcheck).toBeUndefined();
  });

  it("turned back into a create body, gives the HostConfig Docker reported", () => {
    const raw = fixture("control-inspect-rich.json");
    const { spec } = inspectToSpec(details("control-inspect-rich.json"));
    const body = createBody(spec!, "fixture-rich");
    expect(body.HostConfig).toMatchObject({
      PortBindings: raw.HostConfig.PortBindings, Memory: raw.HostConfig.Memory, NanoCpus: raw.HostConfig.NanoCpus, PidsLimit: raw.HostConfig.PidsLimit,
      RestartPolicy: raw.HostConfig.RestartPolicy, ReadonlyRootfs: true, SecurityOpt: raw.HostConfig.SecurityOpt, NetworkMode: "fixture-net", CgroupnsMode: "host",
    });
    expect(body.Env).toEqual(raw.Config.Env);
    expect(body.Healthcheck).toEqual({ Test: ["CMD-SHELL", "true"], Interval: 10e9, Timeout: 30e9, Retries: 2, StartPeriod: 0 });
  });

  it.each<[string, (raw: Record<string, any>) => void, string]>([
    ["custom DNS", (r) => (r.HostConfig.Dns = ["9.9.9.9"]), "Dns"],
    ["a tmpfs", (r) => (r.HostConfig.Tmpfs = { "/run": "" }), "Tmpfs"],
    ["an AppArmor profile", (r) => r.HostConfig.SecurityOpt.push("apparmor=unconfined"), "security option apparmor=unconfined"],
    ["another container's network", (r) => (r.HostConfig.NetworkMode = "container:abc"), "network mode container:abc"],
    ["a custom hostname", (r) => (r.Config.Hostname = "web"), "Hostname web"],
    ["a log driver", (r) => (r.HostConfig.LogConfig = { Type: "syslog", Config: {} }), "LogConfig"],
  ])("refuses to guess: %s is reported as unsupported", (_, patch, expected) => {
    const { spec, unsupported } = inspectToSpec(details("control-inspect-rich.json", patch));
    expect(spec).toBeNull();
    expect(unsupported).toContain(expected);
  });
});

describe("inspect view", () => {
  it("redacts env values unless the caller may read them", () => {
    const d = details("control-inspect-rich.json");
    const hidden = inspectView(d, false);
    expect(hidden.envRedacted).toBe(true);
    expect(hidden.config.env).toEqual([{ key: "GREETING", value: null }, { key: "SECRET", value: null }, { key: "PATH", value: null }]);
    expect(JSON.stringify(hidden)).not.toContain("s3cr3t");
    expect(inspectView(d, true).config.env).toContainEqual({ key: "SECRET", value: "s3cr3t" });
    expect(hidden.hostConfig.portBindings).toEqual([
      { containerPort: 80, protocol: "tcp", hostIp: "127.0.0.1", hostPort: 18181 },
      { containerPort: 9000, protocol: "udp", hostIp: "", hostPort: null },
    ]);
    expect(hidden.state).toMatchObject({ status: "running", running: true, health: "starting", finishedAt: null });
  });
});

describe("list mappers (recorded lists)", () => {
  const users = fixture("control-containers.json").map((c: unknown) => ZDockerUser.parse(c));
  const plain = { id: "013021a9f7a792c09c290b824fef7d9fa47c37232a968019430904d0092a3cd2", name: "fixture-plain" };
  const rich = { id: "cb21daf8db785ea0f0c6d4c0a1a6ca1ff75c3454e35b3c3fff1d555fb4fdb549", name: "fixture-rich" };

  it("images: tags, size, ISO time and the containers using each", () => {
    const [image] = mapImages(fixture("control-images.json").map((i: unknown) => ZDockerImage.parse(i)), users);
    expect(ZImageEntry.parse(image)).toEqual({
      id: "sha256:b529ff085038f0cd4748f36ea5bc60350af09a1521ff09b04a96b734c205d972",
      tags: ["local/busybox:latest"],
      sizeBytes: 1984234,
      createdAt: new Date(1795923728 * 1000).toISOString(),
      containers: [{ ...plain, state: "running" }, { ...rich, state: "running" }],
    });
  });

  it("volumes: the containers mounting each", () => {
    const volumes = mapVolumes(ZDockerVolumes.parse(fixture("control-volumes.json")).Volumes, users);
    expect(volumes.map((v) => ZVolumeEntry.parse(v))).toEqual([
      { name: "fixture-vol", driver: "local", mountpoint: "/var/lib/docker/volumes/fixture-vol/_data", scope: "local", createdAt: "2026-11-29T07:25:09Z", labels: { "portolan.test": "1" }, containers: [rich] },
    ]);
  });

  it("networks: subnets, bridge interface and attached containers with their address", () => {
    const networks = mapNetworks(fixture("control-networks.json").map((n: unknown) => ZDockerNetwork.parse(n)), users).map((n) => ZNetworkEntry.parse(n));
    const byName = Object.fromEntries(networks.map((n) => [n.name, n]));
    expect(byName.bridge).toMatchObject({ driver: "bridge", bridge: "docker0", subnets: [{ subnet: "172.17.0.0/16", gateway: "172.17.0.1" }], containers: [{ ...plain, ipv4: "172.17.0.2" }] });
    expect(byName["fixture-net"]).toMatchObject({ bridge: "br-4f923d595780", subnets: [{ subnet: "10.231.0.0/24", gateway: null }], containers: [{ ...rich, ipv4: "10.231.0.2" }], labels: { "portolan.test": "1" } });
    expect(byName.host).toMatchObject({ driver: "host", bridge: null, containers: [] });
  });
});
