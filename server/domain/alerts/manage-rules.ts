import type { Tx } from "../../db/client";
import { AppError } from "../../errors";
import { toRule, validateRuleSpec, type RuleKind, type RuleParams, type RuleTarget } from "./rule-schemas";

export type RuleSpec = {
  name: string;
  kind: RuleKind;
  params: Record<string, unknown>;
  target?: RuleTarget;
  hostGroupId?: string | null;
  labelSelector?: string | null;
  enabled?: boolean;
  webhookIds?: string[];
};

export type RuleView = {
  id: string;
  name: string;
  kind: RuleKind;
  params: RuleParams[RuleKind];
  target: RuleTarget;
  hostGroupId: string | null;
  hostGroupName: string | null;
  labelSelector: string | null;
  enabled: boolean;
  webhooks: { id: string; name: string }[];
  firing: number;
  updatedAt: string;
};

/** Checks a complete spec and the records it names; returns the row fields to store. */
async function checkedFields(tx: Tx, spec: RuleSpec) {
  const checked = validateRuleSpec({ kind: spec.kind, params: spec.params, target: spec.target, labelSelector: spec.labelSelector });
  if (!checked.ok) throw new AppError("BAD_REQUEST", checked.message);
  if (spec.hostGroupId && !(await tx.hostGroup.count({ where: { id: spec.hostGroupId } }))) throw new AppError("BAD_REQUEST", "no such host group");
  const webhookIds = [...new Set(spec.webhookIds ?? [])];
  if (webhookIds.length && (await tx.webhookTarget.count({ where: { id: { in: webhookIds } } })) !== webhookIds.length) {
    throw new AppError("BAD_REQUEST", "no such webhook");
  }
  return {
    fields: {
      name: spec.name,
      kind: checked.kind,
      params: JSON.stringify(checked.params),
      target: checked.target,
      hostGroupId: spec.hostGroupId ?? null,
      labelSelector: spec.labelSelector || null,
      enabled: spec.enabled ?? true,
    },
    webhookIds,
  };
}

export async function createRule(tx: Tx, spec: RuleSpec, createdById: string | null): Promise<{ id: string; name: string }> {
  const { fields, webhookIds } = await checkedFields(tx, spec);
  return tx.alertRule.create({ data: { ...fields, createdById, webhooks: { connect: webhookIds.map((id) => ({ id })) } }, select: { id: true, name: true } });
}

/** Changes the fields given; the merged rule is checked as a whole. */
export async function updateRule(tx: Tx, ruleId: string, patch: Partial<RuleSpec>): Promise<void> {
  const row = await tx.alertRule.findUnique({ where: { id: ruleId }, include: { webhooks: { select: { id: true } } } });
  const current = row && toRule(row);
  if (!row) throw new AppError("NOT_FOUND", "no such alert rule");
  const kindChanged = patch.kind !== undefined && patch.kind !== row.kind;
  const merged: RuleSpec = {
    name: patch.name ?? row.name,
    kind: patch.kind ?? (row.kind as RuleKind),
    // Parameters of another kind mean nothing for the new one.
    params: patch.params ?? (kindChanged ? {} : ((current?.params as Record<string, unknown> | undefined) ?? {})),
    target: patch.target ?? (kindChanged ? undefined : (row.target as RuleTarget)),
    hostGroupId: patch.hostGroupId !== undefined ? patch.hostGroupId : row.hostGroupId,
    labelSelector: patch.labelSelector !== undefined ? patch.labelSelector : row.labelSelector,
    enabled: patch.enabled ?? row.enabled,
    webhookIds: patch.webhookIds ?? row.webhooks.map((w) => w.id),
  };
  const { fields, webhookIds } = await checkedFields(tx, merged);
  await tx.alertRule.update({ where: { id: ruleId }, data: { ...fields, webhooks: { set: webhookIds.map((id) => ({ id })) } } });
}

export async function deleteRule(tx: Tx, ruleId: string): Promise<void> {
  const { count } = await tx.alertRule.deleteMany({ where: { id: ruleId } });
  if (count === 0) throw new AppError("NOT_FOUND", "no such alert rule");
}

export async function listRules(tx: Tx): Promise<RuleView[]> {
  const [rows, groups, firing] = await Promise.all([
    tx.alertRule.findMany({ orderBy: { name: "asc" }, include: { webhooks: { select: { id: true, name: true }, orderBy: { name: "asc" } } } }),
    tx.hostGroup.findMany({ select: { id: true, name: true } }),
    tx.alert.groupBy({ by: ["ruleId"], where: { state: "firing" }, _count: { _all: true } }),
  ]);
  const groupName = new Map(groups.map((g) => [g.id, g.name]));
  const firingBy = new Map(firing.map((f) => [f.ruleId, f._count._all]));
  return rows.flatMap((row) => {
    const rule = toRule(row);
    if (!rule) return [];
    return [{
      id: row.id, name: row.name, kind: rule.kind, params: rule.params, target: rule.target, hostGroupId: row.hostGroupId,
      hostGroupName: row.hostGroupId ? (groupName.get(row.hostGroupId) ?? null) : null, labelSelector: row.labelSelector,
      enabled: row.enabled, webhooks: row.webhooks, firing: firingBy.get(row.id) ?? 0, updatedAt: row.updatedAt.toISOString(),
    }];
  });
}
