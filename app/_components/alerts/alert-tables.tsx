"use client";

import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { trpcMessage, useTRPC } from "../trpc";
import { Badge, cx, DataTable, FormError, LoadError, PagedFooter, RelativeTime, Section, smallButtonClass, tdClass, trClass } from "../ui";
import { useNow } from "../use-now";
import { useCan } from "../user";
import { AlertsChart } from "./alerts-chart";
import { duration, KIND_LABELS, type AlertItem } from "./alert-text";

const FIRING_COLUMNS = ["Alert", "Subject", "Since", "Details", "Acknowledged", ""] as const;
const HISTORY_COLUMNS = ["State", "Alert", "Subject", "Fired", "Lasted", "Details", "Acknowledged"] as const;
const PAGE = 50;

function kindLabel(kind: string): string {
  return KIND_LABELS[kind as keyof typeof KIND_LABELS] ?? kind;
}

function AlertName({ a }: { a: AlertItem }) {
  return (
    <div className="min-w-0">
      <div className="truncate font-medium">{a.ruleName}</div>
      <div className="text-xs text-zinc-500 dark:text-zinc-400">{kindLabel(a.kind)}</div>
    </div>
  );
}

function Subject({ a }: { a: AlertItem }) {
  const href = a.containerId ? `/hosts/${a.hostId}/containers/${a.containerId}` : `/hosts/${a.hostId}`;
  return (
    <Link href={href} className="text-sky-700 hover:underline dark:text-sky-400">
      {a.subject}
    </Link>
  );
}

function Acknowledged({ a }: { a: AlertItem }) {
  if (!a.acknowledgedAt) return <span className="text-zinc-400 dark:text-zinc-500">no</span>;
  return (
    <span className="text-xs text-zinc-600 dark:text-zinc-400">
      {a.acknowledgedBy} · <RelativeTime value={a.acknowledgedAt} />
    </span>
  );
}

/** Firing alerts, unacknowledged first; each row can be acknowledged by those holding alert:ack on its host. */
export function FiringAlerts() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const can = useCan();
  const firing = useQuery(trpc.alerts.list.queryOptions({ state: "firing", limit: 200 }));
  const [error, setError] = useState<string | null>(null);
  const ack = useMutation(
    trpc.alerts.acknowledge.mutationOptions({
      onSuccess: () => (setError(null), void queryClient.invalidateQueries({ queryKey: trpc.alerts.pathKey() })),
      onError: (err) => setError(trpcMessage(err)),
    }),
  );
  const items = [...(firing.data?.items ?? [])].sort((a, b) => Number(Boolean(a.acknowledgedAt)) - Number(Boolean(b.acknowledgedAt)));
  const counts = firing.data?.counts;
  return (
    <Section
      title="Firing"
      description={!counts ? "Alerts that are firing now" : counts.firing === 0 ? "All clear." : `${counts.firing} firing, ${counts.unacknowledged} not acknowledged`}
    >
      {firing.isError && !firing.data ? (
        <LoadError title="Could not load firing alerts" error={firing.error} onRetry={() => firing.refetch()} />
      ) : (
        <DataTable label="Firing alerts" columns={FIRING_COLUMNS} busy={firing.isPending} skeletonRows={2} empty={items.length === 0 && "Nothing is firing."}>
          {items.map((a) => (
            <tr key={a.id} className={cx(trClass, !a.acknowledgedAt && "bg-red-50/60 dark:bg-red-500/5")}>
              <td className={tdClass}>
                <div className="flex items-center gap-2">
                  <span aria-hidden="true" className={cx("size-2 shrink-0 rounded-full", a.acknowledgedAt ? "bg-amber-500" : "animate-pulse bg-red-500")} />
                  <AlertName a={a} />
                </div>
              </td>
              <td className={tdClass}>
                <Subject a={a} />
              </td>
              <td className={tdClass}>
                <RelativeTime value={a.firedAt} />
              </td>
              <td className={cx(tdClass, "max-w-md text-zinc-700 dark:text-zinc-300")}>{a.message}</td>
              <td className={tdClass}>
                <Acknowledged a={a} />
              </td>
              <td className={cx(tdClass, "text-right")}>
                {!a.acknowledgedAt && can("alert:ack", a.hostId) && (
                  <button
                    type="button"
                    className={smallButtonClass.secondary}
                    aria-label={`Acknowledge ${a.ruleName} on ${a.subject}`}
                    disabled={ack.isPending && ack.variables?.alertId === a.id}
                    onClick={() => ack.mutate({ hostId: a.hostId, alertId: a.id })}
                  >
                    {ack.isPending && ack.variables?.alertId === a.id ? "Acknowledging…" : "Acknowledge"}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <FormError message={error} />
    </Section>
  );
}

const STATES = [
  ["", "All"],
  ["firing", "Firing"],
  ["resolved", "Resolved"],
] as const;

/** Every alert, newest first, paged. */
export function AlertHistory() {
  const trpc = useTRPC();
  const now = useNow();
  const [state, setState] = useState<"" | "firing" | "resolved">("");
  const list = useInfiniteQuery(
    trpc.alerts.list.infiniteQueryOptions({ ...(state ? { state } : {}), limit: PAGE }, { getNextPageParam: (last) => last.nextCursor ?? undefined }),
  );
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Section
      title="History"
      description="Every alert on hosts you can read, newest first."
      actions={
        <div role="group" aria-label="Show" className="inline-flex overflow-hidden rounded-md border border-zinc-300 text-xs dark:border-zinc-700">
          {STATES.map(([value, label]) => (
            <button
              key={value}
              type="button"
              aria-pressed={state === value}
              onClick={() => setState(value)}
              className={cx(
                "px-2.5 py-1 font-medium",
                state === value ? "bg-zinc-800 text-white dark:bg-zinc-200 dark:text-zinc-900" : "bg-white text-zinc-700 hover:bg-zinc-50 dark:bg-zinc-900 dark:text-zinc-300 dark:hover:bg-zinc-800",
              )}
            >
              {label}
            </button>
          ))}
        </div>
      }
    >
      {list.isError && !list.data ? (
        <LoadError title="Could not load alert history" error={list.error} onRetry={() => list.refetch()} />
      ) : (
        <div className="space-y-2">
          <AlertsChart items={items} />
          <DataTable label="Alert history" columns={HISTORY_COLUMNS} busy={list.isPending} skeletonRows={4} wrapClass="max-h-[32rem]" empty={items.length === 0 && "No alerts yet."}>
            {items.map((a) => (
              <tr key={a.id} className={trClass}>
                <td className={tdClass}>
                  <Badge tone={a.state === "firing" ? "red" : "green"}>{a.state}</Badge>
                </td>
                <td className={tdClass}>
                  <AlertName a={a} />
                </td>
                <td className={tdClass}>
                  <Subject a={a} />
                </td>
                <td className={tdClass}>
                  <RelativeTime value={a.firedAt} />
                </td>
                <td className={cx(tdClass, "whitespace-nowrap tabular-nums")}>{a.resolvedAt || now ? duration(a.firedAt, a.resolvedAt, now) : ""}</td>
                <td className={cx(tdClass, "max-w-md text-zinc-700 dark:text-zinc-300")}>{a.message}</td>
                <td className={tdClass}>
                  <Acknowledged a={a} />
                </td>
              </tr>
            ))}
          </DataTable>
          <PagedFooter query={list} count={items.length} noun={["alert", "alerts"]} moreText="older ones exist" loadLabel="Load older" errorTitle="Could not load older alerts" />
        </div>
      )}
    </Section>
  );
}
