"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { bytes } from "../format";
import { trpcMessage, useTRPC } from "../trpc";
import { ConfirmButton, cx, DataTable, EmptyState, FormError, hintClass, inputClass, labelClass, LoadError, PageHeader, Section, buttonClass, tdClass, trClass } from "../ui";

const RULE_COLUMNS = ["Keeps", "Size per container", "Age", "Retained now", ""] as const;
const USAGE_COLUMNS = ["Container", "Host", "Lines", "Size", "Oldest", "Newest"] as const;

/** Which containers' logs the server keeps so they outlive the container (opt-in per host or label). */
export function LogRetentionView() {
  const trpc = useTRPC();
  const retention = useQuery(trpc.logs.retention.list.queryOptions());
  const usageByRule = new Map<string, { bytes: number; containers: number }>();
  for (const c of retention.data?.containers ?? []) {
    const u = usageByRule.get(c.ruleId) ?? { bytes: 0, containers: 0 };
    usageByRule.set(c.ruleId, { bytes: u.bytes + c.bytes, containers: u.containers + 1 });
  }
  return (
    <div className="space-y-6">
      <PageHeader
        title="Log retention"
        description="The server keeps the logs of the containers chosen here, within the limits set, so they can still be read and searched after the container is gone. Nothing is kept unless a rule asks for it."
      />
      <RuleForm />
      {retention.isError && !retention.data ? (
        <LoadError title="Could not load retention rules" error={retention.error} onRetry={() => retention.refetch()} />
      ) : (
        <>
          <Section title="Rules">
            <DataTable
              label="Retention rules"
              columns={RULE_COLUMNS}
              rightAligned={["Size per container", "Age", "Retained now"]}
              busy={retention.isPending}
              empty={retention.data?.rules.length === 0 && <EmptyState title="No logs are retained">Add a rule above for a host or a label.</EmptyState>}
            >
              {retention.data?.rules.map((r) => (
                <RuleRow key={r.id} rule={r} usage={usageByRule.get(r.id)} />
              ))}
            </DataTable>
          </Section>
          <Section title="Retained containers" description="Including containers that no longer exist.">
            <DataTable label="Retained containers" columns={USAGE_COLUMNS} rightAligned={["Lines", "Size"]} busy={retention.isPending} empty={retention.data?.containers.length === 0 && <EmptyState title="Nothing retained yet" />}>
              {retention.data?.containers.map((c) => (
                <tr key={`${c.hostId}/${c.containerId}`} className={trClass}>
                  <td className={cx(tdClass, "font-mono text-xs")} title={c.containerId}>{c.containerName}</td>
                  <td className={tdClass}>{c.hostName}</td>
                  <td className={cx(tdClass, "text-right tabular-nums")}>{c.lines.toLocaleString()}</td>
                  <td className={cx(tdClass, "text-right tabular-nums")}>{bytes(c.bytes)}</td>
                  <td className={cx(tdClass, "tabular-nums text-xs")}>{localTime(c.oldest)}</td>
                  <td className={cx(tdClass, "tabular-nums text-xs")}>{localTime(c.newest)}</td>
                </tr>
              ))}
            </DataTable>
          </Section>
        </>
      )}
    </div>
  );
}

function localTime(ts: string | null): string {
  return ts ? new Date(ts.slice(0, 23) + "Z").toLocaleString() : "—";
}

type Rule = { id: string; hostId: string | null; hostName: string | null; label: string | null; maxMb: number; maxDays: number };

function RuleRow({ rule, usage }: { rule: Rule; usage?: { bytes: number; containers: number } }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const remove = useMutation(trpc.logs.retention.remove.mutationOptions({ onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.logs.pathKey() }) }));
  const target = [rule.hostName ? `every container on ${rule.hostName}` : null, rule.label ? `containers labelled ${rule.label}` : null].filter(Boolean).join(", with ");
  return (
    <tr className={trClass}>
      <td className={tdClass}>{rule.hostName && rule.label ? `Containers on ${rule.hostName} labelled ${rule.label}` : target.charAt(0).toUpperCase() + target.slice(1)}</td>
      <td className={cx(tdClass, "text-right tabular-nums")}>{rule.maxMb.toLocaleString()} MB</td>
      <td className={cx(tdClass, "text-right tabular-nums")}>{rule.maxDays} d</td>
      <td className={cx(tdClass, "text-right tabular-nums")}>{usage ? `${bytes(usage.bytes)} in ${usage.containers}` : "—"}</td>
      <td className={cx(tdClass, "text-right")}>
        <ConfirmButton label="Remove" accessibleName={`Remove rule for ${target}`} prompt="Delete the logs it kept?" variant="danger" pending={remove.isPending} onConfirm={() => remove.mutate({ ruleId: rule.id })} />
        {remove.error && <FormError message={trpcMessage(remove.error)} />}
      </td>
    </tr>
  );
}

function RuleForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const hosts = useQuery(trpc.hosts.list.queryOptions());
  const [hostId, setHostId] = useState("");
  const [label, setLabel] = useState("");
  const [maxMb, setMaxMb] = useState(100);
  const [maxDays, setMaxDays] = useState(7);
  const set = useMutation(
    trpc.logs.retention.set.mutationOptions({
      onSuccess: () => {
        setLabel("");
        void queryClient.invalidateQueries({ queryKey: trpc.logs.pathKey() });
      },
    }),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    set.mutate({ hostId: hostId || undefined, label: label.trim() || undefined, maxMb, maxDays });
  };
  return (
    <form onSubmit={submit} aria-label="Add a retention rule" className="flex flex-wrap items-end gap-3 rounded-md border border-zinc-200 p-3 dark:border-zinc-800">
      <div>
        <label htmlFor="retention-host" className={labelClass}>Host</label>
        <select id="retention-host" className={inputClass} value={hostId} onChange={(e) => setHostId(e.target.value)}>
          <option value="">Any host (needs a label)</option>
          {hosts.data?.map((h) => (
            <option key={h.id} value={h.id}>{h.name}</option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="retention-label" className={labelClass}>Label</label>
        <input id="retention-label" className={cx(inputClass, "font-mono")} placeholder="key or key=value" value={label} onChange={(e) => setLabel(e.target.value)} />
      </div>
      <div>
        <label htmlFor="retention-mb" className={labelClass}>MB per container</label>
        <input id="retention-mb" type="number" min={1} max={100000} className={cx(inputClass, "w-28")} value={maxMb} onChange={(e) => setMaxMb(Number(e.target.value))} />
      </div>
      <div>
        <label htmlFor="retention-days" className={labelClass}>Days</label>
        <input id="retention-days" type="number" min={1} max={3650} className={cx(inputClass, "w-20")} value={maxDays} onChange={(e) => setMaxDays(Number(e.target.value))} />
      </div>
      <button type="submit" className={buttonClass.primary} disabled={set.isPending || (!hostId && !label.trim())}>
        {set.isPending ? "Saving…" : "Keep logs"}
      </button>
      <p className={cx(hintClass, "basis-full")}>A host alone keeps all its containers; a label alone keeps matching containers on every host. The same host and label again changes the limits.</p>
      <div className="basis-full"><FormError message={set.error ? trpcMessage(set.error) : null} /></div>
    </form>
  );
}
