"use client";

import { useMutation } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { trpcMessage, useTRPC } from "./trpc";
import { buttonClass, FormError, inputClass } from "./ui";

const PASSWORD_MIN = 12;
const PASSWORD_MAX = 128;

export function SetupForm() {
  const id = useId();
  const trpc = useTRPC();
  const [error, setError] = useState<string | null>(null);
  const complete = useMutation(
    trpc.session.completeSetup.mutationOptions({
      onSuccess: () => window.location.assign("/login?setup=done"),
      onError: (err) => setError(trpcMessage(err)),
    }),
  );

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const code = String(form.get("code") ?? "").trim();
    const email = String(form.get("email") ?? "").trim();
    const password = String(form.get("password") ?? "");
    const name = String(form.get("name") ?? "").trim();
    if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX) {
      setError(`The password must be ${PASSWORD_MIN}–${PASSWORD_MAX} characters long.`);
      return;
    }
    setError(null);
    complete.mutate({ code, email, password, ...(name ? { name } : {}) });
  }

  const labelClass = "mb-1 block text-xs font-medium text-zinc-700 dark:text-zinc-300";
  const busy = complete.isPending || complete.isSuccess;
  return (
    <form onSubmit={onSubmit} className="space-y-3">
      <div>
        <label htmlFor={`${id}-code`} className={labelClass}>
          Setup code
        </label>
        <input
          id={`${id}-code`}
          name="code"
          required
          autoFocus
          autoComplete="one-time-code"
          spellCheck={false}
          placeholder="XXXX-XXXX-XXXX-XXXX"
          className={`${inputClass} font-mono uppercase`}
        />
      </div>
      <div>
        <label htmlFor={`${id}-name`} className={labelClass}>
          Name <span className="font-normal text-zinc-500">(optional)</span>
        </label>
        <input id={`${id}-name`} name="name" maxLength={64} autoComplete="name" className={inputClass} />
      </div>
      <div>
        <label htmlFor={`${id}-email`} className={labelClass}>
          Email
        </label>
        <input id={`${id}-email`} name="email" type="email" required autoComplete="username" className={inputClass} />
      </div>
      <div>
        <label htmlFor={`${id}-password`} className={labelClass}>
          Password
        </label>
        <input
          id={`${id}-password`}
          name="password"
          type="password"
          required
          minLength={PASSWORD_MIN}
          maxLength={PASSWORD_MAX}
          autoComplete="new-password"
          aria-describedby={`${id}-password-hint`}
          className={inputClass}
        />
        <p id={`${id}-password-hint`} className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">
          {PASSWORD_MIN}–{PASSWORD_MAX} characters.
        </p>
      </div>
      <FormError message={error} />
      <button type="submit" disabled={busy} className={`${buttonClass.primary} w-full`}>
        {busy ? "Creating…" : "Create admin"}
      </button>
    </form>
  );
}
