"use client";

import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import { fullTimestamp, relativeTime } from "./format";
import { trpcMessage, type ContainerState } from "./trpc";
import { useNow } from "./use-now";

export function cx(...parts: (string | false | null | undefined)[]): string {
  return parts.filter(Boolean).join(" ");
}

export const buttonClass = {
  primary:
    "inline-flex items-center justify-center gap-1.5 rounded-md bg-sky-600 px-3 py-1.5 text-sm font-medium text-white shadow-sm hover:bg-sky-700 disabled:cursor-not-allowed disabled:opacity-60 dark:bg-sky-500 dark:text-zinc-950 dark:hover:bg-sky-400",
  secondary:
    "inline-flex items-center justify-center gap-1.5 rounded-md border border-zinc-300 bg-white px-3 py-1.5 text-sm font-medium text-zinc-800 shadow-sm hover:bg-zinc-50 disabled:cursor-not-allowed disabled:opacity-60 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100 dark:hover:bg-zinc-800",
  danger:
    "inline-flex items-center justify-center gap-1.5 rounded-md bg-red-600 px-3 py-1.5 text-sm font-medium text-white shadow-sm hover:bg-red-700 disabled:cursor-not-allowed disabled:opacity-60 dark:bg-red-500 dark:hover:bg-red-400",
  ghost:
    "inline-flex items-center justify-center gap-1.5 rounded-md px-2 py-1 text-sm text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-zinc-100",
};

export const inputClass =
  "block w-full rounded-md border border-zinc-300 bg-white px-2.5 py-1.5 text-sm text-zinc-900 shadow-sm placeholder:text-zinc-400 focus:border-sky-500 focus:outline-none focus:ring-2 focus:ring-sky-500/30 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100 dark:placeholder:text-zinc-500";

type Tone = "green" | "amber" | "red" | "gray" | "blue" | "violet";

const toneClass: Record<Tone, string> = {
  green: "bg-emerald-50 text-emerald-800 ring-emerald-600/25 dark:bg-emerald-500/10 dark:text-emerald-300 dark:ring-emerald-400/25",
  amber: "bg-amber-50 text-amber-800 ring-amber-600/30 dark:bg-amber-500/10 dark:text-amber-300 dark:ring-amber-400/25",
  red: "bg-red-50 text-red-800 ring-red-600/25 dark:bg-red-500/10 dark:text-red-300 dark:ring-red-400/25",
  gray: "bg-zinc-100 text-zinc-700 ring-zinc-500/25 dark:bg-zinc-500/10 dark:text-zinc-300 dark:ring-zinc-400/25",
  blue: "bg-sky-50 text-sky-800 ring-sky-600/25 dark:bg-sky-500/10 dark:text-sky-300 dark:ring-sky-400/25",
  violet: "bg-violet-50 text-violet-800 ring-violet-600/25 dark:bg-violet-500/10 dark:text-violet-300 dark:ring-violet-400/25",
};

const dotClass: Record<Tone, string> = {
  green: "bg-emerald-500",
  amber: "bg-amber-500",
  red: "bg-red-500",
  gray: "bg-zinc-400 dark:bg-zinc-500",
  blue: "bg-sky-500",
  violet: "bg-violet-500",
};

/** A pill whose accessible text is exactly `children`; the dot is decorative. */
export function Badge({ tone, children, title, dot = true }: { tone: Tone; children: string; title?: string; dot?: boolean }) {
  return (
    <span
      title={title}
      className={cx("inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset", toneClass[tone])}
    >
      {dot && <span aria-hidden="true" className={cx("size-1.5 rounded-full", dotClass[tone])} />}
      <span>{children}</span>
    </span>
  );
}

export function Dot({ tone }: { tone: Tone }) {
  return <span aria-hidden="true" className={cx("inline-block size-2 shrink-0 rounded-full", dotClass[tone])} />;
}

export const stateTone: Record<ContainerState, Tone> = {
  running: "green",
  paused: "amber",
  restarting: "blue",
  created: "gray",
  removing: "violet",
  exited: "gray",
  dead: "red",
};

export function StateBadge({ state, title }: { state: ContainerState; title?: string }) {
  return (
    <Badge tone={stateTone[state]} title={title}>
      {state}
    </Badge>
  );
}

