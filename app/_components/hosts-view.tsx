"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { AddHostButton } from "./add-host-dialog";
import { PresenceBadge } from "./presence-badge";
import { trpcMessage, useTRPC, type HostSummary } from "./trpc";
import { canSomewhere, NO_ACCESS_TEXT, useCan, useUser } from "./user";
import {
  Badge,
  Dot,
  ErrorBox,
  RelativeTime,
  RetryButton,
  SkeletonRows,
  tableClass,
  tableWrapClass,
  tdClass,
  thClass,
  trClass,
} from "./ui";

/** Heartbeats update "last seen" without a live nudge; refresh it now and then. */
export const LAST_SEEN_REFRESH_MS = 15_000;

const COLUMNS = ["Name", "Status", "Last seen", "Docker", "Containers"] as const;

export function HostsView() {
  const trpc = useTRPC();
  const isAdmin = useCan()("host:enroll");
  const readsSomeHost = canSomewhere(useUser().access, "host:read");
  const hosts = useQuery(trpc.hosts.list.queryOptions(undefined, { refetchInterval: LAST_SEEN_REFRESH_MS }));
  const list = hosts.data ?? [];
  const online = list.filter((h) => h.presence === "online").length;
  const notes = (["stale", "reconnecting"] as const).map((p) => [p, list.filter((h) => h.presence === p).length] as const).filter(([, n]) => n > 0);

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-xl font-semibold tracking-tight">Hosts</h1>
          <p className="mt-0.5 text-zinc-600 dark:text-zinc-400" aria-live="polite">
            {hosts.isPending ? "Loading…" : [`${list.length} ${list.length === 1 ? "host" : "hosts"}`, `${online} online`, ...notes.map(([p, n]) => `${n} ${p}`)].join(" · ")}
          </p>
        </div>
        {isAdmin && <AddHostButton />}
      </div>

      {hosts.isError && !hosts.data ? (
        <ErrorBox
          title="Could not load hosts"
          action={
            <RetryButton onRetry={() => hosts.refetch()} />
          }
        >
          {trpcMessage(hosts.error)}
        </ErrorBox>
      ) : hosts.data && list.length === 0 ? (
        <div className="rounded-lg border border-dashed border-zinc-300 bg-white px-6 py-12 text-center dark:border-zinc-700 dark:bg-zinc-900">
          <p className="text-base font-medium">{readsSomeHost ? "No hosts yet" : "No hosts for you"}</p>
          <p className="mx-auto mt-1 max-w-md text-zinc-600 dark:text-zinc-400">
            {isAdmin
              ? "Add a host to get a one-line command that installs the agent and connects its Docker engine."
              : readsSomeHost
                ? "An admin has to add hosts before they show up here."
                : NO_ACCESS_TEXT}
          </p>
          {isAdmin && (
            <div className="mt-4">
              <AddHostButton variant="secondary" />
            </div>
          )}
        </div>
      ) : (
        <div className={tableWrapClass}>
          <table aria-label="Hosts" aria-busy={hosts.isPending} className={tableClass}>
            <thead>
              <tr>
                {COLUMNS.map((c) => (
                  <th key={c} scope="col" className={thClass}>
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>{hosts.isPending ? <SkeletonRows columns={COLUMNS.length} rows={3} /> : list.map((h) => <HostRow key={h.id} host={h} />)}</tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function HostRow({ host }: { host: HostSummary }) {
  const runtimeDown = host.online && host.runtime && !host.runtime.available;
  return (
    <tr className={trClass}>
      <td className={tdClass}>
        <Link href={`/hosts/${encodeURIComponent(host.id)}`} className="font-medium text-sky-700 hover:underline dark:text-sky-400">
          {host.name}
        </Link>
        {host.hostname && host.hostname !== host.name && (
          <span className="ml-2 font-mono text-xs text-zinc-500 dark:text-zinc-400">{host.hostname}</span>
        )}
      </td>
      <td className={tdClass}>
        <span className="inline-flex flex-wrap items-center gap-1.5">
          <PresenceBadge presence={host.presence} />
          {runtimeDown && (
            <Badge tone="amber" title={host.runtime?.error ?? "The agent cannot reach its container runtime"}>
              runtime unavailable
            </Badge>
          )}
        </span>
      </td>
      <td className={tdClass}>
        <RelativeTime value={host.lastSeenAt} />
      </td>
      <td className={`${tdClass} font-mono text-xs`}>{host.dockerVersion ?? <span className="text-zinc-400">—</span>}</td>
      <td className={tdClass}>
        <ContainerCounts counts={host.containers} />
      </td>
    </tr>
  );
}

export function ContainerCounts({ counts }: { counts: HostSummary["containers"] }) {
  if (counts.total === 0) return <span className="text-zinc-500 dark:text-zinc-400">none</span>;
  const parts = [
    { n: counts.running, label: "running", tone: "green" as const },
    { n: counts.paused, label: "paused", tone: "amber" as const },
    { n: counts.stopped, label: "stopped", tone: "gray" as const },
    { n: counts.other, label: "other", tone: "blue" as const },
  ];
  return (
    <span className="inline-flex flex-wrap items-center gap-x-3 gap-y-0.5 tabular-nums" title={`${counts.total} containers`}>
      {parts
        .filter((p) => p.n > 0 || p.label === "running")
        .map((p) => (
          <span key={p.label} className="inline-flex items-center gap-1.5 whitespace-nowrap">
            <Dot tone={p.n > 0 ? p.tone : "gray"} />
            <span className={p.n === 0 ? "text-zinc-500 dark:text-zinc-400" : undefined}>{`${p.n} ${p.label}`}</span>
          </span>
        ))}
    </span>
  );
}
