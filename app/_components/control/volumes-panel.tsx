"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { bytes } from "../format";
import { trpcMessage, useTRPC } from "../trpc";
import { buttonClass, ConfirmButton, cx, DialogButtons, FormError, hintClass, inputClass, labelClass, Modal, RelativeTime, tdClass, trClass } from "../ui";
import { useCan } from "../user";
import { KeyValueRows } from "./key-value-rows";
import { ResourcePanel, usePanelNote } from "./panel-note";
import { ContainerLinks } from "./container-links";
import type { KeyValue } from "./spec-model";

const COLUMNS = ["Name", "Driver", "Mountpoint", "Created", "Used by", ""] as const;

export function VolumesPanel({ hostId }: { hostId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const can = useCan();
  const volumes = useQuery(trpc.volumes.list.queryOptions({ hostId }, { refetchOnMount: "always" }));
  const [creating, setCreating] = useState(false);
  const writable = can("volume:write", hostId);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.volumes.list.queryKey({ hostId }) });
  const panel = usePanelNote(refresh);
  const prune = useMutation(
    trpc.volumes.prune.mutationOptions(panel.reporting((r) => `Pruned ${r.deleted.length} ${r.deleted.length === 1 ? "volume" : "volumes"}, reclaimed ${bytes(r.spaceReclaimedBytes)}.`)),
  );
  const remove = useMutation(trpc.volumes.remove.mutationOptions(panel.reporting((_r, v: { name: string }) => `Removed volume ${v.name}.`)));
  return (
    <>
      <ResourcePanel
        noun={{ one: "volume", many: "volumes" }}
        query={volumes}
        columns={COLUMNS}
        writable={writable}
        panel={panel}
        create={
          <button type="button" className={buttonClass.secondary} onClick={() => setCreating(true)}>
            Create volume
          </button>
        }
        prune={{ prompt: "Remove every local volume no container uses?", pending: prune.isPending, onConfirm: () => prune.mutate({ hostId }) }}
      >
        {(v) => (
            <tr key={v.name} className={trClass}>
              <td className={cx(tdClass, "max-w-72 truncate font-mono text-xs")} title={v.name}>
                {v.name}
              </td>
              <td className={tdClass}>{v.driver}</td>
              <td className={cx(tdClass, "max-w-80 truncate font-mono text-[11px] text-zinc-600 dark:text-zinc-400")} title={v.mountpoint}>
                {v.mountpoint}
              </td>
              <td className={tdClass}>
                <RelativeTime value={v.createdAt} fallback="—" />
              </td>
              <td className={tdClass}>
                <ContainerLinks hostId={hostId} containers={v.containers} />
              </td>
              <td className={cx(tdClass, "text-right")}>
                {writable && (
                  <ConfirmButton
                    label="Remove"
                    accessibleName={`Remove volume ${v.name}`}
                    variant="danger"
                    prompt={v.containers.length ? "In use: Docker will refuse." : "Delete its data?"}
                    pending={remove.isPending && remove.variables?.name === v.name}
                    onConfirm={() => remove.mutate({ hostId, name: v.name })}
                  />
                )}
              </td>
            </tr>
        )}
      </ResourcePanel>
      {creating && <CreateVolumeDialog hostId={hostId} onClose={() => setCreating(false)} onDone={refresh} />}
    </>
  );
}

function CreateVolumeDialog({ hostId, onClose, onDone }: { hostId: string; onClose: () => void; onDone: () => void }) {
  const id = useId();
  const trpc = useTRPC();
  const [labels, setLabels] = useState<KeyValue[]>([]);
  const create = useMutation(trpc.volumes.create.mutationOptions({ onSuccess: onDone }));
  return (
    <Modal title="Create volume" description="A local volume on this host." onClose={onClose}>
      {(close) => {
        const submit = (e: FormEvent<HTMLFormElement>) => {
          e.preventDefault();
          const name = String(new FormData(e.currentTarget).get("name") ?? "").trim();
          const l = Object.fromEntries(labels.filter((x) => x.key.trim()).map((x) => [x.key.trim(), x.value]));
          create.mutate({ hostId, name, labels: Object.keys(l).length ? l : undefined }, { onSuccess: close });
        };
        return (
          <form onSubmit={submit} className="space-y-3">
            <div>
              <label htmlFor={`${id}-name`} className={labelClass}>
                Name
              </label>
              <input id={`${id}-name`} name="name" required autoFocus pattern="[a-zA-Z0-9][a-zA-Z0-9_.\-]{0,127}" autoComplete="off" spellCheck={false} className={inputClass} />
              <p className={hintClass}>Letters, digits, _ . - (not first).</p>
            </div>
            <fieldset>
              <legend className={labelClass}>Labels</legend>
              <KeyValueRows noun="Label" keyPlaceholder="com.example.key" rows={labels} onChange={setLabels} errors={() => undefined} />
            </fieldset>
            <FormError message={create.error ? trpcMessage(create.error) : null} />
            <DialogButtons onCancel={close} pending={create.isPending} submitLabel="Create volume" pendingLabel="Creating…" />
          </form>
        );
      }}
    </Modal>
  );
}
