"use client";

import { useState } from "react";
import { bytes } from "../format";
import { useOperationProgress, type OperationProgress } from "../live";
import { cx } from "../ui";

/**
 * Pulls and imports running on a host, from the `operation:progress` events of the live socket. The
 * server names an operation by its command id, which the starting request does not return, so every
 * operation of that kind on the host is shown (others' included: they are on the same engine).
 */
export function useHostOperations(hostId: string, kind: OperationProgress["kind"]): OperationProgress[] {
  const [ops, setOps] = useState<OperationProgress[]>([]);
  useOperationProgress((p) => {
    if (p.hostId !== hostId || p.kind !== kind) return;
    setOps((list) => {
      const rest = list.filter((o) => o.operationId !== p.operationId);
      return [{ ...list.find((o) => o.operationId === p.operationId), ...p }, ...rest].slice(0, 5);
    });
  });
  return ops;
}

export function ProgressBar({ label, current, total, tone = "sky" }: { label: string; current: number | undefined; total: number | undefined; tone?: "sky" | "emerald" | "red" }) {
  const pct = total ? Math.min(100, Math.round(((current ?? 0) / total) * 100)) : null;
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={pct ?? undefined}
      className="h-1.5 w-full overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800"
    >
      <div
        className={cx(
          "h-full rounded-full transition-[width]",
          tone === "sky" && "bg-sky-500",
          tone === "emerald" && "bg-emerald-500",
          tone === "red" && "bg-red-500",
          pct === null && "w-1/3 animate-pulse",
        )}
        style={pct === null ? undefined : { width: `${pct}%` }}
      />
    </div>
  );
}

/** One operation as a line: status text, bytes, bar. */
export function OperationLine({ op, title }: { op: OperationProgress; title: string }) {
  const tone = op.error ? "red" : op.done ? "emerald" : "sky";
  return (
    <li className="space-y-1" data-operation-status={op.done ? (op.error ? "failed" : "done") : "running"}>
      <div className="flex items-baseline justify-between gap-3 text-xs">
        <span className="font-medium">{title}</span>
        <span className={cx("tabular-nums", op.error ? "text-red-700 dark:text-red-400" : "text-zinc-600 dark:text-zinc-400")}>
          {op.error ? `failed: ${op.error}` : op.status}
          {op.currentBytes != null && op.totalBytes ? ` · ${bytes(op.currentBytes)} of ${bytes(op.totalBytes)}` : ""}
        </span>
      </div>
      <ProgressBar label={`${title}: ${op.status}`} current={op.done ? 1 : op.currentBytes} total={op.done ? 1 : op.totalBytes} tone={tone} />
    </li>
  );
}
