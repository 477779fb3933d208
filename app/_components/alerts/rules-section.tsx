"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { trpcMessage, useTRPC } from "../trpc";
import { Badge, buttonClass, ConfirmButton, cx, DataTable, FormError, LoadError, Section, smallButtonClass, tdClass, trClass } from "../ui";
import { useCan } from "../user";
import { conditionText, KIND_LABELS, type RuleItem } from "./alert-text";
import { RuleEditor, type RuleForm } from "./rule-editor";

const COLUMNS = ["Rule", "Condition", "Scope", "Webhooks", "Firing", "Enabled", ""] as const;

function toInput(f: RuleForm) {
  return {
    name: f.name, kind: f.kind, params: f.params, target: f.target, hostGroupId: f.hostGroupId,
    labelSelector: f.labelSelector || null, enabled: f.enabled, webhookIds: f.webhookIds,
  };
}

/** The rules; only holders of alert:manage see the editing controls (the server checks anyway). */
export function RulesSection() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const manage = useCan()("alert:manage");
  const rules = useQuery(trpc.alerts.rules.list.queryOptions());
  const [editing, setEditing] = useState<RuleItem | "new" | null>(null);
  const [error, setError] = useState<string | null>(null);
  const refetch = () => void queryClient.invalidateQueries({ queryKey: trpc.alerts.pathKey() });
  const create = useMutation(trpc.alerts.rules.create.mutationOptions({ onSuccess: refetch }));
  const update = useMutation(trpc.alerts.rules.update.mutationOptions({ onSuccess: () => (setError(null), refetch()), onError: (e) => setError(trpcMessage(e)) }));
  const del = useMutation(trpc.alerts.rules.delete.mutationOptions({ onSuccess: () => (setError(null), refetch()), onError: (e) => setError(trpcMessage(e)) }));
  const items = rules.data ?? [];

  return (
    <Section
      title="Rules"
      description="What raises an alert. Deleting a rule resolves its firing alerts and keeps their history."
      actions={
        manage && (
          <button type="button" className={buttonClass.primary} onClick={() => (create.reset(), setEditing("new"))}>
            New rule
          </button>
        )
      }
    >
      {rules.isError && !rules.data ? (
        <LoadError title="Could not load alert rules" error={rules.error} onRetry={() => rules.refetch()} />
      ) : (
        <DataTable label="Alert rules" columns={COLUMNS} rightAligned={["Firing"]} busy={rules.isPending} skeletonRows={2} empty={items.length === 0 && (manage ? "No rules yet. Create one to be told when something goes wrong." : "No rules yet.")}>
          {items.map((r) => (
            <tr key={r.id} className={cx(trClass, !r.enabled && "opacity-60")}>
              <td className={tdClass}>
                <div className="font-medium">{r.name}</div>
                <div className="text-xs text-zinc-500 dark:text-zinc-400">{KIND_LABELS[r.kind]}</div>
              </td>
              <td className={tdClass}>{conditionText(r.kind, r.params as Record<string, unknown>, r.target)}</td>
              <td className={cx(tdClass, "text-xs")}>
                <div>{r.hostGroupId ? `Group: ${r.hostGroupName ?? "(deleted: matches nothing)"}` : "Every host"}</div>
                {r.labelSelector && <code className="font-mono text-zinc-600 dark:text-zinc-400">{r.labelSelector}</code>}
              </td>
              <td className={cx(tdClass, "text-xs")}>{r.webhooks.length ? r.webhooks.map((w) => w.name).join(", ") : <span className="text-zinc-400 dark:text-zinc-500">in app only</span>}</td>
              <td className={cx(tdClass, "text-right tabular-nums")}>{r.firing > 0 ? <Badge tone="red">{String(r.firing)}</Badge> : "0"}</td>
              <td className={tdClass}>
                {manage ? (
                  <input
                    type="checkbox"
                    aria-label={`Enable ${r.name}`}
                    checked={r.enabled}
                    disabled={update.isPending}
                    onChange={(e) => update.mutate({ ruleId: r.id, enabled: e.target.checked })}
                  />
                ) : r.enabled ? "yes" : "no"}
              </td>
              <td className={cx(tdClass, "text-right whitespace-nowrap")}>
                {manage && (
                  <span className="inline-flex items-center gap-1.5">
                    <button type="button" className={smallButtonClass.secondary} aria-label={`Edit ${r.name}`} onClick={() => (update.reset(), setEditing(r))}>
                      Edit
                    </button>
                    <ConfirmButton label="Delete" accessibleName={`Delete ${r.name}`} prompt="Delete this rule?" pending={del.isPending} onConfirm={() => del.mutate({ ruleId: r.id })} />
                  </span>
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <FormError message={error} />
      {editing && (
        <RuleEditor
          rule={editing === "new" ? null : editing}
          mutation={editing === "new" ? create : update}
          onClose={() => setEditing(null)}
          onSubmit={(form, done) => {
            if (editing === "new") create.mutate(toInput(form), { onSuccess: done });
            else update.mutate({ ruleId: editing.id, ...toInput(form) }, { onSuccess: done });
          }}
        />
      )}
    </Section>
  );
}
