"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { MultiContainerLogs } from "./multi-container-logs";
import { useTRPC } from "../trpc";
import { LoadError, Skeleton } from "../ui";

/** The Logs tab of a host: pick some of its containers and read them merged. */
export function HostLogs({ hostId }: { hostId: string }) {
  const trpc = useTRPC();
  const containers = useQuery(trpc.containers.list.queryOptions({ hostId }));
  const host = useQuery(trpc.hosts.get.queryOptions({ hostId }));
  const [selected, setSelected] = useState<Set<string>>(new Set());
  if (containers.isError && !containers.data) return <LoadError title="Could not list containers" error={containers.error} onRetry={() => containers.refetch()} />;
  if (!containers.data) return <Skeleton className="h-96 w-full" />;
  return (
    <MultiContainerLogs
      containers={containers.data}
      hosts={host.data ? [host.data] : []}
      selected={selected}
      onSelect={setSelected}
      baseName={`${host.data?.name ?? hostId}-logs`}
      heightClass="h-[calc(100dvh-20rem)] min-h-[360px]"
    />
  );
}
