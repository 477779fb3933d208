import { SEVERITIES, type Severity } from "../../../agents/protocol/inspector";
import { Badge, cx } from "../ui";

export const severityTone = { critical: "red", high: "amber", medium: "violet", low: "blue", info: "gray" } as const;
const barClass: Record<Severity, string> = {
  critical: "bg-red-500", high: "bg-amber-500", medium: "bg-violet-500", low: "bg-sky-500", info: "bg-zinc-400 dark:bg-zinc-500",
};
export const SEVERITY_RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };

export function SeverityBadge({ severity }: { severity: Severity }) {
  return <Badge tone={severityTone[severity]}>{severity}</Badge>;
}

/**
 * Counts by severity as buttons (a click filters to that severity) over one stacked bar, so the mix
 * reads at a glance.
 */
export function SeverityCounts({ counts, selected, onSelect }: { counts: Record<Severity, number>; selected?: string; onSelect?: (s: Severity | "") => void }) {
  const total = SEVERITIES.reduce((n, s) => n + counts[s], 0);
  return (
    <div className="space-y-2">
      <div role="group" aria-label="Findings by severity" className="grid grid-cols-5 gap-2">
        {SEVERITIES.map((s) => (
          <button
            key={s}
            type="button"
            disabled={!onSelect}
            aria-pressed={selected === s}
            onClick={() => onSelect?.(selected === s ? "" : s)}
            data-testid={`count-${s}`}
            className={cx(
              "rounded-lg border bg-white px-3 py-2 text-left shadow-sm dark:bg-zinc-900",
              selected === s ? "border-sky-500 ring-1 ring-sky-500" : "border-zinc-200 dark:border-zinc-800",
              onSelect && "hover:border-zinc-400 dark:hover:border-zinc-600",
            )}
          >
            <span className="flex items-center gap-1.5 text-xs text-zinc-600 capitalize dark:text-zinc-400">
              <span aria-hidden="true" className={cx("size-2 rounded-full", barClass[s])} />
              {s}
            </span>
            <span className="text-xl font-semibold tabular-nums">{counts[s]}</span>
          </button>
        ))}
      </div>
      <div aria-hidden="true" className="flex h-2 overflow-hidden rounded-full bg-zinc-100 dark:bg-zinc-800">
        {total > 0 && SEVERITIES.map((s) => <span key={s} className={barClass[s]} style={{ width: `${(counts[s] / total) * 100}%` }} />)}
      </div>
    </div>
  );
}

export function countBySeverity(findings: { severity: Severity }[]): Record<Severity, number> {
  const out = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
  for (const f of findings) out[f.severity]++;
  return out;
}
