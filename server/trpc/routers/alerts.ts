import { z } from "zod";
import { recordAudit, withAudit } from "../../domain/audit/record-audit";
import { acknowledgeAlert, listAlerts } from "../../domain/alerts/list-alerts";
import { createRule, deleteRule, listRules, updateRule } from "../../domain/alerts/manage-rules";
import { listWebhooks, testWebhook, urlOrigin } from "../../domain/alerts/manage-webhooks";
import { ZLabelSelector, ZRuleKind, ZRuleTarget } from "../../domain/alerts/rule-schemas";
import { checkWebhookUrl, sendWebhook } from "../../domain/alerts/webhook-sender";
import { auditActor, authenticatedProcedure, globalProcedure, hostProcedure, listProcedure, router } from "../init";
import { ZId, ZName } from "../zod-common";

// Parameters are checked per kind in the domain (rule-schemas.ts), with a message naming the field.
const ZParams = z.record(z.string().max(32), z.union([z.number(), z.boolean()])).refine((p) => Object.keys(p).length <= 8, "too many parameters");
const ZSelector = z.union([ZLabelSelector, z.literal("")]).nullable();
const ZRuleFields = {
  name: ZName,
  kind: ZRuleKind,
  params: ZParams.default({}),
  target: ZRuleTarget.optional(),
  hostGroupId: ZId.nullable().optional(),
  labelSelector: ZSelector.optional(),
  enabled: z.boolean().optional(),
  webhookIds: z.array(ZId).max(20).optional(),
};

const rulesRouter = router({
  /** Every rule (rules hold no secrets; anyone signed in may see what is watched). */
  list: authenticatedProcedure.query(({ ctx }) => listRules(ctx.services.db)),

  create: globalProcedure("alert:manage")
    .input(z.object(ZRuleFields))
    .mutation(async ({ ctx, input }) => {
      const rule = await withAudit(ctx.services.db, (r: { id: string }) => ({ ...auditActor(ctx), action: "alert.rule.create", target: r.id, params: { ...input }, result: "ok" }), (tx) =>
        createRule(tx, input, ctx.actor.id),
      );
      await ctx.services.alerts.reload();
      return rule;
    }),

  /** Changes the fields given; the resulting rule is validated as a whole. */
  update: globalProcedure("alert:manage")
    .input(z.object({ ruleId: ZId, ...ZRuleFields, name: ZName.optional(), kind: ZRuleKind.optional(), params: ZParams.optional() }))
    .mutation(async ({ ctx, input }) => {
      const { ruleId, ...patch } = input;
      await withAudit(ctx.services.db, { ...auditActor(ctx), action: "alert.rule.update", target: ruleId, params: { ...patch }, result: "ok" }, (tx) => updateRule(tx, ruleId, patch));
      await ctx.services.alerts.reload();
      return { ok: true as const };
    }),

  /** Its firing alerts resolve ("rule deleted"); its history stays. */
  delete: globalProcedure("alert:manage")
    .input(z.object({ ruleId: ZId }))
    .mutation(async ({ ctx, input }) => {
      await withAudit(ctx.services.db, { ...auditActor(ctx), action: "alert.rule.delete", target: input.ruleId, result: "ok" }, (tx) => deleteRule(tx, input.ruleId));
      await ctx.services.alerts.reload();
      return { ok: true as const };
    }),
});

const ZWebhookUrl = z.string().trim().max(2000).superRefine((url, c) => {
  const problem = checkWebhookUrl(url);
  if (problem) c.addIssue({ code: "custom", message: problem });
});

const webhooksRouter = router({
  list: globalProcedure("alert:manage").query(({ ctx }) => listWebhooks(ctx.services.db)),

  /** The secret (optional) signs every body with HMAC-SHA256; it is stored for signing and never shown again. */
  create: globalProcedure("alert:manage")
    .input(z.object({ name: ZName, url: ZWebhookUrl, secret: z.string().min(16).max(256).nullable().optional() }))
    .mutation(async ({ ctx, input }) => {
      const audit = { ...auditActor(ctx), action: "alert.webhook.create", target: input.name, params: { origin: urlOrigin(input.url), signed: Boolean(input.secret) }, result: "ok" };
      return withAudit(ctx.services.db, audit, (tx) =>
        tx.webhookTarget.create({ data: { name: input.name, url: input.url, secret: input.secret || null }, select: { id: true, name: true } }),
      );
    }),

  delete: globalProcedure("alert:manage")
    .input(z.object({ webhookId: ZId }))
    .mutation(async ({ ctx, input }) => {
      await withAudit(ctx.services.db, { ...auditActor(ctx), action: "alert.webhook.delete", target: input.webhookId, result: "ok" }, (tx) =>
        tx.webhookTarget.delete({ where: { id: input.webhookId } }),
      );
      await ctx.services.alerts.reload();
      return { ok: true as const };
    }),

  /** Sends one test notification now (no retries) and reports the outcome; a failure is a result, not an error. */
  test: globalProcedure("alert:manage")
    .input(z.object({ webhookId: ZId }))
    .mutation(async ({ ctx, input }) => {
      const result = await testWebhook(ctx.services.db, sendWebhook, input.webhookId);
      await recordAudit(ctx.services.db, { ...auditActor(ctx), action: "alert.webhook.test", target: input.webhookId, params: { status: result.status }, result: result.ok ? "ok" : `error: ${result.error}` });
      return result;
    }),
});

export const alertsRouter = router({
  rules: rulesRouter,
  webhooks: webhooksRouter,

  /** Alerts of the hosts the caller may read (firing and history), newest first, with firing counts. */
  list: listProcedure("host:read")
    .input(
      z
        .object({
          state: z.enum(["firing", "resolved"]).optional(),
          hostId: ZId.optional(),
          cursor: z.string().max(64).optional(),
          limit: z.number().int().min(1).max(200).default(50),
        })
        .default({ limit: 50 }),
    )
    .query(({ ctx, input }) => {
      const { cursor, limit, ...filter } = input;
      return listAlerts(ctx.services.db, ctx.actor.access, filter, { cursor, limit });
    }),

  /** Needs alert:ack on the alert's host; the alert must be on the host named. */
  acknowledge: hostProcedure("alert:ack")
    .input(z.object({ hostId: ZId, alertId: ZId }))
    .mutation(async ({ ctx, input }) => {
      const alert = await withAudit(ctx.services.db, { ...auditActor(ctx), hostId: input.hostId, action: "alert.acknowledge", target: input.alertId, result: "ok" }, (tx) =>
        acknowledgeAlert(tx, input.hostId, input.alertId, ctx.actor.email),
      );
      ctx.services.registry.emit("changed", input.hostId, "alerts");
      return alert;
    }),
});
