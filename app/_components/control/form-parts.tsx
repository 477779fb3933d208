"use client";

import { useId, type ReactNode } from "react";
import type { IsolationRisk } from "../../../server/domain/containers/isolation-policy";
import { cx, hintClass, inputClass, labelClass, smallButtonClass } from "../ui";

export const compactInputClass = `${inputClass} h-8 py-1`;
export const fieldErrorClass = "mt-1 text-xs text-red-700 dark:text-red-400";

const severityClass: Record<IsolationRisk["severity"], string> = {
  critical: "text-red-700 dark:text-red-400",
  high: "text-orange-700 dark:text-orange-400",
  medium: "text-amber-700 dark:text-amber-400",
};

/** One line per isolation risk, next to the field that causes it. */
export function RiskLines({ risks }: { risks: IsolationRisk[] }) {
  if (risks.length === 0) return null;
  return (
    <ul className="mt-1 space-y-0.5" data-testid="field-risks">
      {risks.map((r, i) => (
        <li key={`${r.code}-${i}`} className={cx("flex gap-1.5 text-xs", severityClass[r.severity])}>
          <span aria-hidden="true">▲</span>
          <span>
            <span className="font-semibold uppercase">{r.severity}</span> {r.message}
          </span>
        </li>
      ))}
    </ul>
  );
}

export function FieldError({ id, message }: { id?: string; message?: string }) {
  if (!message) return null;
  return (
    <p id={id} className={fieldErrorClass}>
      {message}
    </p>
  );
}

/** A labelled control with hint, validation message and the risks it causes. */
export function Field({ label, hint, error, risks = [], className, children }: {
  label: string;
  hint?: ReactNode;
  error?: string;
  risks?: IsolationRisk[];
  className?: string;
  children: (props: { id: string; "aria-describedby"?: string; "aria-invalid"?: boolean }) => ReactNode;
}) {
  const id = useId();
  const describedBy = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(" ") || undefined;
  return (
    <div className={className}>
      <label htmlFor={id} className={labelClass}>
        {label}
      </label>
      {children({ id, "aria-describedby": describedBy, "aria-invalid": error ? true : undefined })}
      {hint && (
        <p id={`${id}-hint`} className={hintClass}>
          {hint}
        </p>
      )}
      <FieldError id={`${id}-error`} message={error} />
      <RiskLines risks={risks} />
    </div>
  );
}

export function Checkbox({ label, checked, onChange, hint, className }: { label: ReactNode; checked: boolean; onChange: (v: boolean) => void; hint?: ReactNode; className?: string }) {
  return (
    <label className={cx("flex items-start gap-2 text-sm", className)}>
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} className="mt-0.5 size-4 rounded border-zinc-300 accent-sky-600 dark:border-zinc-600" />
      <span>
        {label}
        {hint && <span className="block text-xs text-zinc-500 dark:text-zinc-400">{hint}</span>}
      </span>
    </label>
  );
}

/** "Add …" under a list of editable rows. */
export function AddRowButton({ label, onClick }: { label: string; onClick: () => void }) {
  return (
    <button type="button" className={smallButtonClass.secondary} onClick={onClick}>
      + {label}
    </button>
  );
}

export function RemoveRowButton({ label, onClick }: { label: string; onClick: () => void }) {
  return (
    <button type="button" aria-label={label} title={label} className={cx(smallButtonClass.ghost, "h-8")} onClick={onClick}>
      <svg aria-hidden="true" viewBox="0 0 20 20" fill="currentColor" className="size-3.5">
        <path d="M6.28 5.22a.75.75 0 0 0-1.06 1.06L8.94 10l-3.72 3.72a.75.75 0 1 0 1.06 1.06L10 11.06l3.72 3.72a.75.75 0 0 0 1.06-1.06L11.06 10l3.72-3.72a.75.75 0 0 0-1.06-1.06L10 8.94 6.28 5.22Z" />
      </svg>
    </button>
  );
}

/** Small uppercase column captions over rows of inputs (the inputs carry their own aria-labels). */
export function RowHeader({ columns, gridClass }: { columns: string[]; gridClass: string }) {
  return (
    <div aria-hidden="true" className={cx("grid gap-2 text-[11px] font-medium tracking-wide text-zinc-500 uppercase dark:text-zinc-400", gridClass)}>
      {columns.map((c, i) => (
        <span key={i}>{c}</span>
      ))}
    </div>
  );
}
