"use client";

import type { StreamStatus } from "./log-subscriptions";
import { Badge, smallButtonClass } from "../ui";

const TONE = { subscribing: "gray", live: "green", reconnecting: "amber", ended: "gray", error: "red" } as const;
const LABEL = { subscribing: "opening…", live: "live", reconnecting: "resuming…", ended: "ended", error: "error" } as const;

/** Where each stream stands: one badge per stream (with the end reason or error), or a summary for many. */
export function StreamStatusBadges({ statuses, connected, onRetry }: { statuses: StreamStatus[]; connected: boolean; onRetry?: () => void }) {
  if (!connected) return <Badge tone="gray">connecting…</Badge>;
  if (statuses.length === 0) return null;
  const retry = onRetry && statuses.some((s) => s.state === "error") && (
    <button type="button" className={smallButtonClass.secondary} onClick={onRetry}>
      Retry
    </button>
  );
  if (statuses.length <= 3) {
    return (
      <>
        {statuses.map((s) => (
          <span key={s.key} className="inline-flex items-center gap-1" data-testid="stream-status" data-state={s.state}>
            <Badge tone={TONE[s.state]} title={s.message ?? undefined}>
              {statuses.length > 1 ? `${s.target.containerName}: ${LABEL[s.state]}` : LABEL[s.state]}
            </Badge>
            {s.message && <span className="max-w-md truncate" title={s.message}>{s.message}</span>}
          </span>
        ))}
        {retry}
      </>
    );
  }
  const counts = new Map<string, number>();
  for (const s of statuses) counts.set(s.state, (counts.get(s.state) ?? 0) + 1);
  const problems = statuses.filter((s) => s.message);
  return (
    <>
      {[...counts].map(([state, n]) => (
        <Badge key={state} tone={TONE[state as keyof typeof TONE]}>{`${n} ${LABEL[state as keyof typeof LABEL]}`}</Badge>
      ))}
      {problems.length > 0 && (
        <span className="max-w-md truncate" title={problems.map((p) => `${p.target.hostName}/${p.target.containerName}: ${p.message}`).join("\n")}>
          {problems[0]!.target.containerName}: {problems[0]!.message}
          {problems.length > 1 ? ` (+${problems.length - 1} more)` : ""}
        </span>
      )}
      {retry}
    </>
  );
}
