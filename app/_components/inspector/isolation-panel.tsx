"use client";

import { useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import type { ReactNode } from "react";
import type { AppRouter } from "../../../server/trpc/router";
import { bytes, plainText } from "../format";
import { useTRPC } from "../trpc";
import { Badge, cx, DataTable, LoadError, Section, Skeleton, tdClass, trClass } from "../ui";
import { countBySeverity, SEVERITY_RANK, SeverityBadge, SeverityCounts } from "./severity";

type Report = inferRouterOutputs<AppRouter>["security"]["container"];

const none = <span className="font-medium text-amber-700 dark:text-amber-400">no limit</span>;
const dash = <span className="text-zinc-400 dark:text-zinc-500">—</span>;

/** The container page's Isolation tab: what the kernel enforces around this container, and the findings. */
export function IsolationPanel({ hostId, containerId }: { hostId: string; containerId: string }) {
  const trpc = useTRPC();
  const q = useQuery(trpc.security.container.queryOptions({ hostId, containerId }, { refetchInterval: 10_000 }));
  if (q.isError && !q.data) return <LoadError title="Could not read isolation" error={q.error} onRetry={() => q.refetch()} />;
  const r = q.data;
  if (!r) return <Skeleton className="h-96 w-full" />;
  const findings = [...r.findings].sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]);
  return (
    <div className="space-y-4">
      {!r.running && <p className="text-xs text-zinc-500 dark:text-zinc-400">Not running: kernel facts (namespaces, cgroup, capabilities) appear once it runs; findings come from Docker&apos;s settings.</p>}
      <Section title="Findings" description="CIS Docker Benchmark (section 5) and Portolan checks for this container.">
        <div className="space-y-3">
          <SeverityCounts counts={countBySeverity(findings)} />
          <ul aria-label="Findings" className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {findings.map((f, i) => (
              <li key={`${f.id}-${i}`} className="grid grid-cols-[5.5rem_1fr] gap-x-3 py-1.5 text-sm">
                <div>
                  <SeverityBadge severity={f.severity} />
                </div>
                <div>
                  <span className="font-mono text-xs text-zinc-500">{f.id}</span> <span className="font-medium">{f.title}</span>
                  <div className="text-xs text-zinc-600 dark:text-zinc-400">
                    {f.evidence.field}: <span className="font-mono break-all">{plainText(f.evidence.value)}</span> — {f.remediation}
                  </div>
                </div>
              </li>
            ))}
          </ul>
        </div>
      </Section>
      <div className="grid gap-4 lg:grid-cols-2">
        <Namespaces r={r} />
        <Cgroup r={r} />
      </div>
      <Capabilities r={r} />
      <div className="grid gap-4 lg:grid-cols-2">
        <Security r={r} />
        <Mounts r={r} />
      </div>
    </div>
  );
}

function Namespaces({ r }: { r: Report }) {
  // Sharing the host's pid/net/ipc/uts/mnt namespace opens the host up; user, cgroup and time are the host's on most installs.
  const tone = (n: Report["namespaces"][number]) =>
    n.sharing === "own" ? "green" : n.sharing === "shared" ? "amber" : n.sharing === "unknown" ? "gray" : ["user", "cgroup", "time"].includes(n.kind) ? "amber" : "red";
  return (
    <Section title="Namespaces" description={`From /proc/${r.pid ?? "<pid>"}/ns/*, compared with the ${r.hostReference === "init" ? "host's init process" : "agent's own (init is hidden from it)"} and every running container.`}>
      <DataTable label="Namespaces" columns={["Namespace", "Inode", "Isolation"]} busy={false} empty={r.namespaces.length ? null : "Not running."}>
        {r.namespaces.map((n) => (
          <tr key={n.kind} className={trClass}>
            <td className={cx(tdClass, "font-mono text-xs")}>{n.kind}</td>
            <td className={cx(tdClass, "font-mono text-xs tabular-nums")}>{n.inode ?? "—"}</td>
            <td className={tdClass}>
              <Badge tone={tone(n)}>{n.sharing === "shared" ? `shared with ${n.sharedWith.map((s) => s.name).join(", ")}` : n.sharing === "host" ? "host's" : n.sharing}</Badge>
            </td>
          </tr>
        ))}
      </DataTable>
    </Section>
  );
}

