"use client";

import { cx } from "../ui";

/** One row's part in a bulk action. */
export type BulkRowStatus =
  | { phase: "queued" | "running"; action: string }
  | { phase: "ok"; action: string; state: string }
  | { phase: "error" | "unknown" | "skipped"; action: string; text: string };

const tone: Record<BulkRowStatus["phase"], string> = {
  queued: "text-zinc-500 dark:text-zinc-400",
  running: "text-sky-700 dark:text-sky-400",
  ok: "text-emerald-700 dark:text-emerald-400",
  error: "text-red-700 dark:text-red-400",
  unknown: "text-amber-700 dark:text-amber-400",
  skipped: "text-zinc-500 dark:text-zinc-400",
};

export function bulkStatusText(s: BulkRowStatus): string {
  switch (s.phase) {
    case "queued":
      return `${s.action}: queued`;
    case "running":
      return `${s.action}…`;
    case "ok":
      return `${s.action}: ok (${s.state})`;
    case "unknown":
      return `${s.action}: unknown outcome — ${s.text}`;
    default:
      return `${s.action}: ${s.text}`;
  }
}

/** The bulk outcome line shown in a row's actions cell. */
export function BulkRowResult({ status }: { status: BulkRowStatus }) {
  return (
    <p data-bulk-phase={status.phase} className={cx("mb-1 max-w-72 text-right text-xs", tone[status.phase], status.phase === "running" && "animate-pulse")}>
      {status.phase === "ok" ? "✓ " : status.phase === "error" ? "✗ " : ""}
      {bulkStatusText(status)}
    </p>
  );
}
