"use client";

import { useId, type FormEvent, type ReactNode } from "react";
import { trpcMessage } from "../trpc";
import { DialogButtons, FormError, hintClass, inputClass, labelClass, Modal } from "../ui";

export type NameValues = { name: string; description: string };

/** Create or rename something that has a name and a description (teams, host groups, roles); `children` adds fields. */
export function NameDialog({ title, submitLabel, initial, mutation, onSubmit, onClose, children, widthClass }: {
  title: string;
  submitLabel: string;
  initial?: NameValues;
  mutation: { isPending: boolean; error: unknown };
  onSubmit: (values: NameValues, done: () => void, form: FormData) => void;
  onClose: () => void;
  children?: ReactNode;
  widthClass?: string;
}) {
  const id = useId();
  return (
    <Modal title={title} onClose={onClose} widthClass={widthClass}>
      {(close) => {
        const submit = (e: FormEvent<HTMLFormElement>) => {
          e.preventDefault();
          const f = new FormData(e.currentTarget);
          onSubmit({ name: String(f.get("name") ?? "").trim(), description: String(f.get("description") ?? "").trim() }, close, f);
        };
        return (
          <form onSubmit={submit} className="space-y-3">
            <div className="grid gap-3 sm:grid-cols-[1fr_2fr]">
              <div>
                <label htmlFor={`${id}-name`} className={labelClass}>
                  Name
                </label>
                <input
                  id={`${id}-name`}
                  name="name"
                  required
                  maxLength={64}
                  defaultValue={initial?.name}
                  autoFocus
                  autoComplete="off"
                  className={inputClass}
                />
              </div>
              <div>
                <label htmlFor={`${id}-description`} className={labelClass}>
                  Description
                </label>
                <input id={`${id}-description`} name="description" maxLength={200} defaultValue={initial?.description} autoComplete="off" className={inputClass} />
              </div>
            </div>
            <p className={hintClass}>Name: letters, digits, space and . _ - @ ( ) (up to 64).</p>
            {children}
            <FormError message={mutation.error ? trpcMessage(mutation.error) : null} />
            <DialogButtons onCancel={close} pending={mutation.isPending} submitLabel={submitLabel} pendingLabel="Saving…" />
          </form>
        );
      }}
    </Modal>
  );
}
