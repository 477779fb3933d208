"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { trpcMessage, useTRPC } from "../trpc";
import { Chip, DialogButtons, FormError, inputClass, labelClass, Modal, smallButtonClass } from "../ui";
import { useCan } from "../user";
import { useRefetchAll } from "./access";
import type { GrantChip } from "./types";

export const grantLabel = (g: GrantChip) => `${g.role.name} @ ${g.hostGroup.name}`;

/** "role @ group" chips; each removable by holders of grant:manage. Errors (e.g. the last admin) show below. */
export function GrantList({ grants, subject }: { grants: GrantChip[]; subject: string }) {
  const trpc = useTRPC();
  const refetch = useRefetchAll();
  const canManage = useCan()("grant:manage");
  const remove = useMutation(trpc.grants.delete.mutationOptions({ onSuccess: refetch }));
  return (
    <div className="space-y-1">
      <ul aria-label={`Grants of ${subject}`} className="flex min-h-6 flex-wrap items-center gap-1">
        {grants.length === 0 && <li className="text-xs text-zinc-500 dark:text-zinc-400">no grants</li>}
        {grants.map((g) => (
          <li key={g.id}>
            <Chip
              tone={g.role.name === "admin" ? "violet" : "blue"}
              onRemove={canManage ? () => remove.mutate({ grantId: g.id }) : undefined}
              removeLabel={`Remove grant ${grantLabel(g)} from ${subject}`}
              pending={remove.isPending && remove.variables?.grantId === g.id}
            >
              {grantLabel(g)}
            </Chip>
          </li>
        ))}
      </ul>
      {remove.error && <FormError message={trpcMessage(remove.error)} />}
    </div>
  );
}

/** "+ Grant" for a user or a team: pick a role and a host group. */
export function AddGrantButton({ target, subject }: { target: { userId: string } | { teamId: string }; subject: string }) {
  const [open, setOpen] = useState(false);
  if (!useCan()("grant:manage")) return null;
  return (
    <>
      <button type="button" className={smallButtonClass.secondary} aria-label={`Add grant to ${subject}`} onClick={() => setOpen(true)}>
        + Grant
      </button>
      {open && <AddGrantDialog target={target} subject={subject} onClose={() => setOpen(false)} />}
    </>
  );
}

function AddGrantDialog({ target, subject, onClose }: { target: { userId: string } | { teamId: string }; subject: string; onClose: () => void }) {
  const id = useId();
  const trpc = useTRPC();
  const refetch = useRefetchAll();
  const roles = useQuery(trpc.roles.list.queryOptions());
  const groups = useQuery(trpc.hostGroups.list.queryOptions());
  const create = useMutation(trpc.grants.create.mutationOptions({ onSuccess: refetch }));

  return (
    <Modal title={`Add grant to ${subject}`} description="The role's host permissions hold on the group's hosts; global ones only on an all-hosts group." onClose={onClose}>
      {(close) => {
        const onSubmit = (e: FormEvent<HTMLFormElement>) => {
          e.preventDefault();
          const form = new FormData(e.currentTarget);
          create.mutate({ ...target, roleId: String(form.get("roleId")), hostGroupId: String(form.get("hostGroupId")) }, { onSuccess: close });
        };
        return (
          <form onSubmit={onSubmit} className="space-y-3">
            <div className="grid gap-3 sm:grid-cols-2">
              <div>
                <label htmlFor={`${id}-role`} className={labelClass}>
                  Role
                </label>
                <select id={`${id}-role`} name="roleId" required autoFocus className={inputClass} disabled={!roles.data}>
                  {roles.data?.map((r) => (
                    <option key={r.id} value={r.id}>
                      {r.name}
                      {r.builtin ? " (built-in)" : ""}
                    </option>
                  ))}
                </select>
              </div>
              <div>
                <label htmlFor={`${id}-group`} className={labelClass}>
                  Host group
                </label>
                <select id={`${id}-group`} name="hostGroupId" required className={inputClass} disabled={!groups.data}>
                  {groups.data?.map((g) => (
                    <option key={g.id} value={g.id}>
                      {g.name}
                    </option>
                  ))}
                </select>
              </div>
            </div>
            <FormError message={roles.error ? trpcMessage(roles.error) : groups.error ? trpcMessage(groups.error) : create.error ? trpcMessage(create.error) : null} />
            <DialogButtons onCancel={close} pending={create.isPending} submitLabel="Add grant" pendingLabel="Adding…" />
          </form>
        );
      }}
    </Modal>
  );
}
