import { z } from "zod";

/** The kinds of rule the engine can evaluate. */
export const RULE_KINDS = ["host_offline", "container_died", "container_unhealthy", "container_restarting", "cpu_above", "memory_above"] as const;
export const ZRuleKind = z.enum(RULE_KINDS);
export type RuleKind = z.infer<typeof ZRuleKind>;

const seconds = z.number().int().min(0).max(86_400);

/** Parameters of each kind; unknown keys are refused so a typo never silently means "default". */
export const PARAM_SCHEMAS = {
  host_offline: z.object({ seconds: seconds.min(1) }).strict(),
  container_died: z.object({ ignoreCleanExit: z.boolean().default(true) }).strict(),
  container_unhealthy: z.object({ seconds: seconds.default(0) }).strict(),
  container_restarting: z.object({ count: z.number().int().min(1).max(1000), minutes: z.number().int().min(1).max(1440) }).strict(),
  cpu_above: z.object({ threshold: z.number().min(0.1).max(100), seconds }).strict(),
  memory_above: z.object({ threshold: z.number().min(0.1).max(100), seconds }).strict(),
} as const satisfies Record<RuleKind, z.ZodType>;

export type RuleParams = { [K in RuleKind]: z.output<(typeof PARAM_SCHEMAS)[K]> };

export const ZRuleTarget = z.enum(["host", "container"]);
export type RuleTarget = z.infer<typeof ZRuleTarget>;

/** `key=value` (exact value) or `key` (any value); Docker label keys are dotted names. */
export const ZLabelSelector = z
  .string()
  .trim()
  .max(300)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._\/-]{0,199}(=[^\s=][^=]{0,98})?$/, "a label selector: key=value, or key for any value");

export type LabelSelector = { key: string; value: string | null };

export function parseLabelSelector(text: string | null | undefined): LabelSelector | null {
  if (!text) return null;
  const at = text.indexOf("=");
  return at < 0 ? { key: text, value: null } : { key: text.slice(0, at), value: text.slice(at + 1) };
}

/** The fixed target of each kind; only cpu/memory rules choose between host and container. */
export function targetOf(kind: RuleKind, requested: RuleTarget | undefined): RuleTarget {
  if (kind === "host_offline") return "host";
  if (kind === "cpu_above" || kind === "memory_above") return requested ?? "host";
  return "container";
}

/** A rule as stored, checked again whenever it is read back (the database is an outside input too). */
export type Rule = {
  id: string;
  name: string;
  kind: RuleKind;
  params: RuleParams[RuleKind];
  target: RuleTarget;
  hostGroupId: string | null;
  labelSelector: LabelSelector | null;
  enabled: boolean;
  webhookIds: string[];
};

export type StoredRule = {
  id: string;
  name: string;
  kind: string;
  params: string;
  target: string;
  hostGroupId: string | null;
  labelSelector: string | null;
  enabled: boolean;
  webhooks: { id: string }[];
};

/** Validates kind + params (+ target/selector rules); returns the normalised parts or a readable error. */
export function validateRuleSpec(spec: { kind: string; params: unknown; target?: string; labelSelector?: string | null }):
  | { ok: true; kind: RuleKind; params: RuleParams[RuleKind]; target: RuleTarget }
  | { ok: false; message: string } {
  const kind = ZRuleKind.safeParse(spec.kind);
  if (!kind.success) return { ok: false, message: `kind must be one of ${RULE_KINDS.join(", ")}` };
  const params = PARAM_SCHEMAS[kind.data].safeParse(spec.params ?? {});
  if (!params.success) {
    const issue = params.error.issues[0];
    return { ok: false, message: `params${issue?.path.length ? `.${issue.path.join(".")}` : ""}: ${issue?.message ?? "invalid"}` };
  }
  const requested = spec.target === undefined ? undefined : ZRuleTarget.safeParse(spec.target);
  if (requested && !requested.success) return { ok: false, message: "target must be host or container" };
  const target = targetOf(kind.data, requested?.data);
  if (requested?.data && requested.data !== target) return { ok: false, message: `${kind.data} rules always watch a ${target}` };
  if (spec.labelSelector && target === "host") return { ok: false, message: "a label selector only applies to rules that watch containers" };
  return { ok: true, kind: kind.data, params: params.data, target };
}

export function toRule(row: StoredRule): Rule | null {
  let raw: unknown;
  try {
    raw = JSON.parse(row.params);
  } catch {
    return null;
  }
  const spec = validateRuleSpec({ kind: row.kind, params: raw, target: row.target, labelSelector: row.labelSelector });
  if (!spec.ok) return null;
  return {
    id: row.id,
    name: row.name,
    kind: spec.kind,
    params: spec.params,
    target: spec.target,
    hostGroupId: row.hostGroupId,
    labelSelector: parseLabelSelector(row.labelSelector),
    enabled: row.enabled,
    webhookIds: row.webhooks.map((w) => w.id),
  };
}
