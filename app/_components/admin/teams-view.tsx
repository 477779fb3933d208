"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { trpcMessage, useTRPC } from "../trpc";
import {
  buttonClass,
  Chip,
  cx,
  DataTable,
  EmptyState,
  FormError,
  inputClass,
  LoadError,
  PageHeader,
  smallButtonClass,
  tdClass,
  trClass,
} from "../ui";
import { useRefetchAll } from "./access";
import { AddGrantButton, GrantList } from "./grants";
import { NameDialog } from "./name-dialog";
import { EditDeleteCell, NameCell } from "./row-parts";
import type { AdminTeam } from "./types";

const COLUMNS = ["Team", "Members", "Grants", ""] as const;

export function TeamsView() {
  const trpc = useTRPC();
  const refetch = useRefetchAll();
  const teams = useQuery(trpc.teams.list.queryOptions());
  const [editing, setEditing] = useState<AdminTeam | "new" | null>(null);
  const list = teams.data ?? [];
  const createButton = (variant: "primary" | "secondary") => (
    <button type="button" className={buttonClass[variant]} onClick={() => setEditing("new")}>
      Create team
    </button>
  );

  return (
    <div className="space-y-4">
      <PageHeader title="Teams" description="Grants to a team hold for each of its members." actions={createButton("primary")} />
      {teams.isError && !teams.data ? (
        <LoadError title="Could not load teams" error={teams.error} onRetry={() => teams.refetch()} />
      ) : teams.data && list.length === 0 ? (
        <EmptyState title="No teams yet" action={createButton("secondary")}>
          Put users who need the same access in a team and grant the team a role on a host group.
        </EmptyState>
      ) : (
        <DataTable label="Teams" columns={COLUMNS} busy={teams.isPending} skeletonRows={2}>
          {list.map((t) => (
            <TeamRow key={t.id} team={t} onRename={() => setEditing(t)} />
          ))}
        </DataTable>
      )}
      {editing && <TeamDialog team={editing === "new" ? null : editing} onClose={() => setEditing(null)} />}
    </div>
  );
}

function TeamDialog({ team, onClose }: { team: AdminTeam | null; onClose: () => void }) {
  const trpc = useTRPC();
  const refetch = useRefetchAll();
  const create = useMutation(trpc.teams.create.mutationOptions({ onSuccess: refetch }));
  const rename = useMutation(trpc.teams.update.mutationOptions({ onSuccess: refetch }));
  return (
    <NameDialog
      title={team ? `Rename ${team.name}` : "Create team"}
      submitLabel={team ? "Save" : "Create team"}
      initial={team ? { name: team.name, description: team.description } : undefined}
      mutation={team ? rename : create}
      onSubmit={(v, done) => (team ? rename.mutate({ teamId: team.id, ...v }, { onSuccess: done }) : create.mutate(v, { onSuccess: done }))}
      onClose={onClose}
    />
  );
}

function TeamRow({ team, onRename }: { team: AdminTeam; onRename: () => void }) {
  const trpc = useTRPC();
  const refetch = useRefetchAll();
  const del = useMutation(trpc.teams.delete.mutationOptions({ onSuccess: refetch }));
  const removeMember = useMutation(trpc.teams.removeMember.mutationOptions({ onSuccess: refetch }));

  return (
    <tr className={cx(trClass, "align-top")}>
      <NameCell name={team.name} description={team.description} />
      <td className={cx(tdClass, "align-top")}>
        <div className="space-y-1.5">
          <ul aria-label={`Members of ${team.name}`} className="flex min-h-6 flex-wrap items-center gap-1">
            {team.members.length === 0 && <li className="text-xs text-zinc-500 dark:text-zinc-400">no members</li>}
            {team.members.map((m) => (
              <li key={m.id}>
                <Chip
                  tone={m.disabled ? "gray" : "green"}
                  onRemove={() => removeMember.mutate({ teamId: team.id, userId: m.id })}
                  removeLabel={`Remove ${m.email} from ${team.name}`}
                  pending={removeMember.isPending && removeMember.variables?.userId === m.id}
                >
                  {m.email}
                </Chip>
              </li>
            ))}
          </ul>
          <AddMember team={team} />
        </div>
      </td>
      <td className={cx(tdClass, "align-top")}>
        <div className="flex flex-wrap items-center gap-1.5">
          <GrantList grants={team.grants} subject={team.name} />
          <AddGrantButton target={{ teamId: team.id }} subject={team.name} />
        </div>
      </td>
      <EditDeleteCell
        name={team.name}
        editLabel="Rename"
        deletePrompt="Members lose the team's grants."
        onEdit={onRename}
        onDelete={() => del.mutate({ teamId: team.id })}
        deleting={del.isPending}
        error={del.error ?? removeMember.error}
      />
    </tr>
  );
}

/** A user picker + Add; lists only users who are not members yet. */
function AddMember({ team }: { team: AdminTeam }) {
  const id = useId();
  const trpc = useTRPC();
  const refetch = useRefetchAll();
  const users = useQuery(trpc.teams.candidates.queryOptions());
  const add = useMutation(trpc.teams.addMember.mutationOptions({ onSuccess: refetch }));
  const [userId, setUserId] = useState("");
  const candidates = (users.data ?? []).filter((u) => !team.members.some((m) => m.id === u.id));
  if (users.isError) return <p className="text-xs text-zinc-500 dark:text-zinc-400">Could not load users: {users.error.message}</p>;
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (userId) add.mutate({ teamId: team.id, userId }, { onSuccess: () => setUserId("") });
  };
  return (
    <form onSubmit={onSubmit} className="space-y-1">
      <div className="flex items-center gap-1.5">
        <label htmlFor={`${id}-user`} className="sr-only">
          Add member to {team.name}
        </label>
        <select id={`${id}-user`} value={userId} onChange={(e) => setUserId(e.target.value)} className={`${inputClass} h-7 w-56 py-0.5 text-xs`}>
          <option value="">{candidates.length ? "Add member…" : "Everyone is a member"}</option>
          {candidates.map((u) => (
            <option key={u.id} value={u.id}>
              {u.email}
            </option>
          ))}
        </select>
        <button type="submit" className={smallButtonClass.secondary} disabled={!userId || add.isPending}>
          {add.isPending ? "Adding…" : "Add"}
        </button>
      </div>
      {add.error && <FormError message={trpcMessage(add.error)} />}
    </form>
  );
}
