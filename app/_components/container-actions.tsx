"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { trpcMessage, useTRPC, type FleetContainer } from "./trpc";
import { ConfirmButton, cx, DialogButtons, FormError, hintClass, inputClass, labelClass, Modal, smallButtonClass } from "./ui";
import { useCan } from "./user";

export type LifecycleAction = "start" | "stop" | "restart" | "kill" | "pause" | "unpause" | "remove";

/** Which actions make sense in which state, and the permission each needs (server/trpc/routers/containers.ts). */
export const ACTIONS: { action: LifecycleAction; label: string; permission: string; when: (state: string) => boolean; confirm?: string }[] = [
  { action: "start", label: "Start", permission: "container:start", when: (s) => s === "exited" || s === "created" || s === "dead" },
  { action: "stop", label: "Stop", permission: "container:stop", when: (s) => s === "running" || s === "restarting" || s === "paused" },
  { action: "restart", label: "Restart", permission: "container:restart", when: (s) => s === "running" || s === "exited" },
  { action: "pause", label: "Pause", permission: "container:pause", when: (s) => s === "running" },
  { action: "unpause", label: "Unpause", permission: "container:pause", when: (s) => s === "paused" },
  { action: "kill", label: "Kill", permission: "container:kill", when: (s) => s === "running", confirm: "Send SIGKILL?" },
  { action: "remove", label: "Remove", permission: "container:remove", when: (s) => s !== "running" && s !== "paused" && s !== "removing", confirm: "Remove this container?" },
];

export const containerHref = (c: { hostId: string; id: string }) => `/hosts/${encodeURIComponent(c.hostId)}/containers/${c.id}`;

type Message = { tone: "error" | "unknown" | "ok"; text: string };

/**
 * The lifecycle buttons of one row: only those the caller holds on this container's host and that fit
 * its state, plus a "More" menu (rename, recreate, details). Each click is one signed command; the row
 * shows it pending, then the outcome.
 */
