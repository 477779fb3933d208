import type Docker from "dockerode";
import type { ContainerSpec } from "../../protocol";
import { RuntimeError, toRuntimeError } from "./runtime-error";

const NS = 1e9;

/**
 * A ContainerSpec as Docker's create body, and nothing else: every field below comes from the spec, so
 * the allow-list is the spec's schema. Mounts use HostConfig.Mounts (typed, no `:` parsing, and a
 * missing bind source is an error rather than a silently created directory).
 */
export function createBody(spec: ContainerSpec, name: string): Docker.ContainerCreateOptions {
  const exposed: Record<string, object> = {};
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const p of spec.ports) {
    const key = `${p.containerPort}/${p.protocol}`;
    exposed[key] = {};
    (bindings[key] ??= []).push({ HostIp: p.hostIp ?? "", HostPort: p.hostPort ? String(p.hostPort) : "" });
  }
  const securityOpt = [
    ...(spec.seccomp === "unconfined" ? ["seccomp=unconfined"] : []),
    ...(spec.noNewPrivileges ? ["no-new-privileges"] : []),
  ];
  return {
    name,
    Image: spec.image,
    Cmd: spec.command,
    Entrypoint: spec.entrypoint,
    Env: spec.env.map(({ key, value }) => `${key}=${value}`),
    User: spec.user,
    Labels: spec.labels,
    ExposedPorts: exposed,
    Healthcheck: spec.healthcheck && {
      Test: /^(CMD|CMD-SHELL|NONE)$/.test(spec.healthcheck.test[0]!) ? spec.healthcheck.test : ["CMD", ...spec.healthcheck.test],
      Interval: Math.round(spec.healthcheck.intervalS * NS),
      Timeout: Math.round(spec.healthcheck.timeoutS * NS),
      Retries: spec.healthcheck.retries,
      StartPeriod: Math.round(spec.healthcheck.startPeriodS * NS),
    },
    HostConfig: {
      PortBindings: bindings,
      Mounts: spec.mounts.map((m) => ({ Type: m.type, Source: m.source, Target: m.target, ReadOnly: m.readOnly })),
      RestartPolicy: { Name: spec.restartPolicy.name, MaximumRetryCount: spec.restartPolicy.maximumRetryCount ?? 0 },
      Memory: spec.memoryBytes,
      NanoCpus: spec.nanoCpus,
      PidsLimit: spec.pidsLimit,
      CapAdd: spec.capAdd,
      CapDrop: spec.capDrop,
      SecurityOpt: securityOpt,
      ReadonlyRootfs: spec.readOnlyRootfs,
      Privileged: spec.privileged,
      NetworkMode: spec.network,
      PidMode: spec.pidMode === "host" ? "host" : "",
      IpcMode: spec.ipcMode,
      UTSMode: spec.utsMode === "host" ? "host" : "",
      ...({ CgroupnsMode: spec.cgroupnsMode } as object), // API 1.41; missing from @types/dockerode
    },
  };
}

/** Creates a container from a spec under `name`; Docker's refusal keeps its words (no such image, name taken…). */
export async function createFromSpec(docker: Docker, spec: ContainerSpec, name: string): Promise<{ id: string; warnings: string[] }> {
  try {
    const container = await docker.createContainer(createBody(spec, name));
    // dockerode drops the create response's Warnings; inspect is the only way to confirm what was made.
    return { id: container.id, warnings: [] };
  } catch (err) {
    throw createError(err, spec);
  }
}

function createError(err: unknown, spec: ContainerSpec): RuntimeError {
  const e = toRuntimeError(err, spec.image, "image");
  if (e.code !== "NO_SUCH_IMAGE") return e;
  // A 404 on create names whatever was missing: the image, or the network to attach to.
  if (/network .* not found/i.test(e.message)) return new RuntimeError("NO_SUCH_NETWORK", e.message);
  return e;
}
