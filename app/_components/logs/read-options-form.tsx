"use client";

import { useState } from "react";
import { DEFAULT_LOG_TAIL, MAX_LOG_TAIL } from "../../../agents/protocol/logs";
import type { ViewerOptions } from "./log-subscriptions";
import { buttonClass, cx, inputClass } from "../ui";

export const DEFAULT_VIEWER_OPTIONS: ViewerOptions = { tail: DEFAULT_LOG_TAIL, follow: true };

/** datetime-local (the reader's local time) → RFC3339 UTC, as the protocol's since/until take it. */
const toRfc3339 = (local: string) => (local ? new Date(local).toISOString() : undefined);

/** Tail N, since/until a local time, follow: applied together (the viewer starts over). */
export function ReadOptionsForm({ value, onApply }: { value: ViewerOptions; onApply: (o: ViewerOptions) => void }) {
  const [tail, setTail] = useState(String(value.tail));
  const [since, setSince] = useState("");
  const [until, setUntil] = useState("");
  const [follow, setFollow] = useState(value.follow);
  const tailNum = Number(tail);
  const tailOk = Number.isInteger(tailNum) && tailNum >= 0 && tailNum <= MAX_LOG_TAIL;
  const rangeOk = !since || !until || new Date(since) < new Date(until);
  const small = cx(inputClass, "w-auto py-0.5 text-xs");
  return (
    <form
      aria-label="What to read"
      className="flex flex-wrap items-end gap-3 text-xs"
      onSubmit={(e) => {
        e.preventDefault();
        if (!tailOk || !rangeOk) return;
        onApply({ tail: tailNum, since: toRfc3339(since), until: toRfc3339(until), follow: follow && !until });
      }}
    >
      <label className="flex flex-col gap-0.5">
        <span className="font-medium text-zinc-700 dark:text-zinc-300">Tail (lines)</span>
        <input type="number" min={0} max={MAX_LOG_TAIL} value={tail} onChange={(e) => setTail(e.target.value)} className={cx(small, "w-24")} aria-invalid={!tailOk || undefined} />
      </label>
      <label className="flex flex-col gap-0.5">
        <span className="font-medium text-zinc-700 dark:text-zinc-300">Since (local time)</span>
        <input type="datetime-local" step={1} value={since} onChange={(e) => setSince(e.target.value)} className={small} />
      </label>
      <label className="flex flex-col gap-0.5">
        <span className="font-medium text-zinc-700 dark:text-zinc-300">Until (local time)</span>
        <input type="datetime-local" step={1} value={until} onChange={(e) => setUntil(e.target.value)} className={small} aria-invalid={!rangeOk || undefined} />
      </label>
      <label className="inline-flex items-center gap-1 pb-1">
        <input type="checkbox" checked={follow && !until} disabled={!!until} onChange={(e) => setFollow(e.target.checked)} /> Follow
      </label>
      <button type="submit" className={cx(buttonClass.secondary, "py-0.5 text-xs")} disabled={!tailOk || !rangeOk}>
        Apply
      </button>
      {!tailOk && <span role="alert" className="pb-1 text-red-700 dark:text-red-400">Tail must be 0–{MAX_LOG_TAIL.toLocaleString()}.</span>}
      {!rangeOk && <span role="alert" className="pb-1 text-red-700 dark:text-red-400">“Since” must be before “Until”.</span>}
    </form>
  );
}
