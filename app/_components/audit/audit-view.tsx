"use client";

import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { fullTimestamp } from "../format";
import { useTRPC } from "../trpc";
import {
  Badge,
  buttonClass,
  cx,
  DataTable,
  inputClass,
  labelClass,
  LoadError,
  PageHeader,
  tdClass,
  trClass,
  PagedFooter,
} from "../ui";
import { EMPTY_FILTERS, exportHref, toQuery, type AuditFilterForm } from "./audit-filters";
import { useVerifyChain } from "./verify-chain";
import type { AuditItem } from "../admin/types";

const COLUMNS = ["Time", "Actor", "Source IP", "Host", "Action", "Target", "Params", "Result"] as const;
const PAGE = 100;

export function AuditView() {
  const trpc = useTRPC();
  const hosts = useQuery(trpc.hosts.list.queryOptions());
  const [draft, setDraft] = useState<AuditFilterForm>(EMPTY_FILTERS);
  const [applied, setApplied] = useState<AuditFilterForm>(EMPTY_FILTERS);
  const log = useInfiniteQuery(
    trpc.audit.list.infiniteQueryOptions({ ...toQuery(applied), limit: PAGE }, { getNextPageParam: (last) => last.nextCursor ?? undefined }),
  );
  const items = log.data?.pages.flatMap((p) => p.items) ?? [];
  const hostName = (id: string) => hosts.data?.find((h) => h.id === id)?.name ?? id;
  const filtering = Object.values(applied).some(Boolean);
  const chain = useVerifyChain();

  return (
    <div className="space-y-4">
      <PageHeader
        title="Audit log"
        description="Every action and refusal, newest first. Each entry is chained to the one before it by a hash."
        actions={
          <>
            {chain.button}
            <a className={buttonClass.secondary} href={exportHref("csv", applied)} download>
              Export CSV
            </a>
            <a className={buttonClass.secondary} href={exportHref("jsonl", applied)} download>
              Export JSON Lines
            </a>
          </>
        }
      />
      {chain.verdict}
      <Filters draft={draft} setDraft={setDraft} hosts={hosts.data ?? []} onApply={() => setApplied(draft)} onClear={() => (setDraft(EMPTY_FILTERS), setApplied(EMPTY_FILTERS))} filtering={filtering} />

      {log.isError && !log.data ? (
        <LoadError title="Could not load the audit log" error={log.error} onRetry={() => log.refetch()} />
      ) : (
        <>
          <DataTable
            label="Audit log"
            columns={COLUMNS}
            busy={log.isPending}
            skeletonRows={6}
            wrapClass="max-h-[calc(100dvh-17rem)]"
            empty={items.length === 0 && (filtering ? "No entries match these filters." : "No entries yet.")}
          >
            {items.map((e) => (
              <AuditRow key={e.id} entry={e} hostName={hostName} />
            ))}
          </DataTable>
          <PagedFooter query={log} count={items.length} noun={["entry", "entries"]} moreText="more are older" loadLabel="Load more" errorTitle="Could not load more entries" />
        </>
      )}
    </div>
  );
}

function resultTone(result: string): "green" | "red" | "amber" {
  if (result === "ok") return "green";
  return result.startsWith("denied") ? "red" : "amber";
}

/** "2026-11-29 06:47:35" in local time: sortable and narrow; the zone is in the tooltip. */
function localTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

