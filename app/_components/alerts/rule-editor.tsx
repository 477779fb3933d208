"use client";

import { useQuery } from "@tanstack/react-query";
import { useId, useState, type FormEvent, type ReactNode } from "react";
import { trpcMessage, useTRPC } from "../trpc";
import { DialogButtons, FormError, hintClass, inputClass, labelClass, Modal } from "../ui";
import { KIND_LABELS, KINDS, type RuleItem, type RuleKind } from "./alert-text";

export type RuleForm = {
  name: string;
  kind: RuleKind;
  params: Record<string, number | boolean>;
  target: "host" | "container";
  hostGroupId: string | null;
  labelSelector: string;
  enabled: boolean;
  webhookIds: string[];
};

/** Each kind's fields: name, label, bounds and default (mirrors the server's schemas; the server checks again). */
const FIELDS: Record<RuleKind, { key: string; label: string; min: number; max: number; step?: number; initial: number; hint?: string }[]> = {
  host_offline: [{ key: "seconds", label: "Offline for (seconds)", min: 1, max: 86_400, initial: 60 }],
  container_died: [],
  container_unhealthy: [{ key: "seconds", label: "Unhealthy for (seconds)", min: 0, max: 86_400, initial: 0, hint: "0 fires as soon as Docker reports it unhealthy." }],
  container_restarting: [
    { key: "count", label: "More than (restarts)", min: 1, max: 1000, initial: 3 },
    { key: "minutes", label: "Within (minutes)", min: 1, max: 1440, initial: 10 },
  ],
  cpu_above: [
    { key: "threshold", label: "Threshold (% of the host's CPU)", min: 0.1, max: 100, step: 0.1, initial: 90 },
    { key: "seconds", label: "For (seconds)", min: 0, max: 86_400, initial: 60 },
  ],
  memory_above: [
    { key: "threshold", label: "Threshold (% of the limit or of RAM)", min: 0.1, max: 100, step: 0.1, initial: 90 },
    { key: "seconds", label: "For (seconds)", min: 0, max: 86_400, initial: 60 },
  ],
};

const HOST_ONLY: RuleKind[] = ["host_offline"];
const EITHER: RuleKind[] = ["cpu_above", "memory_above"];

export function fromRule(rule: RuleItem | null): RuleForm {
  if (!rule) return { name: "", kind: "container_died", params: { ignoreCleanExit: true }, target: "container", hostGroupId: null, labelSelector: "", enabled: true, webhookIds: [] };
  return {
    name: rule.name, kind: rule.kind, params: rule.params as Record<string, number | boolean>, target: rule.target, hostGroupId: rule.hostGroupId,
    labelSelector: rule.labelSelector ?? "", enabled: rule.enabled, webhookIds: rule.webhooks.map((w) => w.id),
  };
}

function defaultsFor(kind: RuleKind): Pick<RuleForm, "params" | "target"> {
  const params: Record<string, number | boolean> = Object.fromEntries(FIELDS[kind].map((f) => [f.key, f.initial]));
  if (kind === "container_died") params.ignoreCleanExit = true;
  return { params, target: HOST_ONLY.includes(kind) ? "host" : EITHER.includes(kind) ? "host" : "container" };
}

