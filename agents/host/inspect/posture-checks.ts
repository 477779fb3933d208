import type { Capabilities, CgroupInfo, Finding, Namespace } from "../../../agents/protocol";
import { normaliseCap } from "./capabilities";
import type { InspectSecurity } from "./inspect-schema";
import { mountRisk } from "./sensitive-mounts";

/** What the checks look at: Docker's settings, what the kernel shows for a running container, and the host's LSMs. */
export type PostureInput = {
  inspect: InspectSecurity;
  kernel: {
    namespaces: Namespace[];
    capabilities: Capabilities | null;
    seccompMode: "disabled" | "strict" | "filter" | null;
    noNewPrivs: boolean | null;
    uid: number | null;
    cgroup: CgroupInfo | null;
  } | null;
  host: { apparmor: boolean; selinux: boolean };
};

// Capabilities that are a known path out of the container on their own.
const ESCAPE_CAPS = ["SYS_ADMIN", "SYS_MODULE", "SYS_PTRACE", "SYS_RAWIO", "DAC_READ_SEARCH", "BPF", "SYS_BOOT", "MAC_ADMIN", "MAC_OVERRIDE"];

/**
 * The container-runtime checks of the CIS Docker Benchmark (section 5, plus 4.1 root user) and
 * Portolan's own (PT-…). A pure function: same facts, same findings, in a stable order.
 */
