"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { trpcMessage, useTRPC } from "./trpc";
import { buttonClass, FormError } from "./ui";
import { useCan } from "./user";

/**
 * Admin-only, two steps: revoking stops the host's key from working and closes its agent's
 * connection at once; bringing the host back takes a new enrollment.
 */
export function RevokeHostButton({ hostId, hostName }: { hostId: string; hostName: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const can = useCan();
  const [error, setError] = useState<string | null>(null);
  const revoke = useMutation(
    trpc.hosts.revoke.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.hosts.pathKey() });
        router.push("/hosts");
      },
      onError: (err) => setError(trpcMessage(err)),
    }),
  );
  if (!can("host:revoke", hostId)) return null;

  if (!confirming) {
    return (
      <button type="button" className={buttonClass.secondary} onClick={() => setConfirming(true)}>
        Revoke host
      </button>
    );
  }
  return (
    <div role="group" aria-label="Confirm revoke" className="flex flex-wrap items-center gap-2">
      <span className="text-zinc-700 dark:text-zinc-300">
        Revoke <strong>{hostName}</strong>? Its agent is disconnected and its key stops working.
      </span>
      <button type="button" autoFocus className={buttonClass.danger} disabled={revoke.isPending} onClick={() => revoke.mutate({ hostId })}>
        {revoke.isPending ? "Revoking…" : "Confirm revoke"}
      </button>
      <button type="button" className={buttonClass.ghost} onClick={() => setConfirming(false)}>
        Cancel
      </button>
      <FormError message={error} />
    </div>
  );
}
