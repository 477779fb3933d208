"use client";

import type { ReactNode } from "react";
import { fullTimestamp, relativeTime } from "./format";
import type { ContainerState } from "./trpc";
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

export function OnlineBadge({ online }: { online: boolean }) {
  return <Badge tone={online ? "green" : "gray"}>{online ? "online" : "offline"}</Badge>;
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
