"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { trpcMessage, useTRPC, type FleetContainer } from "./trpc";
import { ConfirmButton, cx, smallButtonClass } from "./ui";
import { useCan } from "./user";

type Action = "start" | "stop" | "restart" | "kill" | "pause" | "unpause" | "remove";

/** Which actions make sense in which state, and the permission each needs (server/trpc/routers/containers.ts). */
const ACTIONS: { action: Action; label: string; permission: string; when: (state: string) => boolean; confirm?: string }[] = [
  { action: "start", label: "Start", permission: "container:start", when: (s) => s === "exited" || s === "created" || s === "dead" },
  { action: "stop", label: "Stop", permission: "container:stop", when: (s) => s === "running" || s === "restarting" || s === "paused" },
  { action: "restart", label: "Restart", permission: "container:restart", when: (s) => s === "running" || s === "exited" },
  { action: "pause", label: "Pause", permission: "container:pause", when: (s) => s === "running" },
  { action: "unpause", label: "Unpause", permission: "container:pause", when: (s) => s === "paused" },
  { action: "kill", label: "Kill", permission: "container:kill", when: (s) => s === "running", confirm: "Send SIGKILL?" },
  { action: "remove", label: "Remove", permission: "container:remove", when: (s) => s !== "running" && s !== "paused" && s !== "removing", confirm: "Remove this container?" },
];

/**
 * The lifecycle buttons of one row: only those the caller holds on this container's host and that fit
 * its state. Each click is one signed command; the row shows it pending, then the outcome.
 */
export function ContainerActions({ c }: { c: FleetContainer }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const can = useCan();
  const [message, setMessage] = useState<{ tone: "error" | "unknown"; text: string } | null>(null);
  const run = useMutation(
    trpc.containers.action.mutationOptions({
      onMutate: () => setMessage(null),
      onSuccess: (r) => {
        if (!r.ok) setMessage({ tone: r.status === "unknown" ? "unknown" : "error", text: r.status === "unknown" ? `Outcome unknown: ${r.error.message}` : r.error.message });
        void queryClient.invalidateQueries({ queryKey: trpc.containers.pathKey() });
      },
      onError: (err) => setMessage({ tone: "error", text: trpcMessage(err) }),
    }),
  );
  const available = ACTIONS.filter((a) => a.when(c.state) && can(a.permission, c.hostId));
  if (available.length === 0) return null;
  const act = (action: Action) => run.mutate({ hostId: c.hostId, containerId: c.id, action });
  const pending = run.isPending ? run.variables?.action : null;
  return (
    <div className="flex flex-col items-end gap-1">
      <div className="flex flex-wrap justify-end gap-1" aria-busy={run.isPending}>
        {available.map((a) =>
          a.confirm ? (
            <ConfirmButton key={a.action} label={a.label} accessibleName={`${a.label} ${c.name}`} prompt={a.confirm} pending={pending === a.action} onConfirm={() => act(a.action)} variant="danger" />
          ) : (
            <button
              key={a.action}
              type="button"
              aria-label={`${a.label} ${c.name}`}
              className={smallButtonClass.secondary}
              disabled={!c.hostOnline || run.isPending}
              title={c.hostOnline ? undefined : "host offline"}
              onClick={() => act(a.action)}
            >
              {pending === a.action ? `${a.label}…` : a.label}
            </button>
          ),
        )}
      </div>
      {message && (
        <p role="alert" className={cx("max-w-64 text-right text-xs", message.tone === "error" ? "text-red-700 dark:text-red-400" : "text-amber-700 dark:text-amber-400")}>
          {message.text}
        </p>
      )}
    </div>
  );
}
