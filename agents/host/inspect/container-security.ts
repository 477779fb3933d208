import type { SecurityReport } from "../../../agents/protocol";
import { capabilitySets } from "./capabilities";
import { readCgroup } from "./cgroup-limits";
import type { HostContext } from "./host-context";
import type { InspectSecurity } from "./inspect-schema";
import { readText } from "./kernel-files";
import { classifyNamespaces, type NamespaceInodes } from "./namespaces";
import { postureChecks } from "./posture-checks";
import { parseProcStatus } from "./proc-status";
import { mountRisk } from "./sensitive-mounts";

const MAX_FINDINGS = 128;

/** One container's isolation as the kernel enforces it, with Docker's settings and the posture findings. */
export async function buildSecurityReport(ctx: HostContext, c: { inspect: InspectSecurity; inodes: NamespaceInodes | null }): Promise<SecurityReport> {
  const { inspect: i, inodes } = c;
  const hc = i.HostConfig;
  const pid = i.State.Running && i.State.Pid > 0 ? i.State.Pid : null;
  const statusText = pid ? await readText(`${ctx.files.proc}/${pid}/status`) : null;
  const status = statusText ? parseProcStatus(statusText) : null;
  const others = ctx.containers.filter((o) => o.inspect.Id !== i.Id && o.inodes).map((o) => ({ id: o.inspect.Id, name: o.inspect.Name, inodes: o.inodes! }));
  const namespaces = inodes ? classifyNamespaces(inodes, ctx.hostNs, others) : [];
  const cgroup = pid ? await readCgroup(ctx.files, pid) : null;
  const capabilities = status ? capabilitySets(status.caps) : null;
  const uid = status ? (status.uids[1] ?? null) : null;
  const uidMap = pid ? await readText(`${ctx.files.proc}/${pid}/uid_map`) : null;
  const hostUid = uid === null ? null : mapUid(uidMap, uid);
  const seccompOpt = hc.SecurityOpt.find((o) => /^seccomp[=:]/.test(o));

  return {
    containerId: i.Id,
    name: i.Name,
    running: pid !== null,
    pid,
    hostReference: ctx.hostReference,
    namespaces,
    cgroup,
    capabilities,
    seccomp: {
      mode: status?.seccomp ?? null,
      filters: status?.seccompFilters ?? null,
      profile: hc.Privileged || seccompOpt?.endsWith("unconfined") ? "unconfined" : seccompOpt ? "custom" : "default",
    },
    apparmor: (i.AppArmorProfile || (ctx.lsm.apparmor && pid ? ((await readText(`${ctx.files.proc}/${pid}/attr/current`))?.trim() || null) : null))?.slice(0, 256) ?? null,
    selinux: i.ProcessLabel.slice(0, 256) || null,
    noNewPrivileges: status ? status.noNewPrivs : hc.SecurityOpt.some((o) => o.startsWith("no-new-privileges")),
    privileged: hc.Privileged,
    readonlyRootfs: hc.ReadonlyRootfs,
    user: {
      configured: i.Config.User,
      uid,
      gid: status ? (status.gids[1] ?? null) : null,
      root: uid === 0 || (uid === null && ["", "root", "0"].includes(i.Config.User.split(":")[0] ?? "")),
      hostUid,
      usernsRemapped: uid !== null && hostUid !== null && hostUid !== uid,
    },
    mounts: i.Mounts.slice(0, 256).map((m) => ({
      type: m.Type, source: m.Source, destination: m.Destination, readOnly: !m.RW, propagation: m.Propagation,
      sensitive: m.Type === "bind" ? (mountRisk(m.Source)?.reason ?? null) : null,
    })),
    devices: hc.Privileged
      ? [{ pathOnHost: "(all host devices)", pathInContainer: "/dev", permissions: "rwm" }]
      : hc.Devices.slice(0, 256).map((d) => ({ pathOnHost: d.PathOnHost, pathInContainer: d.PathInContainer, permissions: d.CgroupPermissions })),
    // ~30 checks plus one per sensitive mount: capped at what the protocol carries.
    findings: postureChecks({
      inspect: i,
      kernel: pid ? { namespaces, capabilities, seccompMode: status?.seccomp ?? null, noNewPrivs: status ? status.noNewPrivs : null, uid, cgroup } : null,
      host: ctx.lsm,
    }).slice(0, MAX_FINDINGS),
  };
}

/** /proc/<pid>/uid_map lines "inside outside count": the host uid of a uid inside the namespace. */
export function mapUid(uidMap: string | null, uid: number): number | null {
  if (!uidMap) return null;
  for (const line of uidMap.split("\n")) {
    const [inside, outside, count] = line.trim().split(/\s+/).map(Number);
    if ([inside, outside, count].every(Number.isFinite) && uid >= inside! && uid < inside! + count!) return outside! + (uid - inside!);
  }
  return null;
}
