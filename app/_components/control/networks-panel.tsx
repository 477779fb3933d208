"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { shortId } from "../format";
import { trpcMessage, useTRPC } from "../trpc";
import { Badge, buttonClass, ConfirmButton, cx, DialogButtons, FormError, hintClass, inputClass, labelClass, Modal, tdClass, trClass } from "../ui";
import { useCan } from "../user";
import { ContainerLinks } from "./container-links";
import { Checkbox } from "./form-parts";
import { ResourcePanel, usePanelNote } from "./panel-note";

const COLUMNS = ["Name", "Driver", "Subnet", "Gateway", "Bridge", "Containers", ""] as const;
/** Docker's own networks: cannot be removed. */
const BUILTIN = new Set(["bridge", "host", "none"]);

export function NetworksPanel({ hostId }: { hostId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const can = useCan();
  const networks = useQuery(trpc.networks.list.queryOptions({ hostId }, { refetchOnMount: "always" }));
  const [creating, setCreating] = useState(false);
  const writable = can("network:write", hostId);
  const panel = usePanelNote(() => void queryClient.invalidateQueries({ queryKey: trpc.networks.list.queryKey({ hostId }) }));
  const prune = useMutation(
    trpc.networks.prune.mutationOptions(
      panel.reporting((r) => (r.deleted.length ? `Pruned ${r.deleted.length} ${r.deleted.length === 1 ? "network" : "networks"}: ${r.deleted.join(", ")}.` : "No unused networks to prune.")),
    ),
  );
  const remove = useMutation(trpc.networks.remove.mutationOptions(panel.reporting(() => "Network removed.")));
  return (
    <>
      <ResourcePanel
        noun={{ one: "network", many: "networks" }}
        query={networks}
        columns={COLUMNS}
        writable={writable}
        panel={panel}
        create={
          <button type="button" className={buttonClass.secondary} onClick={() => setCreating(true)}>
            Create network
          </button>
        }
        prune={{ prompt: "Remove every custom network no container uses?", pending: prune.isPending, onConfirm: () => prune.mutate({ hostId }) }}
      >
        {(n) => (
            <tr key={n.id} className={trClass}>
              <td className={tdClass}>
                <div className="flex items-center gap-1.5">
                  <span className="font-medium">{n.name}</span>
                  {n.internal && (
                    <Badge tone="violet" dot={false}>
                      internal
                    </Badge>
                  )}
                </div>
                <div className="font-mono text-[11px] text-zinc-500 dark:text-zinc-400" title={n.id}>
                  {shortId(n.id)}
                </div>
              </td>
              <td className={tdClass}>{n.driver}</td>
              <td className={cx(tdClass, "font-mono text-xs")}>{n.subnets.map((s) => s.subnet).join(", ") || <span className="text-zinc-400 dark:text-zinc-500">—</span>}</td>
              <td className={cx(tdClass, "font-mono text-xs")}>{n.subnets.map((s) => s.gateway).filter(Boolean).join(", ") || <span className="text-zinc-400 dark:text-zinc-500">—</span>}</td>
              <td className={cx(tdClass, "font-mono text-xs")}>{n.bridge ?? <span className="text-zinc-400 dark:text-zinc-500">—</span>}</td>
              <td className={tdClass}>
                <ContainerLinks hostId={hostId} containers={n.containers.map((c) => ({ id: c.id, name: c.name, note: c.ipv4 }))} />
              </td>
              <td className={cx(tdClass, "text-right")}>
                {writable && !BUILTIN.has(n.name) && (
                  <ConfirmButton
                    label="Remove"
                    accessibleName={`Remove network ${n.name}`}
                    variant="danger"
                    prompt={n.containers.length ? "Containers attached: Docker will refuse." : "Remove this network?"}
                    pending={remove.isPending && remove.variables?.networkId === n.id}
                    onConfirm={() => remove.mutate({ hostId, networkId: n.id })}
                  />
                )}
              </td>
            </tr>
        )}
      </ResourcePanel>
      {creating && <CreateNetworkDialog hostId={hostId} onClose={() => setCreating(false)} onDone={() => void queryClient.invalidateQueries({ queryKey: trpc.networks.list.queryKey({ hostId }) })} />}
    </>
  );
}

function CreateNetworkDialog({ hostId, onClose, onDone }: { hostId: string; onClose: () => void; onDone: () => void }) {
  const id = useId();
  const trpc = useTRPC();
  const [internal, setInternal] = useState(false);
  const create = useMutation(trpc.networks.create.mutationOptions({ onSuccess: onDone }));
  return (
    <Modal title="Create network" description="A bridge network on this host." onClose={onClose}>
      {(close) => {
        const submit = (e: FormEvent<HTMLFormElement>) => {
          e.preventDefault();
          const f = new FormData(e.currentTarget);
          const get = (k: string) => String(f.get(k) ?? "").trim() || undefined;
          create.mutate({ hostId, name: get("name") ?? "", subnet: get("subnet"), gateway: get("gateway"), internal: internal || undefined }, { onSuccess: close });
        };
        return (
          <form onSubmit={submit} className="space-y-3">
            <div>
              <label htmlFor={`${id}-name`} className={labelClass}>
                Name
              </label>
              <input id={`${id}-name`} name="name" required autoFocus pattern="[a-zA-Z0-9][a-zA-Z0-9_.\-]{0,127}" autoComplete="off" spellCheck={false} className={inputClass} />
            </div>
            <div className="grid grid-cols-2 gap-3">
              <div>
                <label htmlFor={`${id}-subnet`} className={labelClass}>
                  Subnet
                </label>
                <input id={`${id}-subnet`} name="subnet" placeholder="172.30.0.0/24" autoComplete="off" spellCheck={false} className={`${inputClass} font-mono text-xs`} />
              </div>
              <div>
                <label htmlFor={`${id}-gateway`} className={labelClass}>
                  Gateway
                </label>
                <input id={`${id}-gateway`} name="gateway" placeholder="172.30.0.1" autoComplete="off" spellCheck={false} className={`${inputClass} font-mono text-xs`} />
              </div>
            </div>
            <p className={hintClass}>Both optional: Docker picks a free subnet.</p>
            <Checkbox label="Internal" hint="no route to the outside world" checked={internal} onChange={setInternal} />
            <FormError message={create.error ? trpcMessage(create.error) : null} />
            <DialogButtons onCancel={close} pending={create.isPending} submitLabel="Create network" pendingLabel="Creating…" />
          </form>
        );
      }}
    </Modal>
  );
}
