"use client";

import { useState, type ReactNode } from "react";
import { trpcMessage } from "../trpc";
import { ConfirmButton, cx, DataTable, LoadError, smallButtonClass } from "../ui";

export type Note = { tone: "ok" | "error"; text: string };

/** The outcome of the last action on a resource tab (prune results, Docker's refusal). */
export function PanelNote({ note, onDismiss }: { note: Note | null; onDismiss: () => void }) {
  if (!note) return null;
  return (
    <div
      role={note.tone === "error" ? "alert" : "status"}
      className={cx(
        "flex items-start justify-between gap-3 rounded-md border px-3 py-2 text-sm",
        note.tone === "ok"
          ? "border-emerald-300 bg-emerald-50 text-emerald-900 dark:border-emerald-500/30 dark:bg-emerald-500/10 dark:text-emerald-200"
          : "border-red-300 bg-red-50 text-red-900 dark:border-red-500/40 dark:bg-red-500/10 dark:text-red-200",
      )}
    >
      <span className="break-words">{note.text}</span>
      <button type="button" className={smallButtonClass.ghost} onClick={onDismiss}>
        Dismiss
      </button>
    </div>
  );
}

/**
 * A tab's note plus mutation callbacks that report into it: `reporting(okText)` gives onSuccess (note +
 * refresh of the list) and onError (the server's words) for a mutation's options.
 */
export function usePanelNote(refresh: () => void) {
  const [note, setNote] = useState<Note | null>(null);
  const reporting = <R, V>(okText: (result: R, vars: V) => string) => ({
    onSuccess: (result: R, vars: V) => {
      setNote({ tone: "ok", text: okText(result, vars) });
      refresh();
    },
    onError: (err: unknown) => setNote({ tone: "error", text: trpcMessage(err) }),
  });
  return { note, setNote, reporting };
}

type ListQuery<T> = { data: T[] | undefined; isPending: boolean; isError: boolean; error: unknown; refetch: () => unknown };

/**
 * One resource tab: count line and write actions, the last outcome, then the list (or why it failed).
 * `create` and `prune` appear only for callers who may write.
 */
export function ResourcePanel<T>({ noun, query, columns, rightAligned, writable, create, prune, panel, extra, children }: {
  noun: { one: string; many: string };
  query: ListQuery<T>;
  columns: readonly string[];
  rightAligned?: readonly string[];
  writable: boolean;
  create?: ReactNode;
  prune?: { prompt: ReactNode; pending: boolean; onConfirm: () => void };
  panel: ReturnType<typeof usePanelNote>;
  extra?: ReactNode;
  children: (item: T) => ReactNode;
}) {
  const list = query.data ?? [];
  const title = noun.many[0]!.toUpperCase() + noun.many.slice(1);
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-2">
        <p className="text-xs text-zinc-600 tabular-nums dark:text-zinc-400">{query.data ? `${list.length} ${list.length === 1 ? noun.one : noun.many}` : "Loading…"}</p>
        {writable && (
          <div className="ml-auto flex flex-wrap items-center gap-2">
            {create}
            {prune && <ConfirmButton small={false} label="Prune" accessibleName={`Prune ${noun.many}`} prompt={prune.prompt} pending={prune.pending} onConfirm={prune.onConfirm} />}
          </div>
        )}
      </div>
      {extra}
      <PanelNote note={panel.note} onDismiss={() => panel.setNote(null)} />
      {query.isError && !query.data ? (
        <LoadError title={`Could not list ${noun.many}`} error={query.error} onRetry={query.refetch} />
      ) : (
        <DataTable label={title} columns={columns} rightAligned={rightAligned} busy={query.isPending} empty={query.data && list.length === 0 ? `No ${noun.many} on this host.` : null} wrapClass="max-h-[70dvh]">
          {list.map(children)}
        </DataTable>
      )}
    </div>
  );
}
