"use client";

import { useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import { useId, useMemo, useState } from "react";
import { SEVERITIES, type Severity } from "../../../agents/protocol/inspector";
import type { AppRouter } from "../../../server/trpc/router";
import { plainText, shortId } from "../format";
import { useTRPC } from "../trpc";
import { buttonClass, cx, DataTable, ErrorBox, inputClass, LoadError, PageHeader, Section, tdClass, trClass } from "../ui";
import { countBySeverity, SEVERITY_RANK, SeverityBadge, SeverityCounts } from "./severity";

type Fleet = inferRouterOutputs<AppRouter>["security"]["fleet"];
type Row = Fleet["findings"][number];
type SortKey = "severity" | "container" | "host" | "id";

// Findings that mean a container could escape to the host or see into it.
const ESCAPE_IDS = new Set(["CIS-5.4", "PT-CAPADD-ALL", "CIS-5.31", "PT-RUNTIME-SOCKET", "CIS-5.15", "CIS-5.9", "CIS-5.16", "CIS-5.5", "CIS-5.21", "PT-SYSTEMPATHS-UNCONFINED", "CIS-5.3", "PT-RUN-SOCKET", "CIS-5.17"]);

/** /posture: every visible container's findings, fleet-wide or for one host; counts, filters, sorting. */
export function PostureView() {
  const trpc = useTRPC();
  const id = useId();
  const [host, setHost] = useState("");
  const [severity, setSeverity] = useState<Severity | "">("");
  const [q, setQ] = useState("");
  const [sort, setSort] = useState<{ key: SortKey; asc: boolean }>({ key: "severity", asc: true });
  const fleet = useQuery(trpc.security.fleet.queryOptions(undefined, { refetchInterval: 30_000 }));
  const data = fleet.data;

  const scoped = useMemo(() => (data?.findings ?? []).filter((f) => !host || f.hostId === host), [data, host]);
  const rows = useMemo(() => {
    const needle = q.trim().toLowerCase();
    const filtered = scoped.filter((f) => (!severity || f.severity === severity) && (!needle || `${f.containerName} ${f.image} ${f.id} ${f.title} ${f.evidence.value}`.toLowerCase().includes(needle)));
    const cmp: Record<SortKey, (a: Row, b: Row) => number> = {
      severity: (a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || a.containerName.localeCompare(b.containerName),
      container: (a, b) => a.containerName.localeCompare(b.containerName) || SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity],
      host: (a, b) => a.hostName.localeCompare(b.hostName) || SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity],
      id: (a, b) => a.id.localeCompare(b.id, undefined, { numeric: true }) || a.containerName.localeCompare(b.containerName),
    };
    return filtered.sort((a, b) => (sort.asc ? 1 : -1) * cmp[sort.key](a, b));
  }, [scoped, severity, q, sort]);

  // "Which containers could escape or see the host?": one line per container, worst first.
  const exposed = useMemo(() => {
    const by = new Map<string, { row: Row; ids: string[]; worst: Severity }>();
    for (const f of scoped) {
      if (!ESCAPE_IDS.has(f.id) || (f.severity !== "critical" && f.severity !== "high")) continue;
      const key = `${f.hostId}/${f.containerId}`;
      const e = by.get(key) ?? { row: f, ids: [], worst: f.severity };
      e.ids.push(f.title);
      if (SEVERITY_RANK[f.severity] < SEVERITY_RANK[e.worst]) e.worst = f.severity;
      by.set(key, e);
    }
    return [...by.values()].sort((a, b) => SEVERITY_RANK[a.worst] - SEVERITY_RANK[b.worst] || a.row.containerName.localeCompare(b.row.containerName));
  }, [scoped]);

  const header = (label: string, key: SortKey) => (
    <button type="button" onClick={() => setSort((s) => ({ key, asc: s.key === key ? !s.asc : true }))} className="inline-flex items-center gap-1 hover:underline" aria-label={`Sort by ${label}`}>
      {label}
      {sort.key === key && <span aria-hidden="true">{sort.asc ? "▲" : "▼"}</span>}
    </button>
  );

  return (
    <div className="space-y-4">
      <PageHeader title="Posture" description="CIS Docker Benchmark container checks (section 5) and Portolan's own, from Docker's settings and the kernel's view of each container." />
      {fleet.isError && !data ? (
        <LoadError title="Could not load posture" error={fleet.error} onRetry={() => fleet.refetch()} />
      ) : (
        <>
          {data?.hosts.filter((h) => h.error).map((h) => (
            <ErrorBox key={h.hostId} title={`${h.hostName}: not checked`}>{h.error}</ErrorBox>
          ))}
          <SeverityCounts counts={countBySeverity(scoped)} selected={severity} onSelect={setSeverity} />
          <Section title="Could escape or see the host" description="Containers with critical or high findings that break the isolation between container and host.">
            {!data ? (
              <p className="text-sm text-zinc-500">Checking…</p>
            ) : exposed.length === 0 ? (
              <p className="text-sm text-emerald-700 dark:text-emerald-400">None: no container breaks out of its isolation.</p>
            ) : (
              <ul aria-label="Containers that could escape or see the host" className="divide-y divide-zinc-100 dark:divide-zinc-800">
                {exposed.map(({ row, ids, worst }) => (
                  <li key={`${row.hostId}/${row.containerId}`} className="flex flex-wrap items-center gap-2 py-1.5 text-sm">
                    <SeverityBadge severity={worst} />
                    <Link href={`/hosts/${encodeURIComponent(row.hostId)}/containers/${row.containerId}?tab=isolation`} className="font-medium hover:underline">
                      {plainText(row.containerName)}
                    </Link>
                    <span className="text-xs text-zinc-500">on {plainText(row.hostName)}</span>
                    <span className="text-xs text-zinc-600 dark:text-zinc-400">{ids.join(" · ")}</span>
                  </li>
                ))}
              </ul>
            )}
          </Section>
          <div className="flex flex-wrap items-end gap-3">
            <div className="w-72">
              <label htmlFor={`${id}-q`} className="mb-1 block text-xs font-medium text-zinc-600 dark:text-zinc-400">Search</label>
              <input id={`${id}-q`} type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder="Container, image, check or evidence" className={`${inputClass} h-8 py-1`} />
            </div>
            <Select id={`${id}-host`} label="Host" value={host} onChange={setHost} options={(data?.hosts ?? []).map((h) => [h.hostId, h.hostName] as const)} />
            <Select id={`${id}-sev`} label="Severity" value={severity} onChange={(v) => setSeverity(v as Severity | "")} options={SEVERITIES.map((s) => [s, s] as const)} />
            {(host || severity || q) && (
              <button type="button" className={buttonClass.ghost} onClick={() => { setHost(""); setSeverity(""); setQ(""); }}>
                Clear filters
              </button>
            )}
            <p className="pb-1.5 text-xs text-zinc-500">
              Sort by {(["severity", "container", "host", "id"] as const).map((k, i) => (
                <span key={k}>{i > 0 && " · "}{header(k === "id" ? "check" : k, k)}</span>
              ))}
            </p>
            <span className="ml-auto pb-1.5 text-xs text-zinc-500 tabular-nums" aria-live="polite">{rows.length} findings</span>
          </div>
          <DataTable label="Findings" columns={["Severity", "Check", "Container", "Host", "Evidence", "Remediation"]} busy={fleet.isPending} empty={data && rows.length === 0 ? "No findings match." : null} wrapClass="max-h-[70dvh]">
            {rows.map((f, i) => (
              <tr key={`${f.hostId}/${f.containerId}/${f.id}/${i}`} className={trClass}>
                <td className={tdClass}><SeverityBadge severity={f.severity} /></td>
                <td className={tdClass}>
                  <span className="font-mono text-xs text-zinc-500">{f.id}</span> <span>{f.title}</span>
                </td>
                <td className={tdClass}>
                  <Link href={`/hosts/${encodeURIComponent(f.hostId)}/containers/${f.containerId}?tab=isolation`} className="hover:underline" title={f.containerId}>
                    {plainText(f.containerName)}
                  </Link>
                  <span className="ml-1 font-mono text-[11px] text-zinc-400">{shortId(f.containerId)}</span>
                  {!f.running && <span className="ml-1 text-[11px] text-zinc-500">(stopped)</span>}
                </td>
                <td className={cx(tdClass, "whitespace-nowrap")}>{plainText(f.hostName)}</td>
                <td className={cx(tdClass, "max-w-80")}>
                  <span className="text-xs text-zinc-500">{f.evidence.field}</span>{" "}
                  <span className="font-mono text-xs break-all">{plainText(f.evidence.value)}</span>
                </td>
                <td className={cx(tdClass, "max-w-96 text-xs text-zinc-600 dark:text-zinc-400")}>{f.remediation}</td>
              </tr>
            ))}
          </DataTable>
        </>
      )}
    </div>
  );
}

function Select({ id, label, value, onChange, options }: { id: string; label: string; value: string; onChange: (v: string) => void; options: readonly (readonly [string, string])[] }) {
  return (
    <div className="w-44">
      <label htmlFor={id} className="mb-1 block text-xs font-medium text-zinc-600 dark:text-zinc-400">{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} className={`${inputClass} h-8 py-1`}>
        <option value="">All</option>
        {options.map(([v, l]) => <option key={v} value={v}>{l}</option>)}
      </select>
    </div>
  );
}
