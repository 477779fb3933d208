"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useId, useState, type FormEvent } from "react";
import type { HostSummary } from "../trpc";
import { buttonClass, DialogButtons, hintClass, inputClass, labelClass, Modal } from "../ui";
import { useCan } from "../user";

export const newContainerHref = (hostId: string) => `/hosts/${encodeURIComponent(hostId)}/containers/new`;

/**
 * "New container": straight to the form when given one host, else a host picker limited to the hosts
 * where the caller holds container:create. Hidden when there is none.
 */
export function NewContainerButton({ hosts, hostId }: { hosts?: HostSummary[]; hostId?: string }) {
  const can = useCan();
  const [picking, setPicking] = useState(false);
  if (hostId) {
    if (!can("container:create", hostId)) return null;
    return (
      <Link href={newContainerHref(hostId)} className={buttonClass.primary}>
        New container
      </Link>
    );
  }
  const allowed = (hosts ?? []).filter((h) => can("container:create", h.id));
  if (allowed.length === 0) return null;
  return (
    <>
      <button type="button" className={buttonClass.primary} onClick={() => setPicking(true)}>
        New container
      </button>
      {picking && <HostPicker hosts={allowed} onClose={() => setPicking(false)} />}
    </>
  );
}

function HostPicker({ hosts, onClose }: { hosts: HostSummary[]; onClose: () => void }) {
  const id = useId();
  const router = useRouter();
  const sorted = [...hosts].sort((a, b) => Number(b.online) - Number(a.online) || a.name.localeCompare(b.name));
  return (
    <Modal title="New container" description="Which host should run it?" onClose={onClose} widthClass="w-[min(26rem,calc(100vw-2rem))]">
      {(close) => {
        const submit = (e: FormEvent<HTMLFormElement>) => {
          e.preventDefault();
          const hostId = String(new FormData(e.currentTarget).get("host") ?? "");
          if (hostId) router.push(newContainerHref(hostId));
        };
        return (
          <form onSubmit={submit} className="space-y-3">
            <div>
              <label htmlFor={`${id}-host`} className={labelClass}>
                Host
              </label>
              <select id={`${id}-host`} name="host" autoFocus defaultValue={sorted[0]?.id} className={inputClass}>
                {sorted.map((h) => (
                  <option key={h.id} value={h.id}>
                    {h.name}
                    {h.online ? "" : " (offline)"}
                  </option>
                ))}
              </select>
              <p className={hintClass}>Only hosts where you may create containers are listed.</p>
            </div>
            <DialogButtons onCancel={close} pending={false} submitLabel="Continue" pendingLabel="…" />
          </form>
        );
      }}
    </Modal>
  );
}
