"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { trpcMessage, useTRPC } from "../trpc";
import { Badge, buttonClass, ConfirmButton, cx, DataTable, DialogButtons, FormError, hintClass, inputClass, labelClass, LoadError, Modal, RelativeTime, Section, smallButtonClass, tdClass, trClass } from "../ui";
import type { WebhookItem } from "./alert-text";

const COLUMNS = ["Webhook", "URL", "Signed", "Last delivery", "Test result", ""] as const;

type TestResult = { ok: boolean; status: number | null; error: string | null; ms: number };

/** Where alerts are POSTed as JSON. Only holders of alert:manage see this section. */
export function WebhooksSection() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const hooks = useQuery(trpc.alerts.webhooks.list.queryOptions(undefined, { refetchInterval: 15_000 }));
  const [creating, setCreating] = useState(false);
  const [results, setResults] = useState<Record<string, TestResult | { failed: string }>>({});
  const refetch = () => void queryClient.invalidateQueries({ queryKey: trpc.alerts.pathKey() });
  const create = useMutation(trpc.alerts.webhooks.create.mutationOptions({ onSuccess: refetch }));
  const del = useMutation(trpc.alerts.webhooks.delete.mutationOptions({ onSuccess: refetch }));
  const test = useMutation(
    trpc.alerts.webhooks.test.mutationOptions({
      onSuccess: (r, v) => (setResults((m) => ({ ...m, [v.webhookId]: r })), refetch()),
      onError: (e, v) => setResults((m) => ({ ...m, [v.webhookId]: { failed: trpcMessage(e) } })),
    }),
  );
  const items = hooks.data ?? [];

  return (
    <Section
      title="Webhooks"
      description="Alerts are POSTed as JSON when they fire and resolve, retried with backoff. A secret signs each body (X-Portolan-Signature: HMAC-SHA256 of “timestamp.body”)."
      actions={
        <button type="button" className={buttonClass.secondary} onClick={() => (create.reset(), setCreating(true))}>
          Add webhook
        </button>
      }
    >
      {hooks.isError && !hooks.data ? (
        <LoadError title="Could not load webhooks" error={hooks.error} onRetry={() => hooks.refetch()} />
      ) : (
        <DataTable label="Webhooks" columns={COLUMNS} busy={hooks.isPending} skeletonRows={1} empty={items.length === 0 && "No webhooks. Alerts still show here and in the nav."}>
          {items.map((w) => (
            <tr key={w.id} className={trClass}>
              <td className={cx(tdClass, "font-medium")}>{w.name}</td>
              <td className={cx(tdClass, "max-w-xs truncate font-mono text-xs")} title={w.url}>
                {w.url}
              </td>
              <td className={tdClass}>{w.signed ? "yes" : "no"}</td>
              <td className={cx(tdClass, "text-xs")}>
                <LastDelivery w={w} />
              </td>
              <td className={cx(tdClass, "text-xs")} aria-live="polite">
                <TestOutcome result={results[w.id]} pending={test.isPending && test.variables?.webhookId === w.id} />
              </td>
              <td className={cx(tdClass, "text-right whitespace-nowrap")}>
                <span className="inline-flex items-center gap-1.5">
                  <button
                    type="button"
                    className={smallButtonClass.secondary}
                    aria-label={`Send test to ${w.name}`}
                    disabled={test.isPending && test.variables?.webhookId === w.id}
                    onClick={() => test.mutate({ webhookId: w.id })}
                  >
                    Send test
                  </button>
                  <ConfirmButton label="Delete" accessibleName={`Delete webhook ${w.name}`} prompt="Delete this webhook?" pending={del.isPending} onConfirm={() => del.mutate({ webhookId: w.id })} />
                </span>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      {creating && <WebhookDialog mutation={create} onClose={() => setCreating(false)} onSubmit={(v, done) => create.mutate(v, { onSuccess: done })} />}
    </Section>
  );
}

function LastDelivery({ w }: { w: WebhookItem }) {
  const last = w.lastDelivery;
  if (!last) return <span className="text-zinc-400 dark:text-zinc-500">none yet</span>;
  const tone = last.status === "delivered" ? "green" : last.status === "failed" ? "red" : "amber";
  return (
    <span className="inline-flex flex-wrap items-center gap-1.5">
      <Badge tone={tone}>{last.status}</Badge>
      <RelativeTime value={last.at} />
      {last.error && <span className="text-zinc-500">({last.error}, attempt {last.attempt})</span>}
      {w.pending > 0 && <span className="text-amber-700 dark:text-amber-300">{w.pending} retrying</span>}
      {w.failed > 0 && <span className="text-red-700 dark:text-red-300">{w.failed} given up</span>}
    </span>
  );
}

function TestOutcome({ result, pending }: { result: TestResult | { failed: string } | undefined; pending: boolean }) {
  if (pending) return <span className="text-zinc-500">Sending…</span>;
  if (!result) return null;
  if ("failed" in result) return <span className="text-red-700 dark:text-red-300">Error: {result.failed}</span>;
  return result.ok ? (
    <span className="text-emerald-700 dark:text-emerald-300">
      Delivered: HTTP {result.status} in {result.ms} ms
    </span>
  ) : (
    <span className="text-red-700 dark:text-red-300">Failed: {result.error}</span>
  );
}

function WebhookDialog({ mutation, onClose, onSubmit }: {
  mutation: { isPending: boolean; error: unknown };
  onClose: () => void;
  onSubmit: (v: { name: string; url: string; secret: string | null }, done: () => void) => void;
}) {
  const id = useId();
  return (
    <Modal title="Add webhook" description="Portolan POSTs JSON to this URL (http or https)." onClose={onClose}>
      {(close) => {
        const submit = (e: FormEvent<HTMLFormElement>) => {
          e.preventDefault();
          const f = new FormData(e.currentTarget);
          const secret = String(f.get("secret") ?? "");
          onSubmit({ name: String(f.get("name") ?? "").trim(), url: String(f.get("url") ?? "").trim(), secret: secret || null }, close);
        };
        return (
          <form onSubmit={submit} className="space-y-3" aria-label="Add webhook">
            <div>
              <label htmlFor={`${id}-name`} className={labelClass}>
                Name
              </label>
              <input id={`${id}-name`} name="name" required maxLength={64} autoFocus autoComplete="off" className={inputClass} />
            </div>
            <div>
              <label htmlFor={`${id}-url`} className={labelClass}>
                URL
              </label>
              <input id={`${id}-url`} name="url" type="url" required maxLength={2000} placeholder="https://hooks.example.com/portolan" autoComplete="off" className={inputClass} />
            </div>
            <div>
              <label htmlFor={`${id}-secret`} className={labelClass}>
                Signing secret (optional)
              </label>
              <input id={`${id}-secret`} name="secret" type="password" minLength={16} maxLength={256} autoComplete="new-password" className={inputClass} />
              <p className={hintClass}>16 characters or more. Stored to sign deliveries; never shown again.</p>
            </div>
            <FormError message={mutation.error ? trpcMessage(mutation.error) : null} />
            <DialogButtons onCancel={close} pending={mutation.isPending} submitLabel="Add webhook" pendingLabel="Adding…" />
          </form>
        );
      }}
    </Modal>
  );
}
