"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { trpcMessage, useTRPC } from "../trpc";
import {
  buttonClass,
  cx,
  DataTable,
  LoadError,
  PageHeader,
  tdClass,
  trClass,
} from "../ui";
import { useRefetchAll } from "./access";
import { NameDialog } from "./name-dialog";
import { PermissionChecklist } from "./permission-checklist";
import { EditDeleteCell, grantsGoToo, NameCell } from "./row-parts";
import type { RoleView } from "./types";

const COLUMNS = ["Role", "Permissions", "Grants", ""] as const;

export function RolesView() {
  const trpc = useTRPC();
  const roles = useQuery(trpc.roles.list.queryOptions());
  const catalogue = useQuery(trpc.roles.permissions.queryOptions(undefined, { staleTime: Infinity }));
  const [editing, setEditing] = useState<RoleView | "new" | null>(null);
  const total = catalogue.data?.length ?? 0;

  return (
    <div className="space-y-4">
      <PageHeader
        title="Roles"
        description="A role is a set of permissions; a grant gives it to a user or team on a host group. Built-in roles cannot be changed."
        actions={
          <button type="button" className={buttonClass.primary} onClick={() => setEditing("new")}>
            Create role
          </button>
        }
      />
      {roles.isError && !roles.data ? (
        <LoadError title="Could not load roles" error={roles.error} onRetry={() => roles.refetch()} />
      ) : (
        <DataTable label="Roles" columns={COLUMNS} rightAligned={["Grants"]} busy={roles.isPending}>
          {roles.data?.map((r) => (
            <RoleRow key={r.id} role={r} total={total} onEdit={() => setEditing(r)} />
          ))}
        </DataTable>
      )}
      {editing && <RoleDialog role={editing === "new" ? null : editing} onClose={() => setEditing(null)} />}
    </div>
  );
}

function RoleRow({ role, total, onEdit }: { role: RoleView; total: number; onEdit: () => void }) {
  const trpc = useTRPC();
  const refetch = useRefetchAll();
  const del = useMutation(trpc.roles.delete.mutationOptions({ onSuccess: refetch }));
  const everything = total > 0 && role.permissions.length === total;
  return (
    <tr className={cx(trClass, "align-top")}>
      <NameCell name={role.name} builtin={role.builtin} description={role.description} widthClass="w-56" />
      <td className={cx(tdClass, "align-top")}>
        {everything ? (
          <span className="text-xs font-medium">Every permission ({total})</span>
        ) : role.permissions.length === 0 ? (
          <span className="text-xs text-zinc-500 dark:text-zinc-400">none</span>
        ) : (
          <ul aria-label={`Permissions of ${role.name}`} className="flex flex-wrap gap-1">
            {role.permissions.map((p) => (
              <li key={p} className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-[11px] text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">
                {p}
              </li>
            ))}
          </ul>
        )}
      </td>
      <td className={cx(tdClass, "text-right tabular-nums align-top")}>{role.grants}</td>
      <EditDeleteCell
        name={role.name}
        builtin={role.builtin}
        deletePrompt={grantsGoToo(role.grants, "Delete this role?")}
        onEdit={onEdit}
        onDelete={() => del.mutate({ roleId: role.id })}
        deleting={del.isPending}
        error={del.error}
      />
    </tr>
  );
}

function RoleDialog({ role, onClose }: { role: RoleView | null; onClose: () => void }) {
  const trpc = useTRPC();
  const refetch = useRefetchAll();
  const create = useMutation(trpc.roles.create.mutationOptions({ onSuccess: refetch }));
  const update = useMutation(trpc.roles.update.mutationOptions({ onSuccess: refetch }));
  const [selected, setSelected] = useState<Set<string>>(() => new Set(role?.permissions ?? []));
  const mutation = role ? update : create;
  type Perm = Parameters<typeof create.mutate>[0]["permissions"][number];
  return (
    <NameDialog
      title={role ? `Edit role ${role.name}` : "Create role"}
      submitLabel={role ? "Save role" : "Create role"}
      initial={role ? { name: role.name, description: role.description } : undefined}
      mutation={mutation}
      widthClass="w-[min(60rem,calc(100vw-2rem))]"
      onSubmit={(v, done) => {
        const permissions = [...selected] as Perm[];
        if (role) update.mutate({ roleId: role.id, ...v, permissions }, { onSuccess: done });
        else create.mutate({ ...v, permissions }, { onSuccess: done });
      }}
      onClose={onClose}
    >
      <p className="text-xs text-zinc-600 dark:text-zinc-400">
        {selected.size} selected. You can only confer permissions you hold on all hosts.
      </p>
      <div className="max-h-[50dvh] overflow-auto pr-1">
        <PermissionChecklist selected={selected} onChange={setSelected} />
      </div>
    </NameDialog>
  );
}