function Cgroup({ r }: { r: Report }) {
  const c = r.cgroup;
  const l = c?.limits;
  const rows: [string, ReactNode][] = l
    ? [
        ["Memory", l.memoryBytes === null ? none : <>{bytes(l.memoryBytes)}{c.usage.memoryBytes !== null && <Usage used={c.usage.memoryBytes} limit={l.memoryBytes} />}</>],
        ["Memory + swap", l.memorySwapBytes === null ? none : bytes(l.memorySwapBytes)],
        ["CPU quota", l.cpuQuotaUs === null ? none : `${(l.cpuQuotaUs / (l.cpuPeriodUs || 100000)).toFixed(2)} CPUs (${l.cpuQuotaUs} µs / ${l.cpuPeriodUs} µs)`],
        [c.version === "1" ? "CPU shares" : "CPU weight", (c.version === "1" ? l.cpuShares : l.cpuWeight) ?? dash],
        ["cpuset", l.cpusetCpus === null ? none : <span className="font-mono text-xs">{l.cpusetCpus}{l.cpusetMems ? ` (mems ${l.cpusetMems})` : ""}</span>],
        ["PIDs", l.pidsMax === null ? <>{none}{c.usage.pids !== null && <span className="ml-2 text-xs text-zinc-500">{c.usage.pids} in use</span>}</> : <>{l.pidsMax}{c.usage.pids !== null && <Usage used={c.usage.pids} limit={l.pidsMax} count />}</>],
        ["Block I/O", l.blockIo.length ? <span className="font-mono text-xs">{l.blockIo.map((b) => `${b.device} ${b.kind} ${b.value}`).join(", ")}</span> : none],
      ]
    : [];
  return (
    <Section title="cgroup" description={c ? <>v{c.version} · {c.driver} · <span className="font-mono break-all">{c.path}</span></> : "Not running."}>
      <FactList rows={rows} labelWidth="8rem" gapY="gap-y-1" />
    </Section>
  );
}

function Usage({ used, limit, count = false }: { used: number; limit: number; count?: boolean }) {
  const pct = limit > 0 ? Math.min(100, (used / limit) * 100) : 0;
  return (
    <span className="ml-2 inline-flex items-center gap-1.5 align-middle text-xs text-zinc-500" title={`${count ? used : bytes(used)} in use`}>
      <span aria-hidden="true" className="inline-block h-1.5 w-20 overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-700">
        <span className={cx("block h-full", pct > 90 ? "bg-red-500" : "bg-sky-500")} style={{ width: `${pct}%` }} />
      </span>
      {count ? used : bytes(used)} used
    </span>
  );
}

function Capabilities({ r }: { r: Report }) {
  const c = r.capabilities;
  if (!c) return <Section title="Capabilities">{r.privileged ? <p className="text-sm">Privileged: every capability.</p> : <p className="text-sm text-zinc-500">Not running.</p>}</Section>;
  const all = [...new Set([...c.dockerDefault, ...c.bounding])].sort();
  return (
    <Section title="Capabilities" description="The bounding set against Docker's default: added in red, dropped in green. Effective is what the process holds now.">
      <ul aria-label="Capabilities" className="flex flex-wrap gap-1.5">
        {all.map((cap) => {
          const added = c.added.includes(cap), dropped = c.dropped.includes(cap);
          return (
            <li key={cap}>
              <span
                title={added ? "added beyond Docker's default" : dropped ? "dropped from Docker's default" : c.effective.includes(cap) ? "Docker default, effective" : "Docker default, not effective"}
                className={cx(
                  "inline-flex items-center gap-1 rounded px-1.5 py-0.5 font-mono text-[11px] ring-1 ring-inset",
                  added ? "bg-red-50 text-red-800 ring-red-600/30 dark:bg-red-500/10 dark:text-red-300" : dropped ? "bg-emerald-50 text-emerald-800 line-through ring-emerald-600/30 dark:bg-emerald-500/10 dark:text-emerald-300" : "bg-zinc-50 text-zinc-700 ring-zinc-300 dark:bg-zinc-800 dark:text-zinc-300 dark:ring-zinc-700",
                )}
              >
                {added ? "+" : dropped ? "−" : ""}
                {cap}
              </span>
            </li>
          );
        })}
      </ul>
      <details className="mt-2 text-xs text-zinc-600 dark:text-zinc-400">
        <summary className="cursor-pointer select-none">
          {c.added.length} added · {c.dropped.length} dropped · effective {c.effective.length} · permitted {c.permitted.length} · ambient {c.ambient.length}
        </summary>
        <dl className="mt-1 grid grid-cols-[6rem_1fr] gap-x-3 gap-y-0.5">
          {(["effective", "permitted", "bounding", "inheritable", "ambient"] as const).map((set) => (
            <div key={set} className="contents">
              <dt>{set}</dt>
              <dd className="font-mono break-words">{c[set].join(" ") || "(none)"}</dd>
            </div>
          ))}
        </dl>
      </details>
    </Section>
  );
}

