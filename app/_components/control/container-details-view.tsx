"use client";

import { useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import { useEffect, type ReactNode } from "react";
import type { AppRouter } from "../../../server/trpc/router";
import { ContainerActions } from "../container-actions";
import { ContainerLogs } from "../logs/container-logs";
import { ContainerTerminal } from "../terminal/container-terminal";
import { IsolationPanel } from "../inspector/isolation-panel";
import { ProcessTree } from "../inspector/process-tree";
import { bytes, plainText, shortId } from "../format";
import { trpcCode, useTRPC } from "../trpc";
import { Badge, buttonClass, cx, DataTable, HealthBadge, LoadError, RelativeTime, Section, Skeleton, StateBadge, stateTone, tdClass, trClass } from "../ui";
import { ContainerMetricsPanel } from "../metrics/container-metrics-panel";
import { useCan } from "../user";
import { HostTabs } from "./host-tabs";
import { DEFAULT_CAPS } from "./spec-model";
import { joinCommand } from "./units";

type Inspect = inferRouterOutputs<AppRouter>["containers"]["inspect"];

const dash = <span className="text-zinc-400 dark:text-zinc-500">—</span>;
const mono = (s: string) => (s ? <span className="font-mono text-xs break-all">{plainText(s)}</span> : dash);

/** /hosts/[hostId]/containers/[containerId]: one container as Docker's inspect reports it. */
export function ContainerDetailsView({ hostId, containerId }: { hostId: string; containerId: string }) {
  const trpc = useTRPC();
  const can = useCan();
  const inspect = useQuery(trpc.containers.inspect.queryOptions({ hostId, containerId }));
  const list = useQuery(trpc.containers.list.queryOptions({ hostId }));
  const host = useQuery(trpc.hosts.get.queryOptions({ hostId }));
  const d = inspect.data;
  const row = list.data?.find((c) => c.id === d?.id || c.id === containerId || c.name === containerId);
  const hostHref = `/hosts/${encodeURIComponent(hostId)}`;

  // The list is live (socket nudges); when the container's state changes there, read inspect again.
  const liveState = row?.state;
  const { refetch } = inspect;
  useEffect(() => {
    if (liveState) void refetch();
  }, [liveState, refetch]);
  useEffect(() => {
    if (d) document.title = `${d.name.replace(/^\//, "")} · Portolan`;
  }, [d]);

  const gone = trpcCode(inspect.error) === "NOT_FOUND";
  return (
    <div className="space-y-4">
      <nav aria-label="Breadcrumb" className="text-xs text-zinc-500 dark:text-zinc-400">
        <Link href="/hosts" className="hover:underline">
          Hosts
        </Link>
        <span aria-hidden="true"> / </span>
        <Link href={hostHref} className="hover:underline">
          {host.data?.name ?? hostId}
        </Link>
        <span aria-hidden="true"> / </span>
      </nav>
      {gone ? (
        <div className="mx-auto max-w-md py-16 text-center">
          <h1 className="text-lg font-semibold">Container not found</h1>
          <p className="mt-1 text-zinc-600 dark:text-zinc-400">It may have been removed or recreated under a new id.</p>
          <Link href={hostHref} className={`${buttonClass.secondary} mt-4`}>
            Back to the host
          </Link>
        </div>
      ) : inspect.isError && !d ? (
        <LoadError title="Could not inspect this container" error={inspect.error} onRetry={() => inspect.refetch()} />
      ) : (
        <>
          <div className="flex flex-wrap items-center gap-3">
            {d ? <h1 className="text-xl font-semibold tracking-tight">{d.name.replace(/^\//, "")}</h1> : <Skeleton className="h-6 w-56" />}
            {row ? <StateBadge state={row.state} /> : d && <Badge tone={d.state.status in stateTone ? stateTone[d.state.status as keyof typeof stateTone] : "gray"}>{d.state.status}</Badge>}
            {row && <HealthBadge health={row.health} />}
            {d && <span className="font-mono text-xs text-zinc-500 dark:text-zinc-400" title={d.id}>{shortId(d.id)}</span>}
            <div className="ml-auto flex items-center gap-2">
              {row && <ContainerActions c={row} showDetailsLink={false} onRemoved={() => window.location.assign(hostHref)} />}
              {d && can("container:create", hostId) && (
                <Link href={`${hostHref}/containers/new?from=${d.id}`} className={buttonClass.secondary}>
                  Duplicate as new
                </Link>
              )}
            </div>
          </div>
          {!d ? (
            <Skeleton className="h-72 w-full" />
          ) : (
            <HostTabs
              label="Container sections"
              tabs={[
                { id: "details", label: "Details", panel: <Details d={d} /> },
                { id: "isolation", label: "Isolation", panel: <IsolationPanel hostId={hostId} containerId={d.id} /> },
                { id: "processes", label: "Processes", panel: <ProcessTree hostId={hostId} containerId={d.id} /> },
                ...(can("logs:read", hostId) ? [{ id: "logs", label: "Logs", panel: <ContainerLogs hostId={hostId} hostName={host.data?.name ?? hostId} containerId={d.id} containerName={d.name.replace(/^\//, "")} /> }] : []),
                ...(can("container:exec", hostId) ? [{ id: "terminal", label: "Terminal", panel: <ContainerTerminal hostId={hostId} containerId={d.id} running={d.state.running} /> }] : []),
                { id: "metrics", label: "Metrics", panel: <ContainerMetricsPanel hostId={hostId} containerId={d.id} /> },
              ]}
            />
          )}
        </>
      )}
    </div>
  );
}

function Dl({ rows }: { rows: [string, ReactNode, boolean?][] }) {
  return (
    <dl className="grid grid-cols-2 gap-x-6 gap-y-3 sm:grid-cols-3 lg:grid-cols-4">
      {rows.map(([k, v, risky]) => (
        <div key={k} className={cx("min-w-0", risky && "-m-1.5 rounded-md bg-red-50 p-1.5 ring-1 ring-red-300 dark:bg-red-500/10 dark:ring-red-500/40")}>
          <dt className="text-[11px] font-medium tracking-wide text-zinc-500 uppercase dark:text-zinc-400">
            {k}
            {risky && <span className="ml-1 text-red-700 normal-case dark:text-red-400">▲ weakens isolation</span>}
          </dt>
          <dd className="mt-0.5 break-words">{v}</dd>
        </div>
      ))}
    </dl>
  );
}

function Details({ d }: { d: Inspect }) {
  const s = d.state;
  const hc = d.hostConfig;
  const extraCaps = hc.capAdd.filter((c) => !DEFAULT_CAPS.includes(c.replace(/^CAP_/, "")));
  const unconfined = hc.securityOpt.some((o) => /seccomp[=:]unconfined/.test(o));
  return (
    <div className="space-y-4">
      <Section title="State">
        <Dl
          rows={[
            ["Status", s.status],
            ["Started", <RelativeTime key="s" value={s.startedAt} />],
            ["Finished", <RelativeTime key="f" value={s.finishedAt} fallback="—" />],
            ["Exit code", s.running ? dash : String(s.exitCode), !s.running && s.exitCode !== 0],
            ["PID", s.pid ? String(s.pid) : dash],
            ["OOM killed", s.oomKilled ? "yes" : "no", s.oomKilled],
            ["Health", s.health ?? dash],
            ["Created", <RelativeTime key="c" value={d.createdAt} />],
          ]}
        />
      </Section>
      <Section title="Config">
        <Dl
          rows={[
            ["Image", mono(d.image)],
            ["Image id", <span key="i" className="font-mono text-xs" title={d.imageId}>{shortId(d.imageId.replace(/^sha256:/, ""))}</span>],
            ["Command", mono(joinCommand(d.config.cmd))],
            ["Entrypoint", mono(joinCommand(d.config.entrypoint))],
            ["User", mono(d.config.user)],
            ["Working dir", mono(d.config.workingDir)],
            ["Hostname", mono(d.config.hostname)],
            ["Exposed ports", mono(d.config.exposedPorts.join(", "))],
          ]}
        />
        {Object.keys(d.config.labels).length > 0 && (
          <div className="mt-4">
            <h3 className="mb-1 text-[11px] font-medium tracking-wide text-zinc-500 uppercase dark:text-zinc-400">Labels</h3>
            <ul className="flex flex-wrap gap-1">
              {Object.entries(d.config.labels).map(([k, v]) => (
                <li key={k} className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-[11px] dark:bg-zinc-800">
                  {plainText(k)}={plainText(v)}
                </li>
              ))}
            </ul>
          </div>
        )}
      </Section>
      <Section title="Environment" description={d.envRedacted ? "Values are hidden: your role cannot read secrets (container:env:read)." : undefined}>
        <DataTable label="Environment" columns={["Variable", "Value"]} busy={false} empty={d.config.env.length === 0 ? "No environment variables." : null}>
          {d.config.env.map((e, i) => (
            <tr key={`${e.key}-${i}`} className={trClass}>
              <td className={cx(tdClass, "font-mono text-xs whitespace-nowrap")}>{plainText(e.key)}</td>
              <td className={cx(tdClass, "font-mono text-xs break-all")}>{e.value === null ? <span className="font-sans text-zinc-400 italic dark:text-zinc-500">hidden</span> : plainText(e.value)}</td>
            </tr>
          ))}
        </DataTable>
      </Section>
      <Section title="Host config" description="Settings that weaken isolation are highlighted.">
        <Dl
          rows={[
            ["Privileged", hc.privileged ? "yes" : "no", hc.privileged],
            ["Capabilities added", hc.capAdd.length ? mono(hc.capAdd.join(", ")) : dash, extraCaps.length > 0],
            ["Capabilities dropped", hc.capDrop.length ? mono(hc.capDrop.join(", ")) : dash],
            ["Security options", hc.securityOpt.length ? mono(hc.securityOpt.join(", ")) : dash, unconfined],
            ["Read-only rootfs", hc.readonlyRootfs ? "yes" : "no"],
            ["Network mode", mono(hc.networkMode), hc.networkMode === "host"],
            ["PID mode", mono(hc.pidMode || "private"), hc.pidMode === "host"],
            ["IPC mode", mono(hc.ipcMode), hc.ipcMode === "host"],
            ["UTS mode", mono(hc.utsMode || "private"), hc.utsMode === "host"],
            ["Cgroup ns", mono(hc.cgroupnsMode), hc.cgroupnsMode === "host"],
            ["Restart policy", `${hc.restartPolicy.name || "no"}${hc.restartPolicy.maximumRetryCount ? ` (max ${hc.restartPolicy.maximumRetryCount})` : ""}`],
            ["Memory limit", hc.memoryBytes ? bytes(hc.memoryBytes) : "none"],
            ["CPUs", hc.nanoCpus ? String(hc.nanoCpus / 1e9) : "no limit"],
            ["PIDs limit", hc.pidsLimit ? String(hc.pidsLimit) : "none"],
          ]}
        />
      </Section>
      <div className="grid gap-4 lg:grid-cols-2">
        <Section title="Ports">
          <DataTable label="Port bindings" columns={["Container", "Host IP", "Host port"]} busy={false} empty={hc.portBindings.length === 0 ? "No port bindings." : null}>
            {hc.portBindings.map((p, i) => (
              <tr key={i} className={trClass}>
                <td className={cx(tdClass, "font-mono text-xs")}>{`${p.containerPort}/${p.protocol}`}</td>
                <td className={cx(tdClass, "font-mono text-xs")}>{p.hostIp || "all interfaces"}</td>
                <td className={cx(tdClass, "font-mono text-xs")}>{p.hostPort ?? "auto"}</td>
              </tr>
            ))}
          </DataTable>
        </Section>
        <Section title="Networks">
          <DataTable label="Networks" columns={["Network", "IP address", "Gateway", "MAC"]} busy={false} empty={d.networks.length === 0 ? "Not connected to a network." : null}>
            {d.networks.map((n) => (
              <tr key={n.name} className={trClass}>
                <td className={tdClass}>{n.name}</td>
                <td className={cx(tdClass, "font-mono text-xs")}>{n.ipAddress || dash}</td>
                <td className={cx(tdClass, "font-mono text-xs")}>{n.gateway || dash}</td>
                <td className={cx(tdClass, "font-mono text-xs")}>{n.macAddress || dash}</td>
              </tr>
            ))}
          </DataTable>
        </Section>
      </div>
      <Section title="Mounts">
        <DataTable label="Mounts" columns={["Type", "Source", "Destination", "Mode"]} busy={false} empty={d.mounts.length === 0 ? "No mounts." : null}>
          {d.mounts.map((m, i) => (
            <tr key={i} className={trClass}>
              <td className={tdClass}>{m.type}</td>
              <td className={cx(tdClass, "font-mono text-xs break-all")}>{m.name ?? m.source}</td>
              <td className={cx(tdClass, "font-mono text-xs break-all")}>{m.destination}</td>
              <td className={tdClass}>{m.readOnly ? "read-only" : "read-write"}</td>
            </tr>
          ))}
        </DataTable>
      </Section>
    </div>
  );
}
