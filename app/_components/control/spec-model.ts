import { DOCKER_DEFAULT_CAPS, ZContainerSpec, type ContainerSpec, type ContainerSpecInput } from "../../../agents/protocol/container-spec";
import { isolationRisks, type IsolationRisk } from "../../../server/domain/containers/isolation-policy";
import { formatBytesShort, joinCommand, parseBytes, parseCpus, splitCommand } from "./units";

/** The create form's state: text as typed, turned into a ContainerSpec by `readForm`. */
export type KeyValue = { id: string; key: string; value: string };
export type PortRow = { id: string; hostIp: string; hostPort: string; containerPort: string; protocol: "tcp" | "udp" | "sctp" };
export type MountRow = { id: string; type: "bind" | "volume"; source: string; target: string; readOnly: boolean };
export type SpecForm = {
  image: string;
  name: string;
  command: string;
  entrypoint: string;
  env: KeyValue[];
  ports: PortRow[];
  mounts: MountRow[];
  restartPolicy: "no" | "always" | "unless-stopped" | "on-failure";
  maxRetries: string;
  memory: string;
  cpus: string;
  pids: string;
  capAdd: string[];
  capDrop: string[];
  seccomp: "default" | "unconfined";
  readOnlyRootfs: boolean;
  noNewPrivileges: boolean;
  privileged: boolean;
  user: string;
  network: string;
  pidMode: "private" | "host";
  ipcMode: "private" | "shareable" | "host";
  utsMode: "private" | "host";
  cgroupnsMode: "private" | "host";
  labels: KeyValue[];
  healthcheck: { enabled: boolean; test: string; interval: string; timeout: string; retries: string; startPeriod: string };
  start: boolean;
};

let seq = 0;
export const rowId = () => `r${++seq}`;

export function emptyForm(): SpecForm {
  return {
    image: "",
    name: "",
    command: "",
    entrypoint: "",
    env: [],
    ports: [],
    mounts: [],
    restartPolicy: "no",
    maxRetries: "",
    memory: "",
    cpus: "",
    pids: "",
    capAdd: [],
    capDrop: [],
    seccomp: "default",
    readOnlyRootfs: false,
    noNewPrivileges: false,
    privileged: false,
    user: "",
    network: "bridge",
    pidMode: "private",
    ipcMode: "private",
    utsMode: "private",
    cgroupnsMode: "private",
    labels: [],
    healthcheck: { enabled: false, test: "", interval: "30", timeout: "30", retries: "3", startPeriod: "0" },
    start: true,
  };
}

/** Field keys used for messages: a top-level spec field, or `ports.2`, `env.0`, `mounts.1`… */
export type FieldErrors = Record<string, string>;

export type FormReading = {
  spec: ContainerSpec | null;
  errors: FieldErrors;
  risks: IsolationRisk[];
};

const num = (s: string): number | undefined => (s.trim() === "" ? undefined : Number(s));

