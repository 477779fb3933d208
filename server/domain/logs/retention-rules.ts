import type { LogRetentionRule } from "../../db/generated/client";

export type RetentionRule = Pick<LogRetentionRule, "id" | "hostId" | "label" | "maxMb" | "maxDays">;

/** "key=value" → [key, value]; a bare "key" matches any value. */
export function parseLabelSelector(label: string): [string, string | null] {
  const eq = label.indexOf("=");
  return eq < 0 ? [label, null] : [label.slice(0, eq), label.slice(eq + 1)];
}

/** The rule that keeps a container's logs: its host's, or a label rule it matches; the most generous wins. */
export function ruleFor(rules: readonly RetentionRule[], hostId: string, labels: Record<string, string>): RetentionRule | null {
  const matching = rules.filter((r) => {
    if (r.hostId && r.hostId !== hostId) return false;
    if (!r.label) return !!r.hostId;
    const [key, value] = parseLabelSelector(r.label);
    return Object.hasOwn(labels, key) && (value === null || labels[key] === value);
  });
  if (!matching.length) return null;
  return matching.reduce((a, b) => (b.maxMb * 1000 + b.maxDays > a.maxMb * 1000 + a.maxDays ? b : a));
}
