"use client";

import Link from "next/link";
import type { ReactNode } from "react";
import { ContainerActions } from "./container-actions";
import { formatPorts, liveStatus, plainText, shortId } from "./format";
import type { FleetContainer } from "./trpc";
import { useNow } from "./use-now";
import { canOn, useUser } from "./user";
import { HealthBadge, RelativeTime, SkeletonRows, StateBadge, tableClass, tableWrapClass, tdClass, thClass, trClass, cx } from "./ui";

type Column = "Host" | "Name" | "Image" | "State" | "Status" | "Ports" | "Created" | "Restarts" | "Actions";

/** The container table shared by the host page and the fleet page. */
export function ContainersTable({
  label,
  containers,
  loading,
  showHost = false,
  empty,
  maxHeightClass = "max-h-[calc(100dvh-14rem)]",
}: {
  label: string;
  containers: FleetContainer[];
  loading: boolean;
  showHost?: boolean;
  empty: ReactNode;
  maxHeightClass?: string;
}) {
  const columns: Column[] = [...(showHost ? (["Host"] as const) : []), "Name", "Image", "State", "Status", "Ports", "Created", "Restarts", "Actions"];
  // Rows of hosts the caller can no longer read go at once (access is live; the list refetch may fail).
  const { access } = useUser();
  const visible = containers.filter((c) => canOn(access, "container:read", c.hostId));
  const lostAccess = containers.length > 0 && visible.length === 0;
  return (
    <div className={cx(tableWrapClass, maxHeightClass)}>
      <table aria-label={label} aria-busy={loading} className={tableClass}>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c} scope="col" className={cx(thClass, (c === "Restarts" || c === "Actions") && "text-right")}>
                {c === "Actions" ? <span className="sr-only">Actions</span> : c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {loading ? (
            <SkeletonRows columns={columns.length} rows={5} />
          ) : visible.length === 0 ? (
            <tr>
              <td colSpan={columns.length} className={cx(tdClass, "py-8 text-center text-zinc-500 dark:text-zinc-400")}>
                {lostAccess ? "You no longer have access to these containers." : empty}
              </td>
            </tr>
          ) : (
            visible.map((c) => <ContainerRow key={`${c.hostId}/${c.id}`} c={c} showHost={showHost} />)
          )}
        </tbody>
      </table>
    </div>
  );
}

function ContainerRow({ c, showHost }: { c: FleetContainer; showHost: boolean }) {
  const now = useNow();
  const ports = formatPorts(c.ports);
  // Labels come from whoever built the image: shown as plain text, escape sequences made visible.
  const composeProject = c.labels["com.docker.compose.project"] ? plainText(c.labels["com.docker.compose.project"]) : null;
  return (
    <tr className={cx(trClass, !c.hostOnline && "opacity-60")} data-container-id={c.id}>
      {showHost && (
        <td className={cx(tdClass, "whitespace-nowrap")}>
          <Link href={`/hosts/${encodeURIComponent(c.hostId)}`} className="text-sky-700 hover:underline dark:text-sky-400" title={c.hostOnline ? undefined : "host offline: last known state"}>
            {c.hostName}
          </Link>
        </td>
      )}
      <td className={cx(tdClass, "max-w-72")}>
        <div className="truncate font-medium" title={c.name}>
          {c.name}
        </div>
        <div className="font-mono text-[11px] text-zinc-500 dark:text-zinc-400" title={c.id}>
          {shortId(c.id)}
          {composeProject && <span className="ml-2 font-sans">compose: {composeProject}</span>}
        </div>
      </td>
      <td className={cx(tdClass, "max-w-80")}>
        <div className="truncate font-mono text-xs" title={`${plainText(c.image)}\n${c.imageId}`}>
          {plainText(c.image)}
        </div>
      </td>
      <td className={tdClass}>
        <span className="inline-flex items-center gap-1">
          <StateBadge state={c.state} />
          <HealthBadge health={c.health} />
        </span>
      </td>
      <td className={cx(tdClass, "whitespace-nowrap text-zinc-700 dark:text-zinc-300")} title={plainText(c.status)}>
        {liveStatus(c, now)}
      </td>
      <td className={cx(tdClass, "font-mono text-xs")}>
        {ports.length === 0 ? (
          <span className="text-zinc-400 dark:text-zinc-500">—</span>
        ) : (
          <ul className="space-y-0.5">
            {ports.map((p) => (
              <li key={p} className="whitespace-nowrap">
                {p}
              </li>
            ))}
          </ul>
        )}
      </td>
      <td className={tdClass}>
        <RelativeTime value={c.createdAt} />
      </td>
      <td className={cx(tdClass, "text-right tabular-nums", c.restartCount > 0 && "font-medium text-amber-700 dark:text-amber-400")}>{c.restartCount}</td>
      <td className={cx(tdClass, "text-right")}>
        <ContainerActions c={c} />
      </td>
    </tr>
  );
}
