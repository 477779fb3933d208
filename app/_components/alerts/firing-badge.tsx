"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../trpc";

/** The nav's count of firing alerts on hosts the caller can read; refreshed by the live "alerts" nudge. */
export function FiringBadge() {
  const trpc = useTRPC();
  const firing = useQuery(trpc.alerts.list.queryOptions({ state: "firing", limit: 1 }, { staleTime: 15_000, refetchInterval: 60_000 }));
  const counts = firing.data?.counts;
  if (!counts || counts.firing === 0) return null;
  const label = `${counts.firing} firing${counts.unacknowledged < counts.firing ? `, ${counts.unacknowledged} not acknowledged` : ""}`;
  return (
    <span
      title={label}
      aria-label={label}
      data-testid="firing-count"
      className={
        counts.unacknowledged > 0
          ? "ml-1.5 inline-flex min-w-5 items-center justify-center rounded-full bg-red-600 px-1.5 text-[11px] leading-5 font-semibold text-white tabular-nums dark:bg-red-500"
          : "ml-1.5 inline-flex min-w-5 items-center justify-center rounded-full bg-zinc-300 px-1.5 text-[11px] leading-5 font-semibold text-zinc-800 tabular-nums dark:bg-zinc-600 dark:text-zinc-100"
      }
    >
      {counts.firing}
    </span>
  );
}
