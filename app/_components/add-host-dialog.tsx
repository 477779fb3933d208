"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { fullTimestamp } from "./format";
import { trpcMessage, useTRPC, type Enrollment } from "./trpc";
import { buttonClass, CopyBlock, FormError, inputClass } from "./ui";

/** "Add host" button + modal dialog: name → one-time enrollment token → the command to run. */
export function AddHostButton({ variant = "primary" }: { variant?: "primary" | "secondary" }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className={buttonClass[variant]} onClick={() => setOpen(true)}>
        <svg aria-hidden="true" viewBox="0 0 20 20" fill="currentColor" className="size-4">
          <path d="M10 4a.75.75 0 0 1 .75.75v4.5h4.5a.75.75 0 0 1 0 1.5h-4.5v4.5a.75.75 0 0 1-1.5 0v-4.5h-4.5a.75.75 0 0 1 0-1.5h4.5v-4.5A.75.75 0 0 1 10 4Z" />
        </svg>
        Add host
      </button>
      {open && <AddHostDialog onClose={() => setOpen(false)} />}
    </>
  );
}

function AddHostDialog({ onClose }: { onClose: () => void }) {
  const id = useId();
  const ref = useRef<HTMLDialogElement>(null);
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<Enrollment | null>(null);
  const create = useMutation(
    trpc.hosts.createEnrollment.mutationOptions({
      onSuccess: (data) => {
        setResult(data);
        void queryClient.invalidateQueries({ queryKey: trpc.hosts.pathKey() });
      },
      onError: (err) => setError(trpcMessage(err)),
    }),
  );

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (!dialog.open) dialog.showModal();
    // Escape (the "cancel" event) and the close button both end in "close".
    const onCloseEvent = () => onClose();
    dialog.addEventListener("close", onCloseEvent);
    return () => dialog.removeEventListener("close", onCloseEvent);
  }, [onClose]);

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const name = String(new FormData(e.currentTarget).get("name") ?? "").trim();
    if (!name) {
      setError("Enter a name for the host.");
      return;
    }
    setError(null);
    create.mutate({ name });
  }

  return (
    <dialog
      ref={ref}
      aria-labelledby={`${id}-title`}
      className="m-auto w-[min(42rem,calc(100vw-2rem))] rounded-xl border border-zinc-200 bg-white p-0 text-zinc-900 shadow-2xl dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
      onClick={(e) => {
        // A click on the backdrop (the dialog element itself, outside its content) closes it.
        if (e.target === e.currentTarget) ref.current?.close();
      }}
    >
      <div className="p-5">
        <div className="mb-4 flex items-start justify-between gap-4">
          <div>
            <h2 id={`${id}-title`} className="text-base font-semibold">
              Add host
            </h2>
            <p className="mt-0.5 text-zinc-600 dark:text-zinc-400">
              Creates a one-time enrollment token and the command that installs the agent on the new host.
            </p>
          </div>
          <button type="button" aria-label="Close" className={buttonClass.ghost} onClick={() => ref.current?.close()}>
            <svg aria-hidden="true" viewBox="0 0 20 20" fill="currentColor" className="size-4">
              <path d="M6.28 5.22a.75.75 0 0 0-1.06 1.06L8.94 10l-3.72 3.72a.75.75 0 1 0 1.06 1.06L10 11.06l3.72 3.72a.75.75 0 1 0 1.06-1.06L11.06 10l3.72-3.72a.75.75 0 0 0-1.06-1.06L10 8.94 6.28 5.22Z" />
            </svg>
          </button>
        </div>

        {!result ? (
          <form onSubmit={onSubmit} className="space-y-3">
            <div>
              <label htmlFor={`${id}-name`} className="mb-1 block text-xs font-medium text-zinc-700 dark:text-zinc-300">
                Host name
              </label>
              <input
                id={`${id}-name`}
                name="name"
                required
                maxLength={64}
                pattern="[\w.@ \-]+"
                title="Letters, digits, space and . _ - @"
                autoFocus
                autoComplete="off"
                spellCheck={false}
                placeholder="e.g. web-01"
                aria-describedby={`${id}-name-hint`}
                className={inputClass}
              />
              <p id={`${id}-name-hint`} className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">
                Shown in the dashboard. Letters, digits, space and . _ - @ (up to 64).
              </p>
            </div>
            <FormError message={error} />
            <div className="flex justify-end gap-2">
              <button type="button" className={buttonClass.secondary} onClick={() => ref.current?.close()}>
                Cancel
              </button>
              <button type="submit" className={buttonClass.primary} disabled={create.isPending}>
                {create.isPending ? "Creating…" : "Create enrollment token"}
              </button>
            </div>
          </form>
        ) : (
          <EnrollmentResult result={result} onDone={() => ref.current?.close()} />
        )}
      </div>
    </dialog>
  );
}

function EnrollmentResult({ result, onDone }: { result: Enrollment; onDone: () => void }) {
  const expires = Date.parse(result.expiresAt);
  return (
    <div className="space-y-3">
      <p>
        Run this on <strong className="font-semibold">{result.hostName}</strong> (it needs Node.js ≥ 20 and access to the Docker socket):
      </p>
      <CopyBlock label="Agent command" text={result.command} hideLabel />
      <div className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-amber-900 dark:border-amber-500/40 dark:bg-amber-500/10 dark:text-amber-200">
        This token is shown only once and works for a single enrollment. It expires at{" "}
        <time dateTime={result.expiresAt} className="font-medium">
          {Number.isFinite(expires) ? fullTimestamp(expires) : result.expiresAt}
        </time>{" "}
        (30 minutes).
      </div>
      <p className="text-zinc-600 dark:text-zinc-400">The host appears in the list as soon as the agent connects.</p>
      <div className="flex justify-end">
        <button type="button" className={buttonClass.secondary} onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}
