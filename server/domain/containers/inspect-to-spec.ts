import { LINUX_CAPS, ZContainerSpec, type ContainerDetails, type ContainerSpec, type ContainerSpecInput } from "../../../agents/protocol";

export type SpecReading = { spec: ContainerSpec | null; unsupported: string[] };

const CAPS = new Set<string>(LINUX_CAPS);
const NS = 1e9;

/**
 * Reads an existing container back into the ContainerSpec that creates the same container. Anything
 * the spec cannot express is listed in `unsupported` rather than silently dropped: recreate refuses
 * then, because the new container would differ from the old one.
 * Image defaults the container inherited (Cmd, Env such as PATH, labels, healthcheck) come back as
 * explicit settings: the new container behaves the same, and no longer follows those image defaults.
 */
export function inspectToSpec(d: ContainerDetails): SpecReading {
  const unsupported = [...d.unsupported];
  const hc = d.hostConfig;
  const candidate: ContainerSpecInput = {
    image: d.image,
    name: d.name,
    command: d.config.cmd.length ? d.config.cmd : undefined,
    entrypoint: d.config.entrypoint.length ? d.config.entrypoint : undefined,
    env: d.config.env,
    ports: hc.portBindings.map((p) => ({
      ...(p.hostIp ? { hostIp: p.hostIp } : {}),
      ...(p.hostPort ? { hostPort: p.hostPort } : {}),
      containerPort: p.containerPort,
      protocol: p.protocol as "tcp",
    })),
    mounts: [...hc.requestedMounts.map(requestedMount), ...hc.binds.map(parseBind)].filter((m): m is NonNullable<typeof m> => {
      if (m && "problem" in m) unsupported.push(m.problem);
      return !!m && !("problem" in m);
    }) as ContainerSpecInput["mounts"],
    restartPolicy: {
      name: (hc.restartPolicy.name || "no") as "no",
      ...(hc.restartPolicy.name === "on-failure" && hc.restartPolicy.maximumRetryCount > 0 ? { maximumRetryCount: hc.restartPolicy.maximumRetryCount } : {}),
    },
    memoryBytes: hc.memoryBytes > 0 ? hc.memoryBytes : undefined,
    nanoCpus: hc.nanoCpus > 0 ? hc.nanoCpus : undefined,
    pidsLimit: hc.pidsLimit && hc.pidsLimit > 0 ? hc.pidsLimit : undefined,
    capAdd: caps(hc.capAdd, "capAdd", unsupported),
    capDrop: caps(hc.capDrop, "capDrop", unsupported),
    ...securityOptions(hc.securityOpt, addsLabelDisable(hc), unsupported),
    readOnlyRootfs: hc.readonlyRootfs,
    privileged: hc.privileged,
    user: d.config.user || undefined,
    network: hc.networkMode === "default" || hc.networkMode === "" ? "bridge" : hc.networkMode,
    pidMode: mode(hc.pidMode, { "": "private", host: "host" }, "pidMode", unsupported) as "private",
    ipcMode: mode(hc.ipcMode, { "": "private", private: "private", shareable: "shareable", host: "host" }, "ipcMode", unsupported) as "private",
    utsMode: mode(hc.utsMode, { "": "private", host: "host" }, "utsMode", unsupported) as "private",
    cgroupnsMode: mode(hc.cgroupnsMode, { "": "private", private: "private", host: "host" }, "cgroupnsMode", unsupported) as "private",
    labels: d.config.labels,
    healthcheck: healthcheck(d.config.healthcheck, unsupported),
  };
  if (hc.networkMode.startsWith("container:")) unsupported.push(`network mode ${hc.networkMode}`);
  if (d.networks.length > 1) unsupported.push(`connected to ${d.networks.length} networks (a spec has one)`);
  const parsed = ZContainerSpec.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) unsupported.push(`${issue.path.join(".")}: ${issue.message}`);
    return { spec: null, unsupported };
  }
  return { spec: unsupported.length ? null : parsed.data, unsupported };
}

type MountInput = ContainerSpecInput["mounts"] extends (infer M)[] | undefined ? M : never;

function requestedMount(m: ContainerDetails["hostConfig"]["requestedMounts"][number]): MountInput | { problem: string } {
  if (m.type !== "bind" && m.type !== "volume") return { problem: `${m.type} mount at ${m.target}` };
  return { type: m.type, source: m.source, target: m.target, readOnly: m.readOnly };
}

/** `source:target[:options]` as Docker keeps HostConfig.Binds. */
function parseBind(bind: string): MountInput | { problem: string } {
  const [source, target, options, ...rest] = bind.split(":");
  if (!source || !target || rest.length) return { problem: `bind ${bind}` };
  const opts = (options ?? "").split(",").filter(Boolean);
  const unknown = opts.filter((o) => !["ro", "rw"].includes(o));
  if (unknown.length) return { problem: `bind option ${unknown.join(",")} on ${target}` };
  return { type: source.startsWith("/") ? "bind" : "volume", source, target, readOnly: opts.includes("ro") };
}

function caps(list: string[], field: string, unsupported: string[]): ContainerSpec["capAdd"] {
  const out: ContainerSpec["capAdd"] = [];
  for (const raw of list) {
    const cap = raw.toUpperCase().replace(/^CAP_/, "");
    if (CAPS.has(cap)) out.push(cap as ContainerSpec["capAdd"][number]);
    else unsupported.push(`${field} ${raw}`);
  }
  return out;
}

/** Docker itself adds `label=disable` to privileged containers and those sharing the host's PID or IPC namespace. */
function addsLabelDisable(hc: ContainerDetails["hostConfig"]): boolean {
  return hc.privileged || hc.pidMode === "host" || hc.ipcMode === "host";
}

function securityOptions(options: string[], dockerLabelDisable: boolean, unsupported: string[]): Pick<ContainerSpecInput, "seccomp" | "noNewPrivileges"> {
  let seccomp: "default" | "unconfined" = "default";
  let noNewPrivileges = false;
  for (const opt of options) {
    if (/^seccomp[=:]unconfined$/.test(opt)) seccomp = "unconfined";
    else if (/^no-new-privileges(?:[=:]true)?$/.test(opt)) noNewPrivileges = true;
    else if (dockerLabelDisable && /^label[=:]disable$/.test(opt)) continue;
    else if (!/^no-new-privileges[=:]false$/.test(opt)) unsupported.push(`security option ${opt}`);
  }
  return { seccomp, noNewPrivileges };
}

function mode(value: string, known: Record<string, string>, field: string, unsupported: string[]): string {
  const mapped = known[value];
  if (mapped) return mapped;
  unsupported.push(`${field} ${value}`);
  return "private";
}

function healthcheck(h: ContainerDetails["config"]["healthcheck"], unsupported: string[]): ContainerSpecInput["healthcheck"] {
  if (!h || h.test.length === 0) return undefined;
  if (h.test[0] === "NONE") {
    unsupported.push("healthcheck disabled with NONE");
    return undefined;
  }
  // Docker stores 0 for "engine default": 30 s interval and timeout, 3 retries, no start period.
  return {
    test: h.test,
    intervalS: h.intervalNs ? h.intervalNs / NS : 30,
    timeoutS: h.timeoutNs ? h.timeoutNs / NS : 30,
    retries: h.retries || 3,
    startPeriodS: h.startPeriodNs / NS,
  };
}