export function ContainerActions({ c, showDetailsLink = true, onRemoved }: { c: FleetContainer; showDetailsLink?: boolean; onRemoved?: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const can = useCan();
  const [message, setMessage] = useState<Message | null>(null);
  const [renaming, setRenaming] = useState(false);
  const invalidate = () => void queryClient.invalidateQueries({ queryKey: trpc.containers.pathKey() });
  const run = useMutation(
    trpc.containers.action.mutationOptions({
      onMutate: () => setMessage(null),
      onSuccess: (r, vars) => {
        if (!r.ok) setMessage({ tone: r.status === "unknown" ? "unknown" : "error", text: r.status === "unknown" ? `Outcome unknown: ${r.error.message}` : r.error.message });
        else if (vars.action === "remove") onRemoved?.();
        invalidate();
      },
      onError: (err) => setMessage({ tone: "error", text: trpcMessage(err) }),
    }),
  );
  const recreate = useMutation(
    trpc.containers.recreate.mutationOptions({
      onMutate: () => setMessage(null),
      onSuccess: (r) => {
        setMessage({ tone: "ok", text: `Recreated as ${r.id.slice(0, 12)}` });
        invalidate();
      },
      onError: (err) => setMessage({ tone: "error", text: trpcMessage(err) }),
    }),
  );
  const available = ACTIONS.filter((a) => a.when(c.state) && can(a.permission, c.hostId));
  const mayRename = can("container:rename", c.hostId);
  const mayRecreate = can("container:create", c.hostId) && c.state !== "removing";
  const act = (action: LifecycleAction) => run.mutate({ hostId: c.hostId, containerId: c.id, action });
  const pending = run.isPending ? run.variables?.action : null;
  const offline = !c.hostOnline;
  return (
    <div className="flex flex-col items-end gap-1">
      <div className="flex flex-wrap items-center justify-end gap-1" aria-busy={run.isPending || recreate.isPending}>
        {available.map((a) =>
          a.confirm ? (
            <ConfirmButton key={a.action} label={a.label} accessibleName={`${a.label} ${c.name}`} prompt={a.confirm} pending={pending === a.action} onConfirm={() => act(a.action)} variant="danger" />
          ) : (
            <button
              key={a.action}
              type="button"
              aria-label={`${a.label} ${c.name}`}
              className={smallButtonClass.secondary}
              disabled={offline || run.isPending}
              title={offline ? "host offline" : undefined}
              onClick={() => act(a.action)}
            >
              {pending === a.action ? `${a.label}…` : a.label}
            </button>
          ),
        )}
        {(mayRename || mayRecreate || showDetailsLink) && (
          <MoreMenu label={`More actions for ${c.name}`}>
            {showDetailsLink && (
              <Link href={containerHref(c)} role="menuitem" className={menuItemClass}>
                Details
              </Link>
            )}
            {mayRename && (
              <button type="button" role="menuitem" className={menuItemClass} disabled={offline} onClick={() => setRenaming(true)}>
                Rename…
              </button>
            )}
            {mayRecreate && (
              <div className="px-1 py-0.5">
                <ConfirmButton
                  label="Recreate"
                  accessibleName={`Recreate ${c.name}`}
                  prompt="Same settings, new container; the old one is removed."
                  pending={recreate.isPending}
                  onConfirm={() => recreate.mutate({ hostId: c.hostId, containerId: c.id })}
                />
              </div>
            )}
          </MoreMenu>
        )}
      </div>
      {message && (
        <p
          role={message.tone === "ok" ? "status" : "alert"}
          className={cx(
            "max-w-64 text-right text-xs",
            message.tone === "error" ? "text-red-700 dark:text-red-400" : message.tone === "ok" ? "text-emerald-700 dark:text-emerald-400" : "text-amber-700 dark:text-amber-400",
          )}
        >
          {message.text}
        </p>
      )}
      {renaming && <RenameDialog c={c} onClose={() => setRenaming(false)} onDone={invalidate} />}
    </div>
  );
}

const menuItemClass =
  "block w-full rounded px-2 py-1 text-left text-xs text-zinc-700 hover:bg-zinc-100 focus:bg-zinc-100 focus:outline-none disabled:opacity-50 dark:text-zinc-200 dark:hover:bg-zinc-800 dark:focus:bg-zinc-800";

/**
 * A "⋯" menu: Escape or a click elsewhere closes it; focus goes back to the trigger. It is
 * placed with fixed coordinates so the table's scroll box does not clip it.
 */
function place(el: HTMLElement | null): { top: number; right: number } | null {
  if (!el) return null;
  const r = el.getBoundingClientRect();
  return { top: r.bottom + 4, right: window.innerWidth - r.right };
}

function MoreMenu({ label, children }: { label: string; children: React.ReactNode }) {
  const [pos, setPos] = useState<{ top: number; right: number } | null>(null);
  const ref = useRef<HTMLDivElement>(null);
  const trigger = useRef<HTMLButtonElement>(null);
  const menuId = useId();
  const open = pos !== null;
  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (!ref.current?.contains(e.target as Node)) setPos(null);
    };
    // Scrolling or resizing moves the trigger: the menu follows it.
    const follow = () => setPos(place(trigger.current));
    document.addEventListener("mousedown", onDown);
    window.addEventListener("resize", follow);
    document.addEventListener("scroll", follow, true);
    ref.current?.querySelector<HTMLElement>("[role=menu] a, [role=menu] button")?.focus();
    return () => {
      document.removeEventListener("mousedown", onDown);
      window.removeEventListener("resize", follow);
      document.removeEventListener("scroll", follow, true);
    };
  }, [open]);
  const toggle = () => {
    setPos(open ? null : place(trigger.current));
  };
  return (
    <div
      ref={ref}
      onKeyDown={(e) => {
        if (e.key === "Escape" && open) {
          e.stopPropagation();
          setPos(null);
          trigger.current?.focus();
        }
      }}
    >
      <button
        ref={trigger}
        type="button"
        aria-label={label}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        className={smallButtonClass.ghost}
        onClick={toggle}
      >
        <svg aria-hidden="true" viewBox="0 0 20 20" fill="currentColor" className="size-4">
          <path d="M3 10a1.5 1.5 0 1 1 3 0 1.5 1.5 0 0 1-3 0Zm5.5 0a1.5 1.5 0 1 1 3 0 1.5 1.5 0 0 1-3 0ZM15.5 8.5a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3Z" />
        </svg>
      </button>
      {pos && (
        <div
          id={menuId}
          role="menu"
          aria-label={label}
          style={{ top: pos.top, right: pos.right }}
          className="fixed z-40 w-56 space-y-0.5 rounded-md border border-zinc-200 bg-white p-1 text-left shadow-lg dark:border-zinc-700 dark:bg-zinc-900"
        >
          {children}
        </div>
      )}
    </div>
  );
}

function RenameDialog({ c, onClose, onDone }: { c: FleetContainer; onClose: () => void; onDone: () => void }) {
  const id = useId();
  const trpc = useTRPC();
  const [error, setError] = useState<string | null>(null);
  const rename = useMutation(trpc.containers.action.mutationOptions());
  return (
    <Modal title={`Rename ${c.name}`} onClose={onClose}>
      {(close) => {
        const submit = (e: FormEvent<HTMLFormElement>) => {
          e.preventDefault();
          const name = String(new FormData(e.currentTarget).get("name") ?? "").trim();
          if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/.test(name)) return setError("Letters, digits, _ . - (not first), at most 128.");
          setError(null);
          rename.mutate(
            { hostId: c.hostId, containerId: c.id, action: "rename", params: { name } },
            {
              onSuccess: (r) => {
                onDone();
                if (r.ok) close();
                else setError(r.error.message);
              },
              onError: (err) => setError(trpcMessage(err)),
            },
          );
        };
        return (
          <form onSubmit={submit} className="space-y-3 text-left">
            <div>
              <label htmlFor={`${id}-name`} className={labelClass}>
                New name
              </label>
              <input id={`${id}-name`} name="name" required defaultValue={c.name} autoFocus onFocus={(e) => e.currentTarget.select()} maxLength={128} autoComplete="off" spellCheck={false} className={inputClass} />
              <p className={hintClass}>Letters, digits, _ . - ; must be unique on the host.</p>
            </div>
            <FormError message={error} />
            <DialogButtons onCancel={close} pending={rename.isPending} submitLabel="Rename" pendingLabel="Renaming…" />
          </form>
        );
      }}
    </Modal>
  );
}
