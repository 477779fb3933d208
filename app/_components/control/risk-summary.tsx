"use client";

import type { IsolationRisk } from "../../../server/domain/containers/isolation-policy";
import { Badge } from "../ui";

const tone = { critical: "red", high: "amber", medium: "gray" } as const;

/** Every isolation risk of the spec, and whether the server will accept them from this caller. */
export function RiskSummary({ risks, mayAccept, hostName }: { risks: IsolationRisk[]; mayAccept: boolean; hostName: string }) {
  if (risks.length === 0) {
    return (
      <section aria-label="Isolation" className="rounded-lg border border-emerald-300 bg-emerald-50 p-3 text-emerald-900 dark:border-emerald-500/30 dark:bg-emerald-500/10 dark:text-emerald-200">
        <p className="font-medium">Isolation: Docker defaults or stricter</p>
        <p className="mt-0.5 text-xs">Nothing in this spec weakens the container&apos;s isolation from the host.</p>
      </section>
    );
  }
  return (
    <section
      aria-label="Isolation risks"
      className={
        mayAccept
          ? "rounded-lg border border-amber-300 bg-amber-50 p-3 text-amber-950 dark:border-amber-500/40 dark:bg-amber-500/10 dark:text-amber-100"
          : "rounded-lg border border-red-300 bg-red-50 p-3 text-red-950 dark:border-red-500/40 dark:bg-red-500/10 dark:text-red-100"
      }
    >
      <p className="font-medium">
        {risks.length} isolation {risks.length === 1 ? "risk" : "risks"}
      </p>
      <ul className="mt-2 space-y-1.5">
        {risks.map((r, i) => (
          <li key={`${r.code}-${i}`} className="flex items-start gap-2 text-xs">
            <Badge tone={tone[r.severity]} dot={false}>
              {r.severity}
            </Badge>
            <span>{r.message}</span>
          </li>
        ))}
      </ul>
      <p className="mt-2 text-xs" data-testid="privilege-verdict">
        {mayAccept ? (
          <>You hold <code className="font-mono">container:create:privileged</code> on {hostName}: the server will accept these settings and audit them.</>
        ) : (
          <>
            <strong>The server will refuse this container:</strong> settings that weaken isolation need <code className="font-mono">container:create:privileged</code> on {hostName}, which your role does not hold. Remove them, or ask an administrator.
          </>
        )}
      </p>
    </section>
  );
}
