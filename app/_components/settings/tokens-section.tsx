"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { heldPermissions } from "../admin/access";
import { PermissionChecklist } from "../admin/permission-checklist";
import { fullTimestamp } from "../format";
import { trpcMessage, useTRPC } from "../trpc";
import { buttonClass, CopyBlock, DialogButtons, FormError, hintClass, inputClass, labelClass, LoadError, Modal, Section } from "../ui";
import { useUser } from "../user";
import { TokensTable } from "./tokens-table";

export function TokensSection() {
  const trpc = useTRPC();
  const tokens = useQuery(trpc.tokens.list.queryOptions());
  const revoke = useMutation(trpc.tokens.revoke.mutationOptions({ onSuccess: () => void tokens.refetch() }));
  const [creating, setCreating] = useState(false);
  return (
    <Section
      title="API tokens"
      description="For scripts and CI: send as Authorization: Bearer …. A token never holds more than you do, and can be narrowed further."
      actions={
        <button type="button" className={buttonClass.primary} onClick={() => setCreating(true)}>
          Create token
        </button>
      }
    >
      {tokens.isError ? (
        <LoadError title="Could not load your API tokens" error={tokens.error} onRetry={() => tokens.refetch()} />
      ) : (
        <TokensTable
          label="My API tokens"
          tokens={tokens.data ?? []}
          loading={tokens.isPending}
          onRevoke={(tokenId) => revoke.mutate({ tokenId })}
          revokingId={revoke.isPending ? (revoke.variables?.tokenId ?? null) : null}
        />
      )}
      {revoke.error && <FormError message={trpcMessage(revoke.error)} />}
      {creating && <CreateTokenDialog onClose={() => setCreating(false)} onCreated={() => void tokens.refetch()} />}
    </Section>
  );
}

function CreateTokenDialog({ onClose, onCreated }: { onClose: () => void; onCreated: () => void }) {
  const id = useId();
  const trpc = useTRPC();
  const { access } = useUser();
  const groups = useQuery(trpc.hostGroups.list.queryOptions());
  const create = useMutation(trpc.tokens.create.mutationOptions({ onSuccess: onCreated }));
  const [never, setNever] = useState(false);
  const [narrowPerms, setNarrowPerms] = useState(false);
  const [perms, setPerms] = useState<Set<string>>(new Set());
  const [narrowGroups, setNarrowGroups] = useState(false);
  const [groupIds, setGroupIds] = useState<Set<string>>(new Set());
  const [problem, setProblem] = useState<string | null>(null);
  const held = heldPermissions(access);
  type Perm = NonNullable<Parameters<typeof create.mutate>[0]["permissions"]>[number];

  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    if (narrowPerms && perms.size === 0) return setProblem("Pick at least one permission, or untick “Limit permissions”.");
    if (narrowGroups && groupIds.size === 0) return setProblem("Pick at least one host group, or untick “Limit to host groups”.");
    setProblem(null);
    create.mutate({
      name: String(f.get("name") ?? "").trim(),
      expiresInDays: never ? null : Number(f.get("days")),
      permissions: narrowPerms ? ([...perms] as Perm[]) : null,
      hostGroupIds: narrowGroups ? [...groupIds] : null,
    });
  };
  const toggleGroup = (gid: string, on: boolean) => {
    const next = new Set(groupIds);
    if (on) next.add(gid);
    else next.delete(gid);
    setGroupIds(next);
  };
  const checkbox = "size-3.5 accent-sky-600";

  return (
    <Modal title={create.data ? "Token created" : "Create API token"} onClose={onClose} widthClass="w-[min(60rem,calc(100vw-2rem))]">
      {(close) =>
        create.data ? (
          <NewToken token={create.data.token} expiresAt={create.data.expiresAt} onDone={close} />
        ) : (
          <form onSubmit={onSubmit} className="space-y-4">
            <div className="grid gap-3 sm:grid-cols-[2fr_1fr]">
              <div>
                <label htmlFor={`${id}-name`} className={labelClass}>
                  Name
                </label>
                <input id={`${id}-name`} name="name" required maxLength={64} autoFocus autoComplete="off" placeholder="e.g. ci-deploy" className={inputClass} />
              </div>
              <div>
                <label htmlFor={`${id}-days`} className={labelClass}>
                  Expires after (days)
                </label>
                <input id={`${id}-days`} name="days" type="number" min={1} max={3650} defaultValue={90} required={!never} disabled={never} className={inputClass} />
                <label className="mt-1.5 flex items-center gap-2 text-xs">
                  <input type="checkbox" checked={never} onChange={(e) => setNever(e.target.checked)} className={checkbox} />
                  Never expires
                </label>
              </div>
            </div>
            <div className="space-y-2">
              <label className="flex items-center gap-2 font-medium">
                <input type="checkbox" checked={narrowPerms} onChange={(e) => setNarrowPerms(e.target.checked)} className={checkbox} />
                Limit permissions
              </label>
              {narrowPerms && (
                <div className="max-h-72 overflow-auto pr-1">
                  <PermissionChecklist label="Token permissions" selected={perms} onChange={setPerms} only={held} />
                </div>
              )}
            </div>
            <div className="space-y-2">
              <label className="flex items-center gap-2 font-medium">
                <input type="checkbox" checked={narrowGroups} onChange={(e) => setNarrowGroups(e.target.checked)} className={checkbox} />
                Limit to host groups
              </label>
              {narrowGroups && (
                <fieldset aria-label="Token host groups" className="flex flex-wrap gap-x-4 gap-y-1 rounded-md border border-zinc-200 p-2 dark:border-zinc-700">
                  {groups.error && <FormError message={trpcMessage(groups.error)} />}
                  {groups.data?.map((g) => (
                    <label key={g.id} className="flex items-center gap-2">
                      <input type="checkbox" checked={groupIds.has(g.id)} onChange={(e) => toggleGroup(g.id, e.target.checked)} className={checkbox} />
                      {g.name}
                    </label>
                  ))}
                </fieldset>
              )}
              <p className={hintClass}>Without limits the token can do everything you can, on every host you can reach.</p>
            </div>
            <FormError message={problem ?? (create.error ? trpcMessage(create.error) : null)} />
            <DialogButtons onCancel={close} pending={create.isPending} submitLabel="Create token" pendingLabel="Creating…" />
          </form>
        )
      }
    </Modal>
  );
}

/** The secret, once: a copyable code block and a warning. */
function NewToken({ token, expiresAt, onDone }: { token: string; expiresAt: string | null; onDone: () => void }) {
  return (
    <div className="space-y-3">
      <CopyBlock label="New API token" text={token} />
      <div role="note" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-amber-900 dark:border-amber-500/40 dark:bg-amber-500/10 dark:text-amber-200">
        Copy it now: this is the only time the token is shown. Only its hash is stored.{" "}
        {expiresAt ? `It expires ${fullTimestamp(Date.parse(expiresAt))}.` : "It never expires; revoke it when no longer needed."}
      </div>
      <div className="flex justify-end">
        <button type="button" className={buttonClass.secondary} onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}
