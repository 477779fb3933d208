import crypto from "node:crypto";
import type { Container, ContainerDetail, ContainerDetails, ContainerSummary, EngineEvent, HostFacts, HostMetrics, LogLine } from "../../agents/protocol";

/**
 * What a simulated host reports, shaped like a small real Docker host's (values taken from what the
 * real agent sent for busybox containers on these machines). Deterministic per agent and container,
 * with a little movement over time so ticks are not all identical.
 */

const MiB = 2 ** 20;
const wave = (now: number, period: number, seed: number) => 0.5 + 0.5 * Math.sin(now / period + seed);

export function simContainerId(agent: number, i: number): string {
  return crypto.createHash("sha256").update(`portolan-sim:${agent}:${i}`).digest("hex");
}

/** The probe container of a probe agent is named `bench-probe-<agent>` so a fleet search finds just them. */
export function simContainer(agent: number, i: number, probe: boolean): Container {
  const id = simContainerId(agent, i);
  const created = Date.now() - 3_600_000 - i * 1000;
  return {
    id,
    name: probe ? `bench-probe-${agent}` : `sim-${agent}-app-${i}`,
    image: i % 3 === 0 ? "local/busybox:latest" : i % 3 === 1 ? "nginx:1.27-alpine" : "redis:7.4",
    imageId: `sha256:${crypto.createHash("sha256").update(`img${i % 3}`).digest("hex")}`,
    command: i % 3 === 0 ? "sleep 86400" : i % 3 === 1 ? "/docker-entrypoint.sh nginx -g 'daemon off;'" : "docker-entrypoint.sh redis-server",
    state: "running",
    status: "Up 1 hour",
    health: "none",
    createdAt: created,
    startedAt: created + 1000,
    finishedAt: null,
    exitCode: null,
    ports: i % 3 === 1 ? [{ privatePort: 80, publicPort: 20_000 + i, ip: "0.0.0.0", protocol: "tcp" }] : [],
    labels: { "com.example.service": `svc-${i % 5}`, "com.example.team": `team-${agent % 7}` },
    networks: [{ name: "bridge", ipAddress: `172.17.${Math.floor(i / 250)}.${(i % 250) + 2}`, macAddress: "02:42:ac:11:00:02", gateway: "172.17.0.1" }],
    restartCount: 0,
  };
}

export function simFacts(name: string): HostFacts {
  return {
    hostname: name, os: "Debian GNU/Linux 12 (bookworm)", kernel: "6.1.0-28-amd64", architecture: "x64", cpus: 4, memoryBytes: 16 * 2 ** 30,
    dockerVersion: "20.10.24", apiVersion: "1.41", cgroupVersion: "1", cgroupDriver: "cgroupfs", storageDriver: "overlay2",
    securityOptions: ["name=seccomp,profile=default"], agentVersion: "0.1.0-sim",
  };
}

export function simHostMetrics(now: number): HostMetrics {
  const cpu = 5 + 20 * wave(now, 60_000, 1);
  return {
    cpuPercent: cpu, perCore: [cpu * 1.1, cpu * 0.9, cpu, cpu], load: [0.4, 0.3, 0.25],
    memTotal: 16 * 2 ** 30, memUsed: 6 * 2 ** 30, memAvailable: 10 * 2 ** 30, swapTotal: 0, swapUsed: 0,
    netRxBps: 12_000, netTxBps: 8_000,
    interfaces: [{ name: "eth0", rxBps: 12_000, txBps: 8_000, rxPps: 40, txPps: 30, errors: 0, drops: 0 }],
    diskReadBps: 0, diskWriteBps: 4096,
    disks: [{ mount: "/", fsType: "ext4", totalBytes: 100 * 2 ** 30, usedBytes: 40 * 2 ** 30 }],
    uptimeSeconds: 86_400,
  };
}

export function simContainerSummary(id: string, now: number): ContainerSummary {
  const seed = parseInt(id.slice(0, 6), 16);
  return {
    id, cpuPercent: 0.5 + 3 * wave(now, 30_000, seed), memBytes: (8 + (seed % 64)) * MiB, memLimit: seed % 2 ? 256 * MiB : null,
    netRxBps: 100, netTxBps: 80, blkReadBps: 0, blkWriteBps: 0, pids: 1 + (seed % 5),
  };
}

export function simContainerDetail(id: string, now: number): ContainerDetail {
  const s = simContainerSummary(id, now);
  return {
    ...s, cpuOfLimitPercent: null, cpuLimitCores: null, cpuPeriods: 0, cpuThrottledPeriods: 0, cpuThrottledSeconds: 0,
    memWorkingSet: s.memBytes, memRss: s.memBytes * 0.8, memCache: s.memBytes * 0.2, oomKills: 0, pidsLimit: null,
    netRxPps: 2, netTxPps: 1, netErrors: 0, netDrops: 0, source: "cgroup-v1",
  };
}

export function simEngineEvent(c: Container, action: string, now: number): EngineEvent {
  return {
    timeNano: `${now}000000`,
    type: "container",
    action,
    actorId: c.id,
    attributes: { name: c.name, image: c.image, ...c.labels },
  };
}

export function simLogLine(name: string): LogLine {
  const d = new Date();
  return { ts: `${d.toISOString().slice(0, 19)}.${String(d.getMilliseconds()).padStart(3, "0")}000000Z`, stream: "stdout", text: `${name}: GET /healthz 200 ${d.getTime() % 997} µs` };
}

export function simInspect(c: Container): ContainerDetails {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    id: c.id, name: c.name, image: c.image, imageId: c.imageId, createdAt: iso(c.createdAt)!,
    state: { status: c.state, running: c.state === "running", paused: false, restarting: false, oomKilled: false, pid: 4242, exitCode: 0, startedAt: iso(c.startedAt), finishedAt: null, health: null },
    config: { user: "", env: [{ key: "PATH", value: "/usr/bin:/bin" }], cmd: c.command.split(" "), entrypoint: [], labels: c.labels, workingDir: "/", hostname: c.id.slice(0, 12), exposedPorts: [], healthcheck: null },
    hostConfig: {
      privileged: false, readonlyRootfs: false, capAdd: [], capDrop: [], securityOpt: [], pidMode: "", ipcMode: "private", utsMode: "", cgroupnsMode: "host", networkMode: "bridge",
      restartPolicy: { name: "no", maximumRetryCount: 0 }, memoryBytes: 0, nanoCpus: 0, pidsLimit: null, portBindings: [], binds: [], requestedMounts: [],
    },
    mounts: [],
    networks: c.networks.map((n) => ({ name: n.name, ipAddress: n.ipAddress, gateway: n.gateway, macAddress: n.macAddress })),
    unsupported: [],
  };
}
