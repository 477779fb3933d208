"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, type ReactNode } from "react";
import { ContainerCounts, LAST_SEEN_REFRESH_MS } from "./hosts-view";
import { ContainersTable } from "./containers-table";
import { HostResourceTabs, useHighlightParam } from "./control/host-resource-tabs";
import { NewContainerButton } from "./control/new-container-button";
import { EventsTimeline } from "./events/events-timeline";
import { HostNetworkPanel } from "./inspector/network-panel";
import { HostLogs } from "./logs/host-logs";
import { HostMetricsPanel } from "./metrics/host-metrics-panel";
import { MetricsSourceFact, SparklineProvider } from "./metrics/sparklines-context";
import { bytes } from "./format";
import { PresenceBadge, presenceNote } from "./presence-badge";
import { RevokeHostButton } from "./revoke-host-button";
import { trpcCode, trpcMessage, useTRPC, type HostDetail } from "./trpc";
import { Badge, buttonClass, ErrorBox, RelativeTime, RetryButton, Skeleton } from "./ui";
import { useCan } from "./user";

export function HostDetailView({ hostId }: { hostId: string }) {
  const trpc = useTRPC();
  const can = useCan();
  const host = useQuery(trpc.hosts.get.queryOptions({ hostId }, { refetchInterval: LAST_SEEN_REFRESH_MS }));
  const containers = useQuery(trpc.containers.list.queryOptions({ hostId }));
  const notFound = trpcCode(host.error) === "NOT_FOUND" || trpcCode(host.error) === "BAD_REQUEST";
  const highlightId = useHighlightParam();

  useEffect(() => {
    if (host.data) document.title = `${host.data.name} · Portolan`;
  }, [host.data]);

  if (notFound) {
    return (
      <div className="mx-auto max-w-md py-16 text-center">
        <h1 className="text-lg font-semibold">Host not found</h1>
        <p className="mt-1 text-zinc-600 dark:text-zinc-400">It may have been revoked, or the link is wrong.</p>
        <Link href="/hosts" className={`${buttonClass.secondary} mt-4`}>
          Back to hosts
        </Link>
      </div>
    );
  }

  const h = host.data;
  const list = containers.data ?? [];
  return (
    <div className="space-y-5">
      <nav aria-label="Breadcrumb" className="text-xs text-zinc-500 dark:text-zinc-400">
        <Link href="/hosts" className="hover:underline">
          Hosts
        </Link>
        <span aria-hidden="true"> / </span>
      </nav>

      {host.isError && !h ? (
        <ErrorBox
          title="Could not load this host"
          action={
            <RetryButton onRetry={() => host.refetch()} />
          }
        >
          {trpcMessage(host.error)}
        </ErrorBox>
      ) : (
        <>
          <div className="flex flex-wrap items-center gap-3">
            {h ? <h1 className="text-xl font-semibold tracking-tight">{h.name}</h1> : <Skeleton className="h-6 w-48" />}
            {h && <PresenceBadge presence={h.presence} />}
            {h && h.presence !== "online" && (
              <span className="text-xs text-zinc-600 dark:text-zinc-400">
                last seen <RelativeTime value={h.lastSeenAt} />
              </span>
            )}
            {h?.online && h.runtime && !h.runtime.available && (
              <Badge tone="amber" title={h.runtime.error ?? undefined}>
                runtime unavailable
              </Badge>
            )}
            {h && (
              <span className="text-zinc-600 dark:text-zinc-400">
                <ContainerCounts counts={h.containers} />
              </span>
            )}
            {h && (
              <span className="ml-auto">
                <RevokeHostButton hostId={h.id} hostName={h.name} />
              </span>
            )}
          </div>
          {h?.online && h.runtime && !h.runtime.available && h.runtime.error && (
            <p className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-amber-900 dark:border-amber-500/40 dark:bg-amber-500/10 dark:text-amber-200">
              The agent is connected but cannot reach Docker: <span className="font-mono text-xs">{h.runtime.error}</span>
            </p>
          )}
          <Facts host={h} />
        </>
      )}

      <HostResourceTabs
        hostId={hostId}
        containerCount={containers.data ? list.length : null}
        actions={<NewContainerButton hostId={hostId} />}
        extraTabs={[
          ...(can("network:read", hostId) ? [{ id: "network", label: "Network", panel: <HostNetworkPanel hostId={hostId} /> }] : []),
          ...(can("logs:read", hostId) ? [{ id: "logs", label: "Logs", panel: <HostLogs hostId={hostId} /> }] : []),
          { id: "metrics", label: "Metrics", panel: <HostMetricsPanel hostId={hostId} /> },
        ]}
        containers={
          <div className="space-y-2">
            {h && presenceNote(h.presence) && <p className="text-xs text-zinc-500 dark:text-zinc-400">{presenceNote(h.presence)}</p>}
            {containers.isError && !containers.data ? (
              <ErrorBox title="Could not load containers">{trpcMessage(containers.error)}</ErrorBox>
            ) : (
              <SparklineProvider hostIds={[hostId]}>
                <ContainersTable
                  label="Containers"
                  containers={list}
                  loading={containers.isPending}
                  empty={h && !h.online && !h.lastSeenAt ? "The agent has not connected yet." : "No containers on this host."}
                  maxHeightClass="max-h-[70dvh]"
                  highlightId={highlightId}
                />
              </SparklineProvider>
            )}
          </div>
        }
      />

      <section aria-labelledby="events-heading" className="space-y-2">
        <h2 id="events-heading" className="text-sm font-semibold">
          Events
        </h2>
        <EventsTimeline hostId={hostId} />
      </section>
    </div>
  );
}

