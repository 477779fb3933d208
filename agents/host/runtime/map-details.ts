import type { ContainerDetails } from "../../protocol";
import type { DockerInspectFull } from "./docker-control-schemas";

const DEFAULT_SHM_BYTES = 64 * 1024 * 1024;

/** Docker's inspect of one container as the protocol's ContainerDetails (env values included). */
export function mapDetails(i: DockerInspectFull): ContainerDetails {
  const hc = i.HostConfig;
  return {
    id: i.Id,
    name: i.Name.replace(/^\//, ""),
    image: i.Config.Image,
    imageId: i.Image,
    createdAt: i.Created,
    state: {
      status: i.State.Status, running: i.State.Running, paused: i.State.Paused, restarting: i.State.Restarting, oomKilled: i.State.OOMKilled,
      pid: i.State.Pid, exitCode: i.State.ExitCode, startedAt: time(i.State.StartedAt), finishedAt: time(i.State.FinishedAt),
      health: i.State.Health?.Status ?? null,
    },
    config: {
      user: i.Config.User,
      env: i.Config.Env.map((e) => {
        const eq = e.indexOf("=");
        return eq < 0 ? { key: e, value: "" } : { key: e.slice(0, eq), value: e.slice(eq + 1) };
      }),
      cmd: i.Config.Cmd,
      entrypoint: i.Config.Entrypoint,
      labels: i.Config.Labels,
      workingDir: i.Config.WorkingDir,
      hostname: i.Config.Hostname,
      exposedPorts: Object.keys(i.Config.ExposedPorts),
      healthcheck: i.Config.Healthcheck?.Test.length
        ? { test: i.Config.Healthcheck.Test, intervalNs: i.Config.Healthcheck.Interval ?? 0, timeoutNs: i.Config.Healthcheck.Timeout ?? 0, retries: i.Config.Healthcheck.Retries ?? 0, startPeriodNs: i.Config.Healthcheck.StartPeriod ?? 0 }
        : null,
    },
    hostConfig: {
      privileged: hc.Privileged ?? false,
      readonlyRootfs: hc.ReadonlyRootfs ?? false,
      capAdd: hc.CapAdd,
      capDrop: hc.CapDrop,
      securityOpt: hc.SecurityOpt,
      pidMode: hc.PidMode,
      ipcMode: hc.IpcMode,
      utsMode: hc.UTSMode,
      cgroupnsMode: hc.CgroupnsMode,
      networkMode: hc.NetworkMode,
      restartPolicy: { name: hc.RestartPolicy?.Name || "no", maximumRetryCount: hc.RestartPolicy?.MaximumRetryCount ?? 0 },
      memoryBytes: hc.Memory ?? 0,
      nanoCpus: hc.NanoCpus ?? 0,
      pidsLimit: hc.PidsLimit && hc.PidsLimit > 0 ? hc.PidsLimit : null,
      portBindings: Object.entries(hc.PortBindings).flatMap(([key, bindings]) => {
        const [port, protocol] = key.split("/");
        return bindings.map((b) => ({ containerPort: Number(port), protocol: protocol ?? "tcp", hostIp: b.HostIp, hostPort: b.HostPort ? Number(b.HostPort) : null }));
      }),
      binds: hc.Binds,
      requestedMounts: hc.Mounts.map((m) => ({ type: m.Type, source: m.Source, target: m.Target, readOnly: m.ReadOnly ?? false })),
    },
    mounts: i.Mounts.map((m) => ({ type: m.Type, source: m.Source, destination: m.Destination, readOnly: !m.RW, name: m.Name ?? null })),
    networks: Object.entries(i.NetworkSettings.Networks).map(([name, n]) => ({
      name, ipAddress: n.IPAddress || null, gateway: n.Gateway || null, macAddress: n.MacAddress || null,
    })),
    unsupported: unsupportedSettings(i),
  };
}

/** Settings this container has that a ContainerSpec cannot express; recreating it would drop them. */
function unsupportedSettings(i: DockerInspectFull): string[] {
  const hc = i.HostConfig;
  const out: string[] = [];
  const lists = { Dns: hc.Dns, DnsSearch: hc.DnsSearch, DnsOptions: hc.DnsOptions, ExtraHosts: hc.ExtraHosts, Devices: hc.Devices, VolumesFrom: hc.VolumesFrom, Links: hc.Links, GroupAdd: hc.GroupAdd, Ulimits: hc.Ulimits };
  for (const [name, value] of Object.entries(lists)) if (value.length) out.push(name);
  if (Object.keys(hc.Tmpfs).length) out.push("Tmpfs");
  if (Object.keys(hc.Sysctls).length) out.push("Sysctls");
  if (hc.Runtime && hc.Runtime !== "runc") out.push(`Runtime ${hc.Runtime}`);
  if (hc.UsernsMode) out.push(`UsernsMode ${hc.UsernsMode}`);
  if (hc.CpuShares || hc.CpuQuota || hc.CpusetCpus || hc.MemoryReservation) out.push("CPU shares/quota/set or memory reservation");
  if (hc.ShmSize && hc.ShmSize !== DEFAULT_SHM_BYTES) out.push("ShmSize");
  if (hc.AutoRemove) out.push("AutoRemove");
  if (hc.PublishAllPorts) out.push("PublishAllPorts");
  if (hc.LogConfig && ((hc.LogConfig.Type && hc.LogConfig.Type !== "json-file") || Object.keys(hc.LogConfig.Config).length)) out.push("LogConfig");
  if (i.Config.Hostname && i.Config.Hostname !== i.Id.slice(0, 12) && hc.NetworkMode !== "host") out.push(`Hostname ${i.Config.Hostname}`);
  return out;
}

function time(raw: string): string | null {
  return !raw || raw.startsWith("0001-") ? null : raw;
}