/** Create or edit a rule: the fields change with the kind; what the server refuses is shown in the form. */
export function RuleEditor({ rule, mutation, onSubmit, onClose }: {
  rule: RuleItem | null;
  mutation: { isPending: boolean; error: unknown };
  onSubmit: (form: RuleForm, done: () => void) => void;
  onClose: () => void;
}) {
  const id = useId();
  const trpc = useTRPC();
  const groups = useQuery(trpc.hostGroups.list.queryOptions());
  const webhooks = useQuery(trpc.alerts.webhooks.list.queryOptions());
  const [form, setForm] = useState<RuleForm>(() => fromRule(rule));
  const set = (patch: Partial<RuleForm>) => setForm((f) => ({ ...f, ...patch }));
  const watchesContainers = form.target === "container";

  return (
    <Modal title={rule ? `Edit rule ${rule.name}` : "New alert rule"} onClose={onClose} widthClass="w-[min(40rem,calc(100vw-2rem))]">
      {(close) => {
        const submit = (e: FormEvent) => {
          e.preventDefault();
          onSubmit({ ...form, name: form.name.trim(), labelSelector: watchesContainers ? form.labelSelector.trim() : "" }, close);
        };
        return (
          <form onSubmit={submit} className="space-y-3" aria-label={rule ? "Edit alert rule" : "New alert rule"}>
            <div className="grid gap-3 sm:grid-cols-2">
              <Field id={`${id}-name`} label="Name">
                <input id={`${id}-name`} required maxLength={64} autoFocus autoComplete="off" value={form.name} onChange={(e) => set({ name: e.target.value })} className={inputClass} />
              </Field>
              <Field id={`${id}-kind`} label="When">
                <select id={`${id}-kind`} value={form.kind} onChange={(e) => set({ kind: e.target.value as RuleKind, ...defaultsFor(e.target.value as RuleKind) })} className={inputClass}>
                  {KINDS.map((k) => (
                    <option key={k} value={k}>
                      {KIND_LABELS[k]}
                    </option>
                  ))}
                </select>
              </Field>
              {FIELDS[form.kind].map((f) => (
                <Field key={`${form.kind}-${f.key}`} id={`${id}-${f.key}`} label={f.label} hint={f.hint}>
                  <input
                    id={`${id}-${f.key}`}
                    type="number"
                    required
                    min={f.min}
                    max={f.max}
                    step={f.step ?? 1}
                    value={String(form.params[f.key] ?? f.initial)}
                    onChange={(e) => set({ params: { ...form.params, [f.key]: e.target.value === "" ? Number.NaN : Number(e.target.value) } })}
                    className={inputClass}
                  />
                </Field>
              ))}
              {form.kind === "container_died" && (
                <label className="flex items-center gap-2 self-end text-sm sm:col-span-2">
                  <input type="checkbox" checked={form.params.ignoreCleanExit !== false} onChange={(e) => set({ params: { ignoreCleanExit: e.target.checked } })} />
                  Ignore clean exits (exit code 0)
                </label>
              )}
              {EITHER.includes(form.kind) && (
                <Field id={`${id}-target`} label="Measure">
                  <select id={`${id}-target`} value={form.target} onChange={(e) => set({ target: e.target.value as "host" | "container", labelSelector: "" })} className={inputClass}>
                    <option value="host">each host</option>
                    <option value="container">each container</option>
                  </select>
                </Field>
              )}
            </div>
            <fieldset className="grid gap-3 rounded-md border border-zinc-200 p-3 sm:grid-cols-2 dark:border-zinc-700">
              <legend className="px-1 text-xs font-medium text-zinc-600 dark:text-zinc-400">Scope</legend>
              <Field id={`${id}-group`} label="Hosts">
                <select id={`${id}-group`} value={form.hostGroupId ?? ""} onChange={(e) => set({ hostGroupId: e.target.value || null })} className={inputClass}>
                  <option value="">Every host</option>
                  {(groups.data ?? []).filter((g) => !g.allHosts).map((g) => (
                    <option key={g.id} value={g.id}>
                      Group: {g.name}
                    </option>
                  ))}
                </select>
              </Field>
              <Field id={`${id}-labels`} label="Container label" hint={watchesContainers ? "key=value, or key for any value; empty: every container." : "Only for rules that watch containers."}>
                <input
                  id={`${id}-labels`}
                  disabled={!watchesContainers}
                  maxLength={300}
                  pattern="[A-Za-z0-9][A-Za-z0-9._/\-]{0,199}(=[^\s=][^=]{0,98})?"
                  placeholder="com.example.tier=web"
                  autoComplete="off"
                  value={form.labelSelector}
                  onChange={(e) => set({ labelSelector: e.target.value })}
                  className={inputClass}
                />
              </Field>
            </fieldset>
            <fieldset className="space-y-1">
              <legend className={labelClass}>Notify webhooks</legend>
              {webhooks.isError ? (
                <p className={hintClass}>Webhooks are managed by those who hold alert:manage.</p>
              ) : (webhooks.data ?? []).length === 0 ? (
                <p className={hintClass}>No webhooks yet: alerts show here in the app. Add one under Webhooks.</p>
              ) : (
                <div className="flex flex-wrap gap-x-4 gap-y-1">
                  {webhooks.data!.map((w) => (
                    <label key={w.id} className="flex items-center gap-1.5 text-sm">
                      <input
                        type="checkbox"
                        checked={form.webhookIds.includes(w.id)}
                        onChange={(e) => set({ webhookIds: e.target.checked ? [...form.webhookIds, w.id] : form.webhookIds.filter((x) => x !== w.id) })}
                      />
                      {w.name}
                    </label>
                  ))}
                </div>
              )}
            </fieldset>
            <label className="flex items-center gap-2 text-sm">
              <input type="checkbox" checked={form.enabled} onChange={(e) => set({ enabled: e.target.checked })} />
              Enabled
            </label>
            <FormError message={mutation.error ? trpcMessage(mutation.error) : null} />
            <DialogButtons onCancel={close} pending={mutation.isPending} submitLabel={rule ? "Save rule" : "Create rule"} pendingLabel="Saving…" />
          </form>
        );
      }}
    </Modal>
  );
}

function Field({ id, label, hint, children }: { id: string; label: string; hint?: string; children: ReactNode }) {
  return (
    <div>
      <label htmlFor={id} className={labelClass}>
        {label}
      </label>
      {children}
      {hint && <p className={hintClass}>{hint}</p>}
    </div>
  );
}