export function HealthBadge({ health }: { health: "none" | "starting" | "healthy" | "unhealthy" }) {
  if (health === "none") return null;
  const tone: Tone = health === "healthy" ? "green" : health === "unhealthy" ? "red" : "blue";
  return (
    <Badge tone={tone} dot={false}>
      {health}
    </Badge>
  );
}

/** Relative time that ticks; the exact timestamp is in the tooltip and the datetime attribute. */
export function RelativeTime({ value, fallback = "never" }: { value: string | number | null | undefined; fallback?: string }) {
  const now = useNow();
  if (value == null) return <span className="text-zinc-400 dark:text-zinc-500">{fallback}</span>;
  const ms = typeof value === "number" ? value : Date.parse(value);
  if (!Number.isFinite(ms)) return <span>{fallback}</span>;
  return (
    <time dateTime={new Date(ms).toISOString()} title={fullTimestamp(ms)} className="whitespace-nowrap tabular-nums">
      {now === 0 ? fullTimestamp(ms) : relativeTime(ms, Math.max(now, ms))}
    </time>
  );
}

export function Skeleton({ className }: { className?: string }) {
  return <span aria-hidden="true" className={cx("skeleton block h-3.5", className)} />;
}

export function ErrorBox({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-red-900 dark:border-red-500/40 dark:bg-red-500/10 dark:text-red-200">
      <p className="font-medium">{title}</p>
      {children && <div className="mt-1 text-red-800 dark:text-red-300">{children}</div>}
      {action && <div className="mt-2">{action}</div>}
    </div>
  );
}

/* ---------- tables ---------- */

export const tableWrapClass =
  "overflow-auto rounded-lg border border-zinc-200 bg-white shadow-sm dark:border-zinc-800 dark:bg-zinc-900";
export const tableClass = "w-full border-separate border-spacing-0 text-left text-[13px]";
export const thClass =
  "sticky top-0 z-10 border-b border-zinc-200 bg-zinc-50/95 px-3 py-2 text-xs font-semibold tracking-wide whitespace-nowrap text-zinc-600 uppercase backdrop-blur dark:border-zinc-800 dark:bg-zinc-900/95 dark:text-zinc-400";
export const tdClass = "border-b border-zinc-100 px-3 py-1.5 align-middle dark:border-zinc-800/70";
export const trClass = "hover:bg-zinc-50 dark:hover:bg-zinc-800/40 [&:last-child>td]:border-b-0";

export function SkeletonRows({ columns, rows = 4 }: { columns: number; rows?: number }) {
  return (
    <>
      {Array.from({ length: rows }, (_, r) => (
        <tr key={r} aria-hidden="true">
          {Array.from({ length: columns }, (_, c) => (
            <td key={c} className={tdClass}>
              <Skeleton className={c === 0 ? "w-32" : "w-16"} />
            </td>
          ))}
        </tr>
      ))}
    </>
  );
}

/** The retry action of an ErrorBox. */
export function RetryButton({ onRetry }: { onRetry: () => unknown }) {
  return (
    <button type="button" className={buttonClass.secondary} onClick={() => void onRetry()}>
      Retry
    </button>
  );
}

/** A form's error message: the one role="alert" on the page. */
export function FormError({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p role="alert" className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-red-800 dark:border-red-500/40 dark:bg-red-500/10 dark:text-red-300">
      {message}
    </p>
  );
}

/* ---------- forms, dialogs and confirmations (admin, audit and settings screens) ---------- */

export const labelClass = "mb-1 block text-xs font-medium text-zinc-700 dark:text-zinc-300";
export const hintClass = "mt-1 text-xs text-zinc-500 dark:text-zinc-400";
/** Compact buttons for table rows (same looks, smaller padding and text; no conflicting utilities). */
export const smallButtonClass = {
  secondary: buttonClass.secondary.replace("px-3 py-1.5 text-sm", "px-2 py-0.5 text-xs"),
  danger: buttonClass.danger.replace("px-3 py-1.5 text-sm", "px-2 py-0.5 text-xs"),
  ghost: buttonClass.ghost.replace("px-2 py-1 text-sm", "px-1.5 py-0.5 text-xs"),
};

