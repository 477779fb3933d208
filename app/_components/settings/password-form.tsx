"use client";

import { useMutation } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { PASSWORD_HINT } from "../admin/access";
import { trpcMessage, useTRPC } from "../trpc";
import { buttonClass, FormError, hintClass, inputClass, labelClass, Section } from "../ui";

export function PasswordForm() {
  const id = useId();
  const trpc = useTRPC();
  const [mismatch, setMismatch] = useState<string | null>(null);
  const change = useMutation(trpc.account.changePassword.mutationOptions());
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const next = String(f.get("new") ?? "");
    if (next !== String(f.get("confirm") ?? "")) return setMismatch("The new password and its confirmation differ.");
    setMismatch(null);
    change.mutate({ currentPassword: String(f.get("current") ?? ""), newPassword: next }, { onSuccess: () => form.reset() });
  };
  const field = (name: string, label: string, autoComplete: string, min?: number) => (
    <div>
      <label htmlFor={`${id}-${name}`} className={labelClass}>
        {label}
      </label>
      <input id={`${id}-${name}`} name={name} type="password" required minLength={min} maxLength={128} autoComplete={autoComplete} className={inputClass} />
    </div>
  );
  return (
    <Section title="Password" description={`${PASSWORD_HINT} Changing it signs you out everywhere else.`}>
      <form onSubmit={onSubmit} className="space-y-3" onChange={() => change.isSuccess && change.reset()}>
        <div className="grid gap-3 sm:grid-cols-3">
          {field("current", "Current password", "current-password")}
          {field("new", "New password", "new-password", 12)}
          {field("confirm", "Confirm new password", "new-password", 12)}
        </div>
        <FormError message={mismatch ?? (change.error ? trpcMessage(change.error) : null)} />
        {change.isSuccess && (
          <p role="status" className="rounded-md border border-emerald-300 bg-emerald-50 px-3 py-2 text-emerald-900 dark:border-emerald-500/40 dark:bg-emerald-500/10 dark:text-emerald-200">
            Password changed. Your other sessions were ended; this one stays signed in.
          </p>
        )}
        <div className="flex items-center gap-3">
          <button type="submit" className={buttonClass.primary} disabled={change.isPending}>
            {change.isPending ? "Changing…" : "Change password"}
          </button>
          <p className={hintClass}>API tokens keep working; revoke them below if needed.</p>
        </div>
      </form>
    </Section>
  );
}