function AuditRow({ entry, hostName }: { entry: AuditItem; hostName: (id: string) => string }) {
  const ms = Date.parse(entry.at);
  const tone = resultTone(entry.result);
  const params = entry.params == null ? "" : JSON.stringify(entry.params);
  return (
    <tr className={cx(trClass, tone === "red" && "bg-red-50/60 dark:bg-red-500/5", tone === "amber" && "bg-amber-50/60 dark:bg-amber-500/5")} data-audit-id={entry.id}>
      <td className={cx(tdClass, "whitespace-nowrap tabular-nums")}>
        <time dateTime={entry.at} title={`${fullTimestamp(ms)} · entry #${entry.id}`}>
          {localTime(ms)}
        </time>
      </td>
      <td className={tdClass}>
        <div className={"max-w-44 truncate 2xl:max-w-64"} title={entry.actor}>
          {entry.actor}
        </div>
      </td>
      <td className={cx(tdClass, "font-mono text-xs whitespace-nowrap")}>{entry.sourceIp ?? <span className="text-zinc-400">—</span>}</td>
      <td className={cx(tdClass, "whitespace-nowrap")}>{entry.hostId ? hostName(entry.hostId) : <span className="text-zinc-400">—</span>}</td>
      <td className={cx(tdClass, "font-mono text-xs whitespace-nowrap")}>{entry.action}</td>
      <td className={tdClass}>
        <div className={"max-w-44 truncate 2xl:max-w-64"} title={entry.target ?? undefined}>
          {entry.target ?? <span className="text-zinc-400">—</span>}
        </div>
      </td>
      <td className={tdClass}>
        {params ? (
          <code className="block max-w-56 truncate font-mono text-[11px] text-zinc-600 2xl:max-w-md dark:text-zinc-400" title={JSON.stringify(entry.params, null, 2)}>
            {params}
          </code>
        ) : (
          <span className="text-zinc-400">—</span>
        )}
      </td>
      <td className={tdClass}>
        <span className="inline-block max-w-40 truncate align-middle">
          <Badge tone={tone} title={entry.result}>
            {entry.result}
          </Badge>
        </span>
      </td>
    </tr>
  );
}

function Filters({ draft, setDraft, hosts, onApply, onClear, filtering }: {
  draft: AuditFilterForm;
  setDraft: (f: AuditFilterForm) => void;
  hosts: { id: string; name: string }[];
  onApply: () => void;
  onClear: () => void;
  filtering: boolean;
}) {
  const id = useId();
  const field = (key: keyof AuditFilterForm) => ({
    id: `${id}-${key}`,
    value: draft[key],
    onChange: (e: { target: { value: string } }) => setDraft({ ...draft, [key]: e.target.value }),
  });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    onApply();
  };
  const small = `${inputClass} h-8 py-1`;
  return (
    <form role="search" aria-label="Filter the audit log" onSubmit={onSubmit} className="flex flex-wrap items-end gap-3">
      <div className="w-52">
        <label htmlFor={`${id}-actor`} className={labelClass}>
          Actor
        </label>
        <input {...field("actor")} type="search" placeholder="email contains…" autoComplete="off" className={small} />
      </div>
      <div className="w-44">
        <label htmlFor={`${id}-hostId`} className={labelClass}>
          Host
        </label>
        <select {...field("hostId")} className={small}>
          <option value="">All</option>
          {hosts.map((h) => (
            <option key={h.id} value={h.id}>
              {h.name}
            </option>
          ))}
        </select>
      </div>
      <div className="w-48">
        <label htmlFor={`${id}-action`} className={labelClass}>
          Action
        </label>
        <input {...field("action")} type="search" placeholder="container. or user.create" autoComplete="off" spellCheck={false} className={`${small} font-mono`} />
      </div>
      <div className="w-52">
        <label htmlFor={`${id}-from`} className={labelClass}>
          From
        </label>
        <input {...field("from")} type="datetime-local" className={small} />
      </div>
      <div className="w-52">
        <label htmlFor={`${id}-to`} className={labelClass}>
          To
        </label>
        <input {...field("to")} type="datetime-local" className={small} />
      </div>
      <div className="flex items-center gap-2">
        <button type="submit" className={`${buttonClass.primary} h-8`}>
          Apply filters
        </button>
        {filtering && (
          <button type="button" className={buttonClass.ghost} onClick={onClear}>
            Clear
          </button>
        )}
      </div>
    </form>
  );
}
