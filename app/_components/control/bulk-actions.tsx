"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useMemo, useRef, useState } from "react";
import { ACTIONS, type LifecycleAction } from "../container-actions";
import { rowKey, type RowSelection } from "../containers-table";
import { trpcMessage, useTRPC, useTRPCClient, type FleetContainer } from "../trpc";
import { ConfirmButton, cx, smallButtonClass } from "../ui";
import { useCan } from "../user";
import type { BulkRowStatus } from "./bulk-status";

const CONCURRENCY = 4;

type Summary = { action: string; ok: number; failed: number; unknown: number; skipped: Record<string, number>; running: boolean };

/** Selection over the shown rows (select-all, shift-click ranges) and one action applied across hosts. */
export function useBulkActions(rows: FleetContainer[]) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const can = useCan();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [statuses, setStatuses] = useState<Map<string, BulkRowStatus>>(new Map());
  const [summary, setSummary] = useState<Summary | null>(null);
  const anchor = useRef<number | null>(null);

  const shown = useMemo(() => new Set(rows.map(rowKey)), [rows]);
  // Only rows still shown count: a filter change narrows what an action reaches.
  const targets = useMemo(() => rows.filter((c) => selected.has(rowKey(c))), [rows, selected]);

  const selection: RowSelection = {
    selected,
    onToggle: (key, index, range) => {
      setSelected((prev) => {
        const next = new Set(prev);
        const on = !prev.has(key);
        if (range && anchor.current !== null && anchor.current < rows.length) {
          const [from, to] = anchor.current < index ? [anchor.current, index] : [index, anchor.current];
          for (const c of rows.slice(from, to + 1)) {
            if (on) next.add(rowKey(c));
            else next.delete(rowKey(c));
          }
        } else if (on) next.add(key);
        else next.delete(key);
        return next;
      });
      anchor.current = index;
    },
    onToggleAll: (select) => {
      setSelected((prev) => {
        const next = new Set([...prev].filter((k) => !shown.has(k)));
        if (select) rows.forEach((c) => next.add(rowKey(c)));
        return next;
      });
      anchor.current = null;
    },
  };

  const run = useCallback(
    async (action: LifecycleAction) => {
      const def = ACTIONS.find((a) => a.action === action)!;
      const label = def.label;
      const next = new Map<string, BulkRowStatus>();
      const skipped: Record<string, number> = {};
      const work: FleetContainer[] = [];
      for (const c of targets) {
        const reason = !can(def.permission, c.hostId) ? "no permission" : !c.hostOnline ? "host offline" : !def.when(c.state) ? `already ${c.state}` : null;
        if (reason) {
          skipped[reason] = (skipped[reason] ?? 0) + 1;
          next.set(rowKey(c), { phase: "skipped", action: label, text: `skipped (${reason})` });
        } else {
          next.set(rowKey(c), { phase: "queued", action: label });
          work.push(c);
        }
      }
      setStatuses(new Map(next));
      const tally: Summary = { action: label, ok: 0, failed: 0, unknown: 0, skipped, running: true };
      setSummary({ ...tally });
      const update = (key: string, s: BulkRowStatus) => setStatuses((m) => new Map(m).set(key, s));
      let cursor = 0;
      const worker = async () => {
        while (cursor < work.length) {
          const c = work[cursor++]!;
          const key = rowKey(c);
          update(key, { phase: "running", action: label });
          try {
            const r = await client.containers.action.mutate({ hostId: c.hostId, containerId: c.id, action });
            if (r.ok) {
              tally.ok++;
              update(key, { phase: "ok", action: label, state: r.state });
            } else if (r.status === "unknown") {
              tally.unknown++;
              update(key, { phase: "unknown", action: label, text: r.error.message });
            } else {
              tally.failed++;
              update(key, { phase: "error", action: label, text: r.error.message });
            }
          } catch (err) {
            tally.failed++;
            update(key, { phase: "error", action: label, text: trpcMessage(err) });
          }
          setSummary({ ...tally });
        }
      };
      await Promise.all(Array.from({ length: Math.min(CONCURRENCY, work.length) }, worker));
      setSummary({ ...tally, running: false });
      void queryClient.invalidateQueries({ queryKey: trpc.containers.pathKey() });
    },
    [targets, can, client, queryClient, trpc],
  );

  const clear = () => {
    setSelected(new Set());
    setStatuses(new Map());
    setSummary(null);
    anchor.current = null;
  };
  return { selection, targets, statuses, summary, run, clear };
}

/** "N selected: Start / Stop / …" over the fleet table, and the outcome of the last bulk action. */
export function BulkBar({ bulk }: { bulk: ReturnType<typeof useBulkActions> }) {
  const can = useCan();
  const { targets, summary } = bulk;
  if (targets.length === 0 && !summary) return null;
  const busy = summary?.running ?? false;
  const skippedTotal = summary ? Object.values(summary.skipped).reduce((a, b) => a + b, 0) : 0;
  return (
    <div
      role="region"
      aria-label="Bulk actions"
      className="flex flex-wrap items-center gap-x-3 gap-y-2 rounded-lg border border-sky-200 bg-sky-50 px-3 py-2 dark:border-sky-500/30 dark:bg-sky-500/10"
    >
      <span className="text-sm font-medium tabular-nums">{targets.length} selected</span>
      {targets.length > 0 && (
        <div className="flex flex-wrap items-center gap-1">
          {ACTIONS.map((a) => {
            // Offered when the caller may do it on at least one selected row's host; the count is the rows it fits.
            if (!targets.some((c) => can(a.permission, c.hostId))) return null;
            const fits = targets.filter((c) => a.when(c.state) && can(a.permission, c.hostId) && c.hostOnline).length;
            const label = `${a.label} (${fits})`;
            return a.confirm ? (
              <ConfirmButton
                key={a.action}
                label={a.label}
                accessibleName={`${a.label} selected`}
                prompt={`${a.label} ${fits} ${fits === 1 ? "container" : "containers"}?`}
                pending={busy}
                onConfirm={() => void bulk.run(a.action)}
                variant="danger"
              />
            ) : (
              <button key={a.action} type="button" aria-label={`${a.label} selected`} className={smallButtonClass.secondary} disabled={busy || fits === 0} onClick={() => void bulk.run(a.action)}>
                {label}
              </button>
            );
          })}
        </div>
      )}
      {summary && (
        <p aria-live="polite" className={cx("text-xs", summary.failed || summary.unknown ? "text-red-700 dark:text-red-400" : "text-zinc-700 dark:text-zinc-300")} data-testid="bulk-summary">
          {summary.action}
          {summary.running ? " running: " : ": "}
          {summary.ok} ok
          {summary.failed > 0 && `, ${summary.failed} failed`}
          {summary.unknown > 0 && `, ${summary.unknown} unknown outcome`}
          {skippedTotal > 0 && `, ${skippedTotal} skipped (${Object.entries(summary.skipped).map(([why, n]) => `${n} ${why}`).join(", ")})`}
        </p>
      )}
      <button type="button" className={cx(smallButtonClass.ghost, "ml-auto")} onClick={bulk.clear} disabled={busy}>
        Clear selection
      </button>
    </div>
  );
}
