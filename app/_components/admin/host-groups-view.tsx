"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { trpcMessage, useTRPC, useTRPCClient } from "../trpc";
import {
  buttonClass,
  cx,
  DataTable,
  Dot,
  FormError,
  LoadError,
  PageHeader,
  Skeleton,
  tdClass,
  trClass,
} from "../ui";
import { useRefetchAll } from "./access";
import { NameDialog, type NameValues } from "./name-dialog";
import { EditDeleteCell, grantsGoToo, NameCell } from "./row-parts";
import type { HostGroupView } from "./types";

const COLUMNS = ["Group", "Hosts", "Grants", ""] as const;

export function HostGroupsView() {
  const trpc = useTRPC();
  const groups = useQuery(trpc.hostGroups.list.queryOptions());
  const hosts = useQuery(trpc.hosts.list.queryOptions());
  const [editing, setEditing] = useState<HostGroupView | "new" | null>(null);
  const hostName = (id: string) => hosts.data?.find((h) => h.id === id)?.name ?? id;

  return (
    <div className="space-y-4">
      <PageHeader
        title="Host groups"
        description="Grants name a host group; their host permissions hold on its hosts. Changes apply at once."
        actions={
          <button type="button" className={buttonClass.primary} onClick={() => setEditing("new")}>
            Create host group
          </button>
        }
      />
      {groups.isError && !groups.data ? (
        <LoadError title="Could not load host groups" error={groups.error} onRetry={() => groups.refetch()} />
      ) : (
        <DataTable label="Host groups" columns={COLUMNS} rightAligned={["Grants"]} busy={groups.isPending} skeletonRows={2}>
          {groups.data?.map((g) => (
            <GroupRow key={g.id} group={g} hostName={hostName} onEdit={() => setEditing(g)} />
          ))}
        </DataTable>
      )}
      {editing && <GroupDialog group={editing === "new" ? null : editing} onClose={() => setEditing(null)} />}
    </div>
  );
}

function GroupRow({ group, hostName, onEdit }: { group: HostGroupView; hostName: (id: string) => string; onEdit: () => void }) {
  const trpc = useTRPC();
  const refetch = useRefetchAll();
  const del = useMutation(trpc.hostGroups.delete.mutationOptions({ onSuccess: refetch }));
  return (
    <tr className={cx(trClass, "align-top")}>
      <NameCell name={group.name} builtin={group.allHosts} description={group.description} widthClass="w-64" />
      <td className={cx(tdClass, "align-top")}>
        {group.allHosts ? (
          <span className="text-xs">Every host, including hosts enrolled later</span>
        ) : group.hostIds.length === 0 ? (
          <span className="text-xs text-zinc-500 dark:text-zinc-400">no hosts</span>
        ) : (
          <ul aria-label={`Hosts in ${group.name}`} className="flex flex-wrap gap-x-3 gap-y-0.5 text-xs">
            {group.hostIds.map((id) => (
              <li key={id}>{hostName(id)}</li>
            ))}
          </ul>
        )}
      </td>
      <td className={cx(tdClass, "text-right tabular-nums align-top")}>{group.grants}</td>
      <EditDeleteCell
        name={group.name}
        builtin={group.allHosts}
        deletePrompt={grantsGoToo(group.grants, "Delete this group?")}
        onEdit={onEdit}
        onDelete={() => del.mutate({ groupId: group.id })}
        deleting={del.isPending}
        error={del.error}
      />
    </tr>
  );
}

function GroupDialog({ group, onClose }: { group: HostGroupView | null; onClose: () => void }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const refetch = useRefetchAll();
  const hosts = useQuery(trpc.hosts.list.queryOptions());
  const [selected, setSelected] = useState<Set<string>>(() => new Set(group?.hostIds ?? []));
  const save = useMutation({
    mutationFn: async (v: NameValues) => {
      const hostIds = [...selected];
      if (!group) return void (await client.hostGroups.create.mutate({ ...v, hostIds }));
      await client.hostGroups.update.mutate({ groupId: group.id, ...v });
      await client.hostGroups.setHosts.mutate({ groupId: group.id, hostIds });
    },
    onSuccess: refetch,
  });
  const toggle = (id: string, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(id);
    else next.delete(id);
    setSelected(next);
  };
  return (
    <NameDialog
      title={group ? `Edit ${group.name}` : "Create host group"}
      submitLabel={group ? "Save group" : "Create group"}
      initial={group ? { name: group.name, description: group.description } : undefined}
      mutation={save}
      onSubmit={(v, done) => save.mutate(v, { onSuccess: done })}
      onClose={onClose}
    >
      <fieldset className="rounded-md border border-zinc-200 dark:border-zinc-700">
        <legend className="ml-2 px-1 text-xs font-medium text-zinc-700 dark:text-zinc-300">
          Hosts <span className="font-normal text-zinc-500 dark:text-zinc-400">({selected.size} selected)</span>
        </legend>
        {hosts.isError ? (
          <div className="p-2">
            <FormError message={trpcMessage(hosts.error)} />
          </div>
        ) : !hosts.data ? (
          <div className="p-3">
            <Skeleton className="w-40" />
          </div>
        ) : hosts.data.length === 0 ? (
          <p className="p-3 text-xs text-zinc-500 dark:text-zinc-400">No hosts enrolled yet.</p>
        ) : (
          <ul className="max-h-64 overflow-auto p-1.5">
            {hosts.data.map((h) => (
              <li key={h.id}>
                <label className="flex cursor-pointer items-center gap-2 rounded px-1.5 py-1 hover:bg-zinc-50 dark:hover:bg-zinc-800/40">
                  <input type="checkbox" checked={selected.has(h.id)} onChange={(e) => toggle(h.id, e.target.checked)} className="size-3.5 accent-sky-600" />
                  <Dot tone={h.online ? "green" : "gray"} />
                  <span className="font-medium">{h.name}</span>
                  {h.hostname && h.hostname !== h.name && <span className="font-mono text-xs text-zinc-500 dark:text-zinc-400">{h.hostname}</span>}
                </label>
              </li>
            ))}
          </ul>
        )}
      </fieldset>
    </NameDialog>
  );
}
