"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useId, useState, type FormEvent, type ReactNode } from "react";
import { TokensTable } from "../settings/tokens-table";
import { trpcMessage, useTRPC } from "../trpc";
import { Badge, buttonClass, ConfirmButton, FormError, hintClass, inputClass, labelClass, Modal } from "../ui";
import { useUser } from "../user";
import { PASSWORD_HINT, useRefetchAll } from "./access";
import type { AdminUser } from "./types";

/** Everything an admin does to one user besides grants: status, password, sessions, tokens, deletion. */
export function ManageUserDialog({ user, onClose }: { user: AdminUser; onClose: () => void }) {
  const trpc = useTRPC();
  const me = useUser();
  const self = user.id === me.id;
  const refetch = useRefetchAll();
  const update = useMutation(trpc.users.update.mutationOptions({ onSuccess: refetch }));
  const endSessions = useMutation(trpc.users.revokeSessions.mutationOptions({ onSuccess: refetch }));
  const del = useMutation(trpc.users.delete.mutationOptions({ onSuccess: refetch }));
  const tokens = useQuery(trpc.users.tokens.queryOptions({ userId: user.id }));
  const revokeToken = useMutation(trpc.users.revokeToken.mutationOptions({ onSuccess: refetch }));

  return (
    <Modal title={user.email} description={user.name || undefined} onClose={onClose} widthClass="w-[min(56rem,calc(100vw-2rem))]">
      {(close) => (
        <div className="space-y-4">
          <Row
            title="Status"
            detail={user.disabled ? "Disabled: cannot sign in; API tokens are refused." : "Enabled. Disabling ends every session at once."}
            action={
              <>
                <Badge tone={user.disabled ? "gray" : "green"}>{user.disabled ? "disabled" : "enabled"}</Badge>
                <button
                  type="button"
                  className={buttonClass.secondary}
                  disabled={update.isPending || (self && !user.disabled)}
                  title={self ? "You cannot disable yourself" : undefined}
                  onClick={() => update.mutate({ userId: user.id, disabled: !user.disabled })}
                >
                  {update.isPending ? "Saving…" : user.disabled ? "Enable user" : "Disable user"}
                </button>
              </>
            }
            error={update.error}
          />
          <ResetPassword userId={user.id} />
          <Row
            title="Sessions"
            detail={
              endSessions.data
                ? `Ended ${endSessions.data.revoked} session${endSessions.data.revoked === 1 ? "" : "s"}.`
                : `${user.sessions} active session${user.sessions === 1 ? "" : "s"}.`
            }
            action={
              <button type="button" className={buttonClass.secondary} disabled={endSessions.isPending || user.sessions === 0} onClick={() => endSessions.mutate({ userId: user.id })}>
                {endSessions.isPending ? "Ending…" : "End all sessions"}
              </button>
            }
            error={endSessions.error}
          />
          <div className="space-y-2">
            <h3 className="text-sm font-semibold">API tokens</h3>
            {tokens.isError ? (
              <FormError message={trpcMessage(tokens.error)} />
            ) : (
              <TokensTable
                label={`API tokens of ${user.email}`}
                tokens={tokens.data ?? []}
                loading={tokens.isPending}
                onRevoke={(tokenId) => revokeToken.mutate({ tokenId }, { onSuccess: () => void tokens.refetch() })}
                revokingId={revokeToken.isPending ? (revokeToken.variables?.tokenId ?? null) : null}
              />
            )}
            {revokeToken.error && <FormError message={trpcMessage(revokeToken.error)} />}
          </div>
          <Row
            title="Delete user"
            detail="Removes the user, their grants, team memberships, sessions and tokens. Audit entries stay."
            action={
              self ? (
                <span className="text-xs text-zinc-500 dark:text-zinc-400">You cannot delete yourself.</span>
              ) : (
                <ConfirmButton
                  label="Delete"
                  accessibleName={`Delete ${user.email}`}
                  prompt="This cannot be undone."
                  variant="danger"
                  small={false}
                  pending={del.isPending}
                  onConfirm={() => del.mutate({ userId: user.id }, { onSuccess: close })}
                />
              )
            }
            error={del.error}
          />
        </div>
      )}
    </Modal>
  );
}

function Row({ title, detail, action, error }: { title: string; detail: ReactNode; action: ReactNode; error: unknown }) {
  return (
    <div className="space-y-2 border-b border-zinc-100 pb-4 dark:border-zinc-800">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h3 className="text-sm font-semibold">{title}</h3>
          <p className="text-xs text-zinc-600 dark:text-zinc-400">{detail}</p>
        </div>
        <div className="flex flex-wrap items-center gap-2">{action}</div>
      </div>
      {error ? <FormError message={trpcMessage(error)} /> : null}
    </div>
  );
}

function ResetPassword({ userId }: { userId: string }) {
  const id = useId();
  const trpc = useTRPC();
  const refetch = useRefetchAll();
  const [password, setPassword] = useState("");
  const reset = useMutation(trpc.users.resetPassword.mutationOptions({ onSuccess: () => { setPassword(""); void refetch(); } }));
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    reset.mutate({ userId, password });
  };
  return (
    <form onSubmit={onSubmit} className="space-y-2 border-b border-zinc-100 pb-4 dark:border-zinc-800">
      <div className="flex flex-wrap items-end gap-3">
        <div className="min-w-64 flex-1">
          <label htmlFor={`${id}-pw`} className={labelClass}>
            New password
          </label>
          <input
            id={`${id}-pw`}
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
            minLength={12}
            maxLength={128}
            autoComplete="new-password"
            className={inputClass}
          />
        </div>
        <button type="submit" className={buttonClass.secondary} disabled={reset.isPending}>
          {reset.isPending ? "Resetting…" : "Reset password"}
        </button>
      </div>
      <p className={hintClass} aria-live="polite">
        {reset.isSuccess ? "Password reset. Every session of this user was ended." : `${PASSWORD_HINT} Resetting ends every session of this user.`}
      </p>
      {reset.error && <FormError message={trpcMessage(reset.error)} />}
    </form>
  );
}