/** Reads the form into a spec, validated by the same schema the server uses; risks from the same policy. */
export function readForm(form: SpecForm): FormReading {
  const errors: FieldErrors = {};
  const command = splitCommand(form.command);
  if (command === null) errors.command = "a quote is not closed";
  const entrypoint = splitCommand(form.entrypoint);
  if (entrypoint === null) errors.entrypoint = "a quote is not closed";
  const memoryBytes = form.memory.trim() ? parseBytes(form.memory) : undefined;
  if (memoryBytes === null) errors.memoryBytes = "a size like 512m or 1.5g";
  const nanoCpus = form.cpus.trim() ? parseCpus(form.cpus) : undefined;
  if (nanoCpus === null) errors.nanoCpus = "a number of CPUs like 0.5 or 2";
  const labels: Record<string, string> = {};
  form.labels.forEach((l, i) => {
    if (!l.key.trim() && !l.value) return;
    if (!l.key.trim()) errors[`labels.${i}`] = "a label needs a key";
    else if (l.key.trim() in labels) errors[`labels.${i}`] = "duplicate key";
    labels[l.key.trim()] = l.value;
  });
  form.ports.forEach((p, i) => {
    if (!/^\d+$/.test(p.containerPort.trim())) errors[`ports.${i}`] = "the container port is a number from 1 to 65535";
    else if (p.hostPort.trim() && !/^\d+$/.test(p.hostPort.trim())) errors[`ports.${i}`] = "the host port is a number from 1 to 65535, or empty";
  });
  form.mounts.forEach((m, i) => {
    if (!m.source.trim() || !m.target.trim()) errors[`mounts.${i}`] = m.type === "volume" ? "a volume name and a target path are needed" : "a host path and a target path are needed";
  });
  const hcTest = form.healthcheck.enabled ? splitCommand(form.healthcheck.test) : [];
  if (hcTest === null) errors.healthcheck = "a quote is not closed";

  const input: ContainerSpecInput = {
    image: form.image.trim(),
    name: form.name.trim() || undefined,
    command: command && command.length ? command : undefined,
    entrypoint: entrypoint && entrypoint.length ? entrypoint : undefined,
    env: form.env.filter((e) => e.key || e.value).map((e) => ({ key: e.key.trim(), value: e.value })),
    ports: form.ports.map((p) => ({
      ...(p.hostIp.trim() ? { hostIp: p.hostIp.trim() } : {}),
      ...(p.hostPort.trim() ? { hostPort: num(p.hostPort) } : {}),
      containerPort: num(p.containerPort) ?? Number.NaN,
      protocol: p.protocol,
    })),
    mounts: form.mounts.map((m) => ({ type: m.type, source: m.source.trim(), target: m.target.trim(), readOnly: m.readOnly })),
    restartPolicy: { name: form.restartPolicy, ...(form.restartPolicy === "on-failure" && form.maxRetries.trim() ? { maximumRetryCount: num(form.maxRetries) } : {}) },
    memoryBytes: memoryBytes ?? undefined,
    nanoCpus: nanoCpus ?? undefined,
    pidsLimit: num(form.pids),
    capAdd: form.capAdd as ContainerSpecInput["capAdd"],
    capDrop: form.capDrop as ContainerSpecInput["capDrop"],
    seccomp: form.seccomp,
    readOnlyRootfs: form.readOnlyRootfs,
    noNewPrivileges: form.noNewPrivileges,
    privileged: form.privileged,
    user: form.user.trim() || undefined,
    network: form.network || "bridge",
    pidMode: form.pidMode,
    ipcMode: form.ipcMode,
    utsMode: form.utsMode,
    cgroupnsMode: form.cgroupnsMode,
    labels,
    healthcheck:
      form.healthcheck.enabled && hcTest && hcTest.length
        ? {
            test: hcTest[0] === "CMD" || hcTest[0] === "CMD-SHELL" || hcTest[0] === "NONE" ? hcTest : ["CMD-SHELL", joinCommand(hcTest)],
            intervalS: num(form.healthcheck.interval),
            timeoutS: num(form.healthcheck.timeout),
            retries: num(form.healthcheck.retries),
            startPeriodS: num(form.healthcheck.startPeriod),
          }
        : undefined,
  };
  if (form.healthcheck.enabled && hcTest && hcTest.length === 0) errors.healthcheck = "a test command is needed";

  const parsed = ZContainerSpec.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [head, index] = issue.path;
      const key = typeof index === "number" && (head === "ports" || head === "env" || head === "mounts") ? `${head}.${index}` : String(head ?? "spec");
      errors[key] ??= issue.message;
    }
  }
  // Risks come from what is set even while other fields are still invalid.
  const risks = isolationRisks(parsed.success ? parsed.data : lenient(input));
  return { spec: parsed.success && Object.keys(errors).length === 0 ? parsed.data : null, errors, risks };
}

function lenient(input: ContainerSpecInput): ContainerSpec {
  return {
    ...input,
    capAdd: input.capAdd ?? [],
    mounts: (input.mounts ?? []).map((m) => ({ ...m, readOnly: m.readOnly ?? false })),
  } as ContainerSpec;
}

/** The risks one mount row brings on its own (shown next to that row). */
export function mountRisks(m: MountRow): IsolationRisk[] {
  if (m.type !== "bind" || !m.source.trim()) return [];
  return isolationRisks({ ...lenient({ image: "x" }), mounts: [{ type: "bind", source: m.source.trim(), target: m.target || "/x", readOnly: m.readOnly }] });
}