/** A page title with an optional one-line description and actions on the right. */
export function PageHeader({ title, description, actions }: { title: string; description?: ReactNode; actions?: ReactNode }) {
  return (
    <div className="flex flex-wrap items-end justify-between gap-3">
      <div>
        <h1 className="text-xl font-semibold tracking-tight">{title}</h1>
        {description && <p className="mt-0.5 text-zinc-600 dark:text-zinc-400">{description}</p>}
      </div>
      {actions && <div className="flex flex-wrap items-center gap-2">{actions}</div>}
    </div>
  );
}

/** A titled card. */
export function Section({ title, description, actions, children }: { title: string; description?: ReactNode; actions?: ReactNode; children: ReactNode }) {
  const id = useId();
  return (
    <section aria-labelledby={id} className="rounded-lg border border-zinc-200 bg-white p-4 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
      <div className="mb-3 flex flex-wrap items-start justify-between gap-2">
        <div>
          <h2 id={id} className="text-sm font-semibold">
            {title}
          </h2>
          {description && <p className="mt-0.5 text-xs text-zinc-600 dark:text-zinc-400">{description}</p>}
        </div>
        {actions}
      </div>
      {children}
    </section>
  );
}

/** The "nothing here yet" panel of a list. */
export function EmptyState({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="rounded-lg border border-dashed border-zinc-300 bg-white px-6 py-10 text-center dark:border-zinc-700 dark:bg-zinc-900">
      <p className="text-base font-medium">{title}</p>
      {children && <p className="mx-auto mt-1 max-w-md text-zinc-600 dark:text-zinc-400">{children}</p>}
      {action && <div className="mt-4">{action}</div>}
    </div>
  );
}

/**
 * A modal dialog (native <dialog>: focus trap, Escape). The dialog closes itself; `onClose` runs on
 * every way out (Escape, the close button, a click on the backdrop).
 */
export function Modal({ title, description, onClose, children, widthClass = "w-[min(36rem,calc(100vw-2rem))]" }: {
  title: string;
  description?: ReactNode;
  onClose: () => void;
  children: (close: () => void) => ReactNode;
  widthClass?: string;
}) {
  const id = useId();
  const ref = useRef<HTMLDialogElement>(null);
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (!dialog.open) dialog.showModal();
    const handler = () => onCloseRef.current();
    dialog.addEventListener("close", handler);
    return () => dialog.removeEventListener("close", handler);
  }, []);
  const close = () => ref.current?.close();
  return (
    <dialog
      ref={ref}
      aria-labelledby={`${id}-title`}
      className={cx("m-auto max-h-[calc(100dvh-2rem)] rounded-xl border border-zinc-200 bg-white p-0 text-zinc-900 shadow-2xl dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100", widthClass)}
      onClick={(e) => {
        if (e.target === e.currentTarget) close();
      }}
    >
      <div className="p-5">
        <div className="mb-4 flex items-start justify-between gap-4">
          <div>
            <h2 id={`${id}-title`} className="text-base font-semibold">
              {title}
            </h2>
            {description && <p className="mt-0.5 text-zinc-600 dark:text-zinc-400">{description}</p>}
          </div>
          <button type="button" aria-label="Close" className={buttonClass.ghost} onClick={close}>
            <svg aria-hidden="true" viewBox="0 0 20 20" fill="currentColor" className="size-4">
              <path d="M6.28 5.22a.75.75 0 0 0-1.06 1.06L8.94 10l-3.72 3.72a.75.75 0 1 0 1.06 1.06L10 11.06l3.72 3.72a.75.75 0 0 0 1.06-1.06L11.06 10l3.72-3.72a.75.75 0 0 0-1.06-1.06L10 8.94 6.28 5.22Z" />
            </svg>
          </button>
        </div>
        {children(close)}
      </div>
    </dialog>
  );
}

/** The Cancel + submit row at the bottom of a dialog's form. */
export function DialogButtons({ onCancel, pending, submitLabel, pendingLabel }: { onCancel: () => void; pending: boolean; submitLabel: string; pendingLabel: string }) {
  return (
    <div className="flex justify-end gap-2 pt-1">
      <button type="button" className={buttonClass.secondary} onClick={onCancel}>
        Cancel
      </button>
      <button type="submit" className={buttonClass.primary} disabled={pending}>
        {pending ? pendingLabel : submitLabel}
      </button>
    </div>
  );
}

