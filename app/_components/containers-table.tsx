"use client";

import Link from "next/link";
import { useEffect, useRef, type ReactNode } from "react";
import { ContainerActions, containerHref } from "./container-actions";
import { BulkRowResult, type BulkRowStatus } from "./control/bulk-status";
import { formatPorts, liveStatus, plainText, shortId } from "./format";
import type { FleetContainer } from "./trpc";
import { UsageCell, useHasSparklines } from "./metrics/sparklines-context";
import { useNow } from "./use-now";
import { canOn, useUser } from "./user";
import { HealthBadge, RelativeTime, SkeletonRows, StateBadge, tableClass, tableWrapClass, tdClass, thClass, trClass, cx } from "./ui";

type Column = "Select" | "Host" | "Name" | "Image" | "State" | "Status" | "Usage" | "Ports" | "Created" | "Restarts" | "Actions";

/** Row selection for bulk actions; keys are `${hostId}/${id}`. */
export type RowSelection = {
  selected: ReadonlySet<string>;
  /** `index` is the row's position in `containers`; `range` is a shift-click (select from the last click). */
  onToggle: (key: string, index: number, range: boolean) => void;
  onToggleAll: (select: boolean) => void;
};
export const rowKey = (c: { hostId: string; id: string }) => `${c.hostId}/${c.id}`;

/** The container table shared by the host page and the fleet page. */
export function ContainersTable({
  label,
  containers,
  loading,
  showHost = false,
  empty,
  maxHeightClass = "max-h-[calc(100dvh-14rem)]",
  selection,
  rowStatus,
  highlightId,
}: {
  label: string;
  containers: FleetContainer[];
  loading: boolean;
  showHost?: boolean;
  empty: ReactNode;
  maxHeightClass?: string;
  selection?: RowSelection;
  rowStatus?: ReadonlyMap<string, BulkRowStatus>;
  /** A container to scroll to and mark (e.g. just created). */
  highlightId?: string | null;
}) {
  const usage = useHasSparklines(); // CPU/memory sparklines when the page provides live metrics
  const columns: Column[] = [...(selection ? (["Select"] as const) : []), ...(showHost ? (["Host"] as const) : []), "Name", "Image", "State", "Status", ...(usage ? (["Usage"] as const) : []), "Ports", "Created", "Restarts", "Actions"];
  // Rows of hosts the caller can no longer read go at once (access is live; the list refetch may fail).
  const { access } = useUser();
  const visible = containers.filter((c) => canOn(access, "container:read", c.hostId));
  const lostAccess = containers.length > 0 && visible.length === 0;
  const selectedCount = selection ? visible.filter((c) => selection.selected.has(rowKey(c))).length : 0;
  return (
    <div className={cx(tableWrapClass, maxHeightClass)}>
      <table aria-label={label} aria-busy={loading} className={tableClass}>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c} scope="col" className={cx(thClass, (c === "Restarts" || c === "Actions") && "text-right", c === "Select" && "w-8 pr-0")}>
                {c === "Actions" ? (
                  <span className="sr-only">Actions</span>
                ) : c === "Select" && selection ? (
                  <SelectAll count={selectedCount} total={visible.length} onChange={selection.onToggleAll} />
                ) : (
                  c
                )}
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
            visible.map((c, i) => (
              <ContainerRow
                key={rowKey(c)}
                c={c}
                showHost={showHost}
                usage={usage}
                selection={selection ? { checked: selection.selected.has(rowKey(c)), onToggle: (range) => selection.onToggle(rowKey(c), i, range) } : undefined}
                status={rowStatus?.get(rowKey(c))}
                highlighted={highlightId === c.id}
              />
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}

function SelectAll({ count, total, onChange }: { count: number; total: number; onChange: (select: boolean) => void }) {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = count > 0 && count < total;
  }, [count, total]);
  return (
    <input
      ref={ref}
      type="checkbox"
      aria-label="Select all shown containers"
      checked={total > 0 && count === total}
      disabled={total === 0}
      onChange={(e) => onChange(e.target.checked)}
      className="size-3.5 accent-sky-600"
    />
  );
}

function ContainerRow({ c, showHost, usage, selection, status, highlighted }: {
  c: FleetContainer;
  showHost: boolean;
  usage: boolean;
  selection?: { checked: boolean; onToggle: (range: boolean) => void };
  status?: BulkRowStatus;
  highlighted: boolean;
}) {
  const now = useNow();
  const rowRef = useRef<HTMLTableRowElement>(null);
  useEffect(() => {
    if (highlighted) rowRef.current?.scrollIntoView({ block: "center" });
  }, [highlighted]);
  const ports = formatPorts(c.ports);
  // Labels come from whoever built the image: shown as plain text, escape sequences made visible.
  const composeProject = c.labels["com.docker.compose.project"] ? plainText(c.labels["com.docker.compose.project"]) : null;
  return (
    <tr
      ref={rowRef}
      className={cx(trClass, !c.hostOnline && "opacity-60", selection?.checked && "bg-sky-50/70 dark:bg-sky-500/10", highlighted && "bg-amber-100/70 hover:bg-amber-100 dark:bg-amber-400/15 dark:hover:bg-amber-400/20")}
      data-container-id={c.id}
      aria-selected={selection ? selection.checked : undefined}
      data-highlighted={highlighted || undefined}
    >
      {selection && (
        <td className={cx(tdClass, "w-8 pr-0")}>
          <input
            type="checkbox"
            aria-label={`Select ${c.name}`}
            checked={selection.checked}
            // Shift-click selects the range from the last clicked row; onClick sees the modifier, onChange does not.
            onClick={(e) => selection.onToggle(e.shiftKey)}
            onChange={() => undefined}
            className="size-3.5 accent-sky-600"
          />
        </td>
      )}
      {showHost && (
        <td className={cx(tdClass, "whitespace-nowrap")}>
          <Link href={`/hosts/${encodeURIComponent(c.hostId)}`} className="text-sky-700 hover:underline dark:text-sky-400" title={c.hostOnline ? undefined : "host offline: last known state"}>
            {c.hostName}
          </Link>
        </td>
      )}
      <td className={cx(tdClass, "max-w-72")}>
        <Link href={containerHref(c)} className="block truncate font-medium text-zinc-900 hover:text-sky-700 hover:underline dark:text-zinc-100 dark:hover:text-sky-400" title={`${c.name}: details`}>
          {c.name}
        </Link>
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
      {usage && (
        <td className={tdClass}>
          {c.state === "running" ? <UsageCell hostId={c.hostId} containerId={c.id} name={c.name} /> : <span className="text-zinc-400 dark:text-zinc-500">—</span>}
        </td>
      )}
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
        {status && <BulkRowResult status={status} />}
        <ContainerActions c={c} />
      </td>
    </tr>
  );
}