export function postureChecks({ inspect: i, kernel: k, host }: PostureInput): Finding[] {
  const hc = i.HostConfig;
  const out: Finding[] = [];
  const add = (id: string, severity: Finding["severity"], title: string, ...[field, value, remediation]: [string, string, string]) =>
    out.push({ id, severity, title, evidence: { field, value: value.slice(0, 2000) }, remediation });
  const ns = (kind: Namespace["kind"]) => k?.namespaces.find((n) => n.kind === kind)?.sharing === "host";
  const capAdd = hc.CapAdd.map(normaliseCap);
  // Docker's setting when it says "host"; otherwise the kernel's word (a namespace joined some other way).
  const nsEvidence = (kind: Namespace["kind"], field: string, value: string): [string, string] => {
    if (value === "host") return [field, value];
    const inode = k?.namespaces.find((n) => n.kind === kind)?.inode;
    return [`/proc/<pid>/ns/${kind}`, `${kind}:[${inode}] = the host's`];
  };

  if (hc.Privileged) add("CIS-5.4", "critical", "Privileged container", "HostConfig.Privileged", "true", "Remove --privileged; add only the capabilities and devices the workload needs.");
  if (capAdd.includes("ALL")) add("PT-CAPADD-ALL", "critical", "Every capability added", "HostConfig.CapAdd", hc.CapAdd.join(", "), "Replace --cap-add ALL with the few capabilities the workload needs.");
  else if (!hc.Privileged) {
    const added = k?.capabilities ? k.capabilities.added : capAdd;
    if (added.length) {
      const escape = added.filter((c) => ESCAPE_CAPS.includes(c));
      add("CIS-5.3", escape.length ? "high" : "medium", "Capabilities added beyond Docker's default", k?.capabilities ? "CapBnd (/proc/<pid>/status)" : "HostConfig.CapAdd", added.join(", "),
        "Drop the added capabilities (--cap-drop ALL, then --cap-add only what is needed).");
    }
  }
  for (const m of i.Mounts) {
    const risk = mountRisk(m.Source);
    if (!risk || m.Type !== "bind") continue;
    const value = `${m.Source} → ${m.Destination} (${m.RW ? "rw" : "ro"})`;
    if (risk.risk === "docker-socket") add("CIS-5.31", "critical", "Docker socket mounted", "Mounts", value, "Do not mount the Docker socket; use a narrowly scoped API proxy if the workload must talk to Docker.");
    else if (risk.risk === "runtime-socket") add("PT-RUNTIME-SOCKET", "critical", "Container runtime socket mounted", "Mounts", value, "Do not mount containerd/CRI sockets into containers.");
    else if (risk.risk === "run-socket") add("PT-RUN-SOCKET", "high", "Host socket under /run mounted", "Mounts", value, "Mount only the socket the workload needs, read-only, or use a network endpoint.");
    else add("CIS-5.5", m.RW ? "high" : "medium", "Sensitive host path mounted", "Mounts", value, "Do not bind-mount host system directories; use a volume or copy the files in.");
  }
  if (hc.NetworkMode === "host" || ns("net")) add("CIS-5.9", "high", "Shares the host's network namespace", ...nsEvidence("net", "HostConfig.NetworkMode", hc.NetworkMode), "Use a bridge network and publish only the ports needed.");
  if (hc.PidMode === "host" || ns("pid")) add("CIS-5.15", "high", "Shares the host's process namespace", ...nsEvidence("pid", "HostConfig.PidMode", hc.PidMode), "Remove --pid host.");
  if (hc.IpcMode === "host" || ns("ipc")) add("CIS-5.16", "high", "Shares the host's IPC namespace", ...nsEvidence("ipc", "HostConfig.IpcMode", hc.IpcMode), "Remove --ipc host.");
  if (hc.UTSMode === "host" || ns("uts")) add("CIS-5.20", "medium", "Shares the host's UTS namespace", ...nsEvidence("uts", "HostConfig.UTSMode", hc.UTSMode), "Remove --uts host.");
  if (hc.UsernsMode === "host") add("CIS-5.30", "medium", "User namespace remapping disabled for this container", "HostConfig.UsernsMode", "host", "Remove --userns host.");
  if (!hc.Privileged && (hc.CgroupnsMode === "host" || ns("cgroup"))) {
    add("PT-HOST-CGROUPNS", "low", "Shares the host's cgroup namespace", ...nsEvidence("cgroup", "HostConfig.CgroupnsMode", hc.CgroupnsMode), "Run with --cgroupns private (the default on cgroup v2).");
  }
  const seccompOpt = hc.SecurityOpt.find((o) => /^seccomp[=:]/.test(o));
  if (!hc.Privileged && (seccompOpt?.endsWith("unconfined") || k?.seccompMode === "disabled")) {
    add("CIS-5.21", "high", "Seccomp disabled", seccompOpt ? "HostConfig.SecurityOpt" : "Seccomp (/proc/<pid>/status)", seccompOpt ?? "0 (disabled)", "Remove seccomp=unconfined; use Docker's default or a custom profile.");
  }
  if (!hc.Privileged && hc.MaskedPaths !== undefined && hc.MaskedPaths !== null && hc.MaskedPaths.length === 0) {
    add("PT-SYSTEMPATHS-UNCONFINED", "high", "Kernel paths under /proc and /sys unmasked", "HostConfig.MaskedPaths", "[] (systempaths=unconfined)", "Remove --security-opt systempaths=unconfined.");
  }
  if (host.apparmor && !hc.Privileged && (!i.AppArmorProfile || i.AppArmorProfile === "unconfined")) {
    add("CIS-5.1", "medium", "No AppArmor profile", "AppArmorProfile", i.AppArmorProfile || "(none)", "Run with Docker's default AppArmor profile or a custom one.");
  }
  if (host.selinux && !hc.SecurityOpt.some((o) => o.startsWith("label"))) {
    add("CIS-5.2", "medium", "No SELinux options", "HostConfig.SecurityOpt", hc.SecurityOpt.join(", ") || "(none)", "Set --security-opt label=… with an appropriate SELinux type.");
  }
  if (hc.Devices.length) add("CIS-5.17", "medium", "Host devices exposed", "HostConfig.Devices", hc.Devices.map((d) => `${d.PathOnHost}:${d.PathInContainer}:${d.CgroupPermissions}`).join(", "), "Expose only the devices needed, with the least permissions (r, w, m).");
  for (const m of i.Mounts) {
    if (/^r?shared$/.test(m.Propagation)) add("CIS-5.19", "medium", "Mount propagation shared with the host", "Mounts.Propagation", `${m.Destination}: ${m.Propagation}`, "Use private or slave propagation.");
  }
  if (hc.CgroupParent) add("CIS-5.24", "medium", "Custom cgroup parent", "HostConfig.CgroupParent", hc.CgroupParent, "Leave the cgroup parent to Docker unless it is a reviewed, limited parent.");

  const ports = Object.entries(i.NetworkSettings.Ports).flatMap(([key, binds]) => binds.map((b) => ({ key, ...b })));
  for (const p of ports) {
    if (Number(p.HostPort) > 0 && Number(p.HostPort) < 1024) add("CIS-5.7", "low", "Privileged host port mapped", "NetworkSettings.Ports", `${p.HostIp || "0.0.0.0"}:${p.HostPort} → ${p.key}`, "Map the container port to a host port above 1023.");
  }
  const wildcard = ports.filter((p) => p.HostIp === "0.0.0.0" || p.HostIp === "");
  if (wildcard.length) add("CIS-5.13", "low", "Port published on every host interface", "NetworkSettings.Ports", wildcard.map((p) => `0.0.0.0:${p.HostPort} → ${p.key}`).join(", "), "Bind published ports to one host address (-p 127.0.0.1:PORT:PORT).");

  const uid = k?.uid ?? (["", "root", "0"].includes(i.Config.User.split(":")[0] ?? "") ? 0 : null);
  if (uid === 0) add("CIS-4.1", "medium", "Runs as root", k?.uid !== null && k?.uid !== undefined ? "Uid (/proc/<pid>/status)" : "Config.User", k?.uid === 0 ? "0" : i.Config.User || "(unset: root)", "Run as an unprivileged user (USER in the image or --user).");
  const memory = k?.cgroup ? k.cgroup.limits.memoryBytes : hc.Memory || null;
  if (memory === null) add("CIS-5.10", "low", "No memory limit", k?.cgroup ? "cgroup memory limit" : "HostConfig.Memory", "no limit", "Set --memory.");
  const cpuLimited = k?.cgroup ? k.cgroup.limits.cpuQuotaUs !== null || k.cgroup.limits.cpusetCpus !== null || (k.cgroup.limits.cpuShares ?? 1024) !== 1024 || (k.cgroup.limits.cpuWeight ?? 100) !== 100
    : hc.NanoCpus > 0 || hc.CpuQuota > 0 || hc.CpuShares > 0;
  if (!cpuLimited) add("CIS-5.11", "low", "No CPU limit or priority", k?.cgroup ? "cgroup cpu" : "HostConfig.NanoCpus", "no limit", "Set --cpus or --cpu-shares.");
  const pids = k?.cgroup ? k.cgroup.limits.pidsMax : hc.PidsLimit > 0 ? hc.PidsLimit : null;
  if (pids === null) add("CIS-5.28", "low", "No PIDs limit", k?.cgroup ? "cgroup pids.max" : "HostConfig.PidsLimit", "no limit", "Set --pids-limit.");
  if (!hc.ReadonlyRootfs) add("CIS-5.12", "low", "Writable root filesystem", "HostConfig.ReadonlyRootfs", "false", "Run with --read-only and mount writable volumes only where needed.");
  const nnp = k?.noNewPrivs ?? hc.SecurityOpt.some((o) => /^no-new-privileges(:true|=true)?$/.test(o));
  if (!nnp) add("CIS-5.25", "low", "Can gain new privileges (setuid)", k?.noNewPrivs !== null && k?.noNewPrivs !== undefined ? "NoNewPrivs (/proc/<pid>/status)" : "HostConfig.SecurityOpt", k?.noNewPrivs === false ? "0" : "no-new-privileges not set", "Run with --security-opt no-new-privileges.");
  const restart = hc.RestartPolicy?.Name ?? "";
  if (restart === "always" || restart === "unless-stopped" || (restart === "on-failure" && (hc.RestartPolicy?.MaximumRetryCount ?? 0) > 5)) {
    add("CIS-5.14", "info", "Restart policy not bounded", "HostConfig.RestartPolicy", `${restart}${restart === "on-failure" ? `:${hc.RestartPolicy?.MaximumRetryCount}` : ""}`, "Use --restart on-failure:5.");
  }
  const hc_ = i.Config.Healthcheck?.Test ?? [];
  if (!hc_.length || hc_[0] === "NONE") add("CIS-5.26", "info", "No health check", "Config.Healthcheck", hc_[0] === "NONE" ? "NONE" : "(none)", "Add a HEALTHCHECK to the image or --health-cmd.");
  return out;
}
