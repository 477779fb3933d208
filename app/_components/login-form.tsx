"use client";

import { useId, useState, type FormEvent } from "react";
import { buttonClass, FormError, inputClass } from "./ui";

export function LoginForm() {
  const id = useId();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const res = await fetch("/api/auth/sign-in/email", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: String(form.get("email") ?? "").trim(), password: String(form.get("password") ?? "") }),
      });
      if (res.ok) {
        window.location.assign("/hosts");
        return; // keep the button disabled while the next page loads
      }
      const body = (await res.json().catch(() => null)) as { message?: string } | null;
      if (res.status === 429) {
        const retry = Number(res.headers.get("x-retry-after") ?? res.headers.get("retry-after"));
        setError(`Too many sign-in attempts. Try again ${retry > 0 ? `in ${retry} s` : "in a moment"}.`);
      } else {
        setError(body?.message || (res.status === 401 ? "Invalid email or password" : `Sign-in failed (HTTP ${res.status})`));
      }
    } catch {
      setError("Cannot reach the server. Check your connection and try again.");
    }
    setBusy(false);
  }

  return (
    <form onSubmit={onSubmit} className="space-y-3" noValidate={false}>
      <div>
        <label htmlFor={`${id}-email`} className="mb-1 block text-xs font-medium text-zinc-700 dark:text-zinc-300">
          Email
        </label>
        <input id={`${id}-email`} name="email" type="email" autoComplete="username" required autoFocus className={inputClass} />
      </div>
      <div>
        <label htmlFor={`${id}-password`} className="mb-1 block text-xs font-medium text-zinc-700 dark:text-zinc-300">
          Password
        </label>
        <input id={`${id}-password`} name="password" type="password" autoComplete="current-password" required className={inputClass} />
      </div>
      <FormError message={error} />
      <button type="submit" disabled={busy} className={`${buttonClass.primary} w-full`}>
        {busy ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