export const DEFAULT_CAPS: readonly string[] = DOCKER_DEFAULT_CAPS;

/** What `containers.inspect` shows, as far as the create form needs it. */
export type InspectLike = {
  name: string;
  image: string;
  config: { user: string; env: { key: string; value: string | null }[]; cmd: string[]; entrypoint: string[]; labels: Record<string, string> };
  hostConfig: {
    privileged: boolean; readonlyRootfs: boolean; capAdd: string[]; capDrop: string[]; securityOpt: string[];
    pidMode: string; ipcMode: string; utsMode: string; cgroupnsMode: string; networkMode: string;
    restartPolicy: { name: string; maximumRetryCount: number }; memoryBytes: number; nanoCpus: number; pidsLimit: number | null;
    portBindings: { containerPort: number; protocol: string; hostIp: string; hostPort: number | null }[];
  };
  mounts: { type: string; source: string; destination: string; readOnly: boolean; name: string | null }[];
};

/**
 * "Duplicate as new": the form prefilled from an existing container. Hidden env values (the caller
 * cannot read secrets) come back empty and are listed in `needsValues`.
 */
export function formFromInspect(d: InspectLike): { form: SpecForm; needsValues: string[] } {
  const hc = d.hostConfig;
  const pick = <T extends string>(v: string, allowed: readonly T[], fallback: T): T => ((allowed as readonly string[]).includes(v) ? (v as T) : fallback);
  const needsValues = d.config.env.filter((e) => e.value === null).map((e) => e.key);
  const form: SpecForm = {
    ...emptyForm(),
    image: d.image,
    name: `${d.name.replace(/^\//, "")}-copy`,
    command: joinCommand(d.config.cmd),
    entrypoint: joinCommand(d.config.entrypoint),
    env: d.config.env.map((e) => ({ id: rowId(), key: e.key, value: e.value ?? "" })),
    ports: hc.portBindings.map((p) => ({
      id: rowId(),
      hostIp: p.hostIp,
      hostPort: p.hostPort ? String(p.hostPort) : "",
      containerPort: String(p.containerPort),
      protocol: pick(p.protocol, ["tcp", "udp", "sctp"] as const, "tcp"),
    })),
    mounts: d.mounts
      .filter((m) => m.type === "bind" || m.type === "volume")
      .map((m) => ({ id: rowId(), type: m.type as "bind" | "volume", source: m.type === "volume" ? (m.name ?? m.source) : m.source, target: m.destination, readOnly: m.readOnly })),
    restartPolicy: pick(hc.restartPolicy.name, ["no", "always", "unless-stopped", "on-failure"] as const, "no"),
    maxRetries: hc.restartPolicy.maximumRetryCount ? String(hc.restartPolicy.maximumRetryCount) : "",
    memory: hc.memoryBytes > 0 ? formatBytesShort(hc.memoryBytes) : "",
    cpus: hc.nanoCpus > 0 ? String(hc.nanoCpus / 1e9) : "",
    pids: hc.pidsLimit && hc.pidsLimit > 0 ? String(hc.pidsLimit) : "",
    capAdd: hc.capAdd.map((c) => c.replace(/^CAP_/, "")),
    capDrop: hc.capDrop.map((c) => c.replace(/^CAP_/, "")),
    seccomp: hc.securityOpt.some((o) => /^seccomp[=:]unconfined$/.test(o)) ? "unconfined" : "default",
    readOnlyRootfs: hc.readonlyRootfs,
    noNewPrivileges: hc.securityOpt.some((o) => /^no-new-privileges(?:[=:]true)?$/.test(o)),
    privileged: hc.privileged,
    user: d.config.user,
    network: hc.networkMode === "default" || !hc.networkMode ? "bridge" : hc.networkMode,
    pidMode: hc.pidMode === "host" ? "host" : "private",
    ipcMode: pick(hc.ipcMode, ["private", "shareable", "host"] as const, "private"),
    utsMode: hc.utsMode === "host" ? "host" : "private",
    cgroupnsMode: hc.cgroupnsMode === "host" ? "host" : "private",
    labels: Object.entries(d.config.labels).map(([key, value]) => ({ id: rowId(), key, value })),
  };
  return { form, needsValues };
}