/**
 * A destructive action in two steps: the first click asks, the second acts. The question is a
 * labelled group ("Confirm <label>") so it can be found by role and name.
 */
export function ConfirmButton({ label, accessibleName, prompt, pending, onConfirm, small = true, variant = "secondary" }: {
  label: string;
  accessibleName?: string;
  prompt: ReactNode;
  pending: boolean;
  onConfirm: () => void;
  small?: boolean;
  variant?: "secondary" | "danger";
}) {
  const [asking, setAsking] = useState(false);
  const cls = small ? smallButtonClass : buttonClass;
  if (!asking) {
    return (
      <button type="button" aria-label={accessibleName} className={cls[variant]} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  }
  return (
    <span role="group" aria-label={`Confirm ${accessibleName ?? label}`} className="inline-flex flex-wrap items-center gap-1.5">
      <span className="text-xs text-zinc-700 dark:text-zinc-300">{prompt}</span>
      <button type="button" autoFocus className={cls.danger} disabled={pending} onClick={onConfirm}>
        {pending ? "Working…" : `Confirm ${label.toLowerCase()}`}
      </button>
      <button type="button" className={cls.ghost} onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}

/** A small removable chip ("viewer @ All hosts ×"). */
export function Chip({ children, onRemove, removeLabel, pending, tone = "gray" }: {
  children: ReactNode;
  onRemove?: () => void;
  removeLabel?: string;
  pending?: boolean;
  tone?: Tone;
}) {
  return (
    <span className={cx("inline-flex items-center gap-1 rounded-full py-0.5 pl-2 text-xs font-medium whitespace-nowrap ring-1 ring-inset", onRemove ? "pr-0.5" : "pr-2", toneClass[tone])}>
      <span>{children}</span>
      {onRemove && (
        <button
          type="button"
          aria-label={removeLabel}
          title={removeLabel}
          disabled={pending}
          onClick={onRemove}
          className="inline-flex size-4 items-center justify-center rounded-full hover:bg-black/10 disabled:opacity-50 dark:hover:bg-white/15"
        >
          <svg aria-hidden="true" viewBox="0 0 20 20" fill="currentColor" className="size-3">
            <path d="M6.28 5.22a.75.75 0 0 0-1.06 1.06L8.94 10l-3.72 3.72a.75.75 0 1 0 1.06 1.06L10 11.06l3.72 3.72a.75.75 0 0 0 1.06-1.06L11.06 10l3.72-3.72a.75.75 0 0 0-1.06-1.06L10 8.94 6.28 5.22Z" />
          </svg>
        </button>
      )}
    </span>
  );
}

/** Copies text; plain-http deployments have no async clipboard, so the element's text is selected and copied. */
export function useCopy(): { copied: "ok" | "failed" | null; copy: (text: string, el: HTMLElement | null) => Promise<void> } {
  const [copied, setCopied] = useState<"ok" | "failed" | null>(null);
  const copy = async (text: string, el: HTMLElement | null) => {
    try {
      if (navigator.clipboard && window.isSecureContext) await navigator.clipboard.writeText(text);
      else {
        const range = document.createRange();
        if (!el) throw new Error("nothing to select");
        range.selectNodeContents(el);
        const sel = window.getSelection();
        sel?.removeAllRanges();
        sel?.addRange(range);
        if (!document.execCommand("copy")) throw new Error("copy refused");
      }
      setCopied("ok");
    } catch {
      setCopied("failed");
    }
    window.setTimeout(() => setCopied(null), 2500);
  };
  return { copied, copy };
}

/** A time that is usually ahead ("in 6 d"), such as an expiry; past ones read "… ago". */
export function FutureTime({ value, fallback = "never" }: { value: string | null; fallback?: string }) {
  const now = useNow();
  if (value == null) return <span className="text-zinc-400 dark:text-zinc-500">{fallback}</span>;
  const ms = Date.parse(value);
  return (
    <time dateTime={value} title={fullTimestamp(ms)} className="whitespace-nowrap tabular-nums">
      {now === 0 ? fullTimestamp(ms) : relativeTime(ms, now)}
    </time>
  );
}

/**
 * The standard list table: header row (an empty column name is an actions column, named for screen
 * readers), skeleton rows while loading, and one centred message row when `empty` is given.
 */
export function DataTable({ label, columns, rightAligned = [], busy, empty = null, skeletonRows = 3, wrapClass, children }: {
  label: string;
  columns: readonly string[];
  rightAligned?: readonly string[];
  busy: boolean;
  empty?: ReactNode;
  skeletonRows?: number;
  wrapClass?: string;
  children?: ReactNode;
}) {
  return (
    <div className={cx(tableWrapClass, wrapClass)}>
      <table aria-label={label} aria-busy={busy} className={tableClass}>
        <thead>
          <tr>
            {columns.map((c, i) => (
              <th key={i} scope="col" className={cx(thClass, rightAligned.includes(c) && "text-right")}>
                {c || <span className="sr-only">Actions</span>}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {busy ? (
            <SkeletonRows columns={columns.length} rows={skeletonRows} />
          ) : empty ? (
            <tr>
              <td colSpan={columns.length} className={cx(tdClass, "py-8 text-center text-zinc-500 dark:text-zinc-400")}>
                {empty}
              </td>
            </tr>
          ) : (
            children
          )}
        </tbody>
      </table>
    </div>
  );
}

/** A query that failed with nothing to show: the server's message and a retry. */
export function LoadError({ title, error, onRetry }: { title: string; error: unknown; onRetry: () => unknown }) {
  return (
    <ErrorBox title={title} action={<RetryButton onRetry={onRetry} />}>
      {trpcMessage(error)}
    </ErrorBox>
  );
}

/** A secret shown once: a labelled dark code block with a Copy button (selects the text where the clipboard API is missing). */
export function CopyBlock({ label, text, hideLabel = false }: { label: string; text: string; hideLabel?: boolean }) {
  const id = useId();
  const codeRef = useRef<HTMLElement>(null);
  const { copied, copy } = useCopy();
  return (
    <div className="space-y-1">
      <p id={id} className={cx("text-sm font-semibold", hideLabel && "sr-only")}>
        {label}
      </p>
      <div className="relative">
        <pre className="max-h-48 overflow-auto rounded-lg border border-zinc-200 bg-zinc-950 p-3 pr-20 text-xs leading-relaxed text-zinc-100 dark:border-zinc-700">
          <code ref={codeRef} aria-labelledby={id} className="font-mono break-all whitespace-pre-wrap">
            {text}
          </code>
        </pre>
        <button
          type="button"
          autoFocus
          onClick={() => void copy(text, codeRef.current)}
          className="absolute top-2 right-2 rounded-md border border-zinc-600 bg-zinc-800 px-2 py-1 text-xs font-medium text-zinc-100 hover:bg-zinc-700"
        >
          {copied === "ok" ? "Copied" : copied === "failed" ? "Copy failed" : "Copy"}
        </button>
      </div>
      <span aria-live="polite" className="sr-only">
        {copied === "ok" ? `${label} copied to the clipboard` : copied === "failed" ? "Could not copy; select the text and copy it manually" : ""}
      </span>
    </div>
  );
}

/** Under a cursor-paged table: how many rows are shown, "load more", and an error from loading more. */
export function PagedFooter({ query, count, noun, moreText, loadLabel, errorTitle }: {
  query: { isPending: boolean; hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => unknown; isError: boolean; data: unknown; error: unknown };
  count: number;
  noun: readonly [singular: string, plural: string];
  moreText: string;
  loadLabel: string;
  errorTitle: string;
}) {
  return (
    <>
      <div className="flex items-center justify-between gap-3">
        <p aria-live="polite" className="text-zinc-600 tabular-nums dark:text-zinc-400">
          {query.isPending ? "Loading…" : `${count} ${count === 1 ? noun[0] : noun[1]} shown${query.hasNextPage ? `; ${moreText}` : ""}`}
        </p>
        {query.hasNextPage && (
          <button type="button" className={buttonClass.secondary} disabled={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()}>
            {query.isFetchingNextPage ? "Loading…" : loadLabel}
          </button>
        )}
      </div>
      {query.isError && query.data != null && <ErrorBox title={errorTitle}>{trpcMessage(query.error as Parameters<typeof trpcMessage>[0])}</ErrorBox>}
    </>
  );
}