function Security({ r }: { r: Report }) {
  const yesNo = (v: boolean, bad: boolean) => <Badge tone={v === bad ? "red" : "green"}>{v ? "yes" : "no"}</Badge>;
  const rows: [string, ReactNode][] = [
    ["Seccomp", <><Badge key="m" tone={r.seccomp.mode === "filter" || r.seccomp.mode === "strict" ? "green" : r.seccomp.mode ? "red" : "gray"}>{r.seccomp.mode ?? "unknown"}</Badge> <span className="text-xs text-zinc-500">profile {r.seccomp.profile}{r.seccomp.filters !== null ? `, ${r.seccomp.filters} filter(s)` : ""}</span></>],
    ["AppArmor", r.apparmor ? <span className="font-mono text-xs">{r.apparmor}</span> : dash],
    ["SELinux", r.selinux ? <span className="font-mono text-xs">{r.selinux}</span> : dash],
    ["Privileged", yesNo(r.privileged, true)],
    ["No new privileges", yesNo(r.noNewPrivileges, false)],
    ["Read-only rootfs", yesNo(r.readonlyRootfs, false)],
    ["User", <><Badge key="u" tone={r.user.root ? "amber" : "green"}>{r.user.root ? "root" : "not root"}</Badge> <span className="font-mono text-xs text-zinc-500">uid {r.user.uid ?? "?"} gid {r.user.gid ?? "?"}{r.user.configured ? ` (USER ${r.user.configured})` : ""}</span></>],
    ["Host uid", r.user.hostUid === null ? dash : <span className="text-sm">{r.user.hostUid}{r.user.usernsRemapped ? " (user namespace remapped)" : " (no remapping)"}</span>],
  ];
  return (
    <Section title="Security">
      <FactList rows={rows} labelWidth="9rem" gapY="gap-y-1.5" />
    </Section>
  );
}

function Mounts({ r }: { r: Report }) {
  return (
    <Section title="Mounts and devices">
      <DataTable label="Mounts" columns={["Source", "Destination", "Mode"]} busy={false} empty={r.mounts.length ? null : "No mounts."}>
        {r.mounts.map((m, i) => (
          <tr key={i} className={cx(trClass, m.sensitive && "bg-red-50/60 dark:bg-red-500/5")}>
            <td className={cx(tdClass, "font-mono text-xs break-all")}>
              {plainText(m.source)}
              {m.sensitive && <div className="font-sans text-[11px] text-red-700 dark:text-red-400">{m.sensitive}</div>}
            </td>
            <td className={cx(tdClass, "font-mono text-xs break-all")}>{plainText(m.destination)}</td>
            <td className={cx(tdClass, "text-xs")}>{m.readOnly ? "ro" : "rw"} · {m.propagation || m.type}</td>
          </tr>
        ))}
      </DataTable>
      {r.devices.length > 0 && (
        <ul aria-label="Devices" className="mt-2 space-y-0.5 text-xs">
          {r.devices.map((d, i) => (
            <li key={i} className="font-mono text-red-700 dark:text-red-400">{d.pathOnHost} → {d.pathInContainer} ({d.permissions})</li>
          ))}
        </ul>
      )}
    </Section>
  );
}

/** Label/value rows of one section (a definition list in two columns). */
function FactList({ rows, labelWidth, gapY }: { rows: [string, ReactNode][]; labelWidth: "8rem" | "9rem"; gapY: string }) {
  return (
    <dl className={cx("grid gap-x-3 text-sm", labelWidth === "8rem" ? "grid-cols-[8rem_1fr]" : "grid-cols-[9rem_1fr]", gapY)}>
      {rows.map(([k, v]) => (
        <div key={k} className="contents">
          <dt className="text-zinc-500 dark:text-zinc-400">{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}
