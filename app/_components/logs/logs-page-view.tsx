"use client";

import { useQuery } from "@tanstack/react-query";
import { useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";
import { MultiContainerLogs } from "./multi-container-logs";
import { RetainedSearch } from "./retained-search";
import { RetentionSummary } from "./retention-summary";
import { HostTabs } from "../control/host-tabs";
import { useTRPC } from "../trpc";
import { EmptyState, LoadError, PageHeader, Skeleton } from "../ui";
import { canSomewhere, NO_ACCESS_TEXT, useUser } from "../user";

/** /logs: containers picked across hosts, their lines merged by time, each tagged with host and container. */
export function LogsPageView() {
  const trpc = useTRPC();
  const { access } = useUser();
  const containers = useQuery(trpc.containers.list.queryOptions());
  const hosts = useQuery(trpc.hosts.list.queryOptions());
  const params = useSearchParams();
  // `?c=host/container,…` names the picked containers so a view can be linked and survives a reload.
  const [selected, setSelected] = useState<Set<string>>(() => new Set((params.get("c") ?? "").split(",").filter(Boolean)));

  useEffect(() => {
    const url = new URL(window.location.href);
    if (selected.size) url.searchParams.set("c", [...selected].join(","));
    else url.searchParams.delete("c");
    if (url.href !== window.location.href) window.history.replaceState(window.history.state, "", url);
  }, [selected]);

  if (!canSomewhere(access, "logs:read")) {
    return (
      <div className="space-y-4">
        <PageHeader title="Logs" />
        <EmptyState title="No log access">{canSomewhere(access, "host:read") ? "Your roles do not include logs:read on any host." : NO_ACCESS_TEXT}</EmptyState>
      </div>
    );
  }
  return (
    <div className="space-y-3">
      <PageHeader title="Logs" description="Pick containers on any host; their lines are merged by time, each tagged with its host and container." />
      {containers.isError && !containers.data ? (
        <LoadError title="Could not list containers" error={containers.error} onRetry={() => containers.refetch()} />
      ) : containers.isPending ? (
        <Skeleton className="h-96 w-full" />
      ) : (
        <HostTabs
          label="Log sources"
          tabs={[
            {
              id: "live",
              label: "Live",
              panel: (
                <MultiContainerLogs
                  containers={containers.data ?? []}
                  hosts={hosts.data ?? []}
                  selected={selected}
                  onSelect={setSelected}
                  baseName="portolan-logs"
                  heightClass="h-[calc(100dvh-18rem)] min-h-[360px]"
                />
              ),
            },
            {
              id: "retained",
              label: "Retained",
              panel: (
                <div className="space-y-2">
                  <RetentionSummary />
                  <RetainedSearch hosts={hosts.data ?? []} pickedContainerIds={[...selected].map((k) => k.slice(k.indexOf("/") + 1))} />
                </div>
              ),
            },
          ]}
        />
      )}
    </div>
  );
}
