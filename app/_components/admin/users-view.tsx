"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { trpcMessage, useTRPC } from "../trpc";
import {
  Badge,
  buttonClass,
  cx,
  DataTable,
  DialogButtons,
  FormError,
  hintClass,
  inputClass,
  labelClass,
  LoadError,
  Modal,
  PageHeader,
  RelativeTime,
  smallButtonClass,
  tdClass,
  trClass,
} from "../ui";
import { useUser } from "../user";
import { PASSWORD_HINT, useRefetchAll } from "./access";
import { AddGrantButton, GrantList } from "./grants";
import { ManageUserDialog } from "./manage-user-dialog";
import type { AdminUser } from "./types";

const COLUMNS = ["Email", "Name", "Teams", "Grants", "Status", "Sessions", "Last active", ""] as const;

export function UsersView() {
  const trpc = useTRPC();
  const users = useQuery(trpc.users.list.queryOptions());
  const [creating, setCreating] = useState(false);
  const [managing, setManaging] = useState<string | null>(null);
  const list = users.data ?? [];
  const managed = list.find((u) => u.id === managing);

  return (
    <div className="space-y-4">
      <PageHeader
        title="Users"
        description={users.isPending ? "Loading…" : `${list.length} ${list.length === 1 ? "user" : "users"} · ${list.filter((u) => u.disabled).length} disabled`}
        actions={
          <button type="button" className={buttonClass.primary} onClick={() => setCreating(true)}>
            Create user
          </button>
        }
      />
      {users.isError && !users.data ? (
        <LoadError title="Could not load users" error={users.error} onRetry={() => users.refetch()} />
      ) : (
        <DataTable label="Users" columns={COLUMNS} rightAligned={["Sessions"]} busy={users.isPending}>
          {list.map((u) => (
            <UserRow key={u.id} user={u} onManage={() => setManaging(u.id)} />
          ))}
        </DataTable>
      )}
      {creating && <CreateUserDialog onClose={() => setCreating(false)} />}
      {managed && <ManageUserDialog user={managed} onClose={() => setManaging(null)} />}
    </div>
  );
}

function UserRow({ user, onManage }: { user: AdminUser; onManage: () => void }) {
  const me = useUser();
  return (
    <tr className={cx(trClass, user.disabled && "text-zinc-500 dark:text-zinc-400")}>
      <td className={cx(tdClass, "font-medium whitespace-nowrap")}>
        {user.email}
        {user.id === me.id && <span className="ml-1.5 text-xs font-normal text-zinc-500 dark:text-zinc-400">(you)</span>}
      </td>
      <td className={tdClass}>{user.name || <span className="text-zinc-400">—</span>}</td>
      <td className={cx(tdClass, "text-xs")}>{user.teams.length ? user.teams.map((t) => t.name).join(", ") : <span className="text-zinc-400">—</span>}</td>
      <td className={tdClass}>
        <div className="flex flex-wrap items-center gap-1.5">
          <GrantList grants={user.grants} subject={user.email} />
          <AddGrantButton target={{ userId: user.id }} subject={user.email} />
        </div>
      </td>
      <td className={tdClass}>
        <Badge tone={user.disabled ? "gray" : "green"}>{user.disabled ? "disabled" : "enabled"}</Badge>
      </td>
      <td className={cx(tdClass, "text-right tabular-nums")}>{user.sessions}</td>
      <td className={tdClass}>
        <RelativeTime value={user.lastActiveAt} />
      </td>
      <td className={cx(tdClass, "text-right")}>
        <button type="button" className={smallButtonClass.secondary} aria-label={`Manage ${user.email}`} onClick={onManage}>
          Manage
        </button>
      </td>
    </tr>
  );
}

function CreateUserDialog({ onClose }: { onClose: () => void }) {
  const id = useId();
  const trpc = useTRPC();
  const refetch = useRefetchAll();
  const create = useMutation(trpc.users.create.mutationOptions({ onSuccess: refetch }));
  return (
    <Modal title="Create user" description="The user signs in with this email and password; grant them a role afterwards." onClose={onClose}>
      {(close) => {
        const onSubmit = (e: FormEvent<HTMLFormElement>) => {
          e.preventDefault();
          const f = new FormData(e.currentTarget);
          const name = String(f.get("name") ?? "").trim();
          create.mutate({ email: String(f.get("email") ?? "").trim(), name: name || undefined, password: String(f.get("password") ?? "") }, { onSuccess: close });
        };
        return (
          <form onSubmit={onSubmit} className="space-y-3">
            <div>
              <label htmlFor={`${id}-email`} className={labelClass}>
                Email
              </label>
              <input id={`${id}-email`} name="email" type="email" required maxLength={254} autoFocus autoComplete="off" className={inputClass} />
            </div>
            <div>
              <label htmlFor={`${id}-name`} className={labelClass}>
                Name
              </label>
              <input id={`${id}-name`} name="name" maxLength={64} autoComplete="off" className={inputClass} />
            </div>
            <div>
              <label htmlFor={`${id}-password`} className={labelClass}>
                Initial password
              </label>
              <input id={`${id}-password`} name="password" type="password" required minLength={12} maxLength={128} autoComplete="new-password" aria-describedby={`${id}-pw-hint`} className={inputClass} />
              <p id={`${id}-pw-hint`} className={hintClass}>
                {PASSWORD_HINT} Share it safely; the user can change it in their account settings.
              </p>
            </div>
            <FormError message={create.error ? trpcMessage(create.error) : null} />
            <DialogButtons onCancel={close} pending={create.isPending} submitLabel="Create user" pendingLabel="Creating…" />
          </form>
        );
      }}
    </Modal>
  );
}