function Facts({ host }: { host: HostDetail | undefined }) {
  const f = host?.facts;
  const dash = <span className="text-zinc-400 dark:text-zinc-500">—</span>;
  const v = (x: string | number | null | undefined, mono = false): ReactNode =>
    x == null || x === "" ? dash : mono ? <span className="font-mono text-xs">{x}</span> : x;
  const rows: [string, ReactNode][] = host
    ? [
        ["Hostname", v(f?.hostname ?? host.hostname, true)],
        ["OS", v(f?.os ?? host.os)],
        ["Kernel", v(f?.kernel, true)],
        ["Architecture", v(f?.architecture, true)],
        ["CPUs", v(f?.cpus)],
        ["Memory", f ? bytes(f.memoryBytes) : dash],
        ["Docker", v(f?.dockerVersion ?? host.dockerVersion, true)],
        ["API", v(f?.apiVersion, true)],
        ["Cgroup", f?.cgroupVersion || f?.cgroupDriver ? [f.cgroupVersion && `v${f.cgroupVersion.replace(/^v/, "")}`, f.cgroupDriver].filter(Boolean).join(" · ") : dash],
        ["Storage driver", v(f?.storageDriver, true)],
        ["Metrics source", <MetricsSourceFact key="ms" hostId={host.id} />],
        [
          "Security options",
          f?.securityOptions.length ? (
            <span className="flex flex-wrap gap-1">
              {f.securityOptions.map((o) => (
                <span key={o} className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-[11px] dark:bg-zinc-800" title={o}>
                  {o.replace(/^name=/, "").split(",")[0]}
                </span>
              ))}
            </span>
          ) : (
            dash
          ),
        ],
        ["Agent version", v(f?.agentVersion, true)],
        ["Address", v(host.address, true)],
        ["Last seen", <RelativeTime key="ls" value={host.lastSeenAt} />],
        ["Enrolled", <RelativeTime key="en" value={host.enrolledAt} />],
      ]
    : [];
  return (
    <section aria-label="Host facts" className="rounded-lg border border-zinc-200 bg-white p-4 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
      {!host ? (
        <div className="grid grid-cols-2 gap-3 md:grid-cols-4" aria-hidden="true">
          {Array.from({ length: 12 }, (_, i) => (
            <div key={i} className="space-y-1.5">
              <Skeleton className="h-2.5 w-16" />
              <Skeleton className="w-28" />
            </div>
          ))}
        </div>
      ) : (
        <>
          {!f && <p className="mb-3 text-zinc-600 dark:text-zinc-400">The agent has not reported host facts yet.</p>}
          <dl className="grid grid-cols-2 gap-x-6 gap-y-3 sm:grid-cols-3 lg:grid-cols-5">
            {rows.map(([k, val]) => (
              <div key={k} className="min-w-0">
                <dt className="text-[11px] font-medium tracking-wide text-zinc-500 uppercase dark:text-zinc-400">{k}</dt>
                <dd className="mt-0.5 break-words">{val}</dd>
              </div>
            ))}
          </dl>
        </>
      )}
    </section>
  );
}
