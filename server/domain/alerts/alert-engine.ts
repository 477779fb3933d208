import { EventEmitter } from "node:events";
import type { Db } from "../../db/client";
import type { Log } from "../../log";
import type { HostRegistry } from "../../realtime/host-registry";
import type { AccessChanges } from "../access/access-changes";
import type { DockerEventFeed } from "../events/event-feed";
import type { DockerEventItem } from "../events/event-item";
import type { MetricFeed, MetricSample } from "../metrics/metric-feed";
import { createFiring, loadFiring, pruneHistory, refreshFiring, resolveFiring, type FiringAlert } from "./alert-store";
import { evaluateRules, goneReason, type Judgement } from "./evaluate-rules";
import { hostsInScope, labelsMatch, loadFleetView, type FleetView } from "./fleet-scope";
import { Observations } from "./observations";
import { toRule, type Rule } from "./rule-schemas";
import { WebhookDeliveries, type DeliveryOptions } from "./webhook-deliveries";
import { webhookBody, type AlertView } from "./webhook-payload";
import type { SendWebhook } from "./webhook-sender";

export type AlertEngineDeps = {
  db: Db;
  registry: HostRegistry;
  dockerEvents: DockerEventFeed;
  metrics: MetricFeed;
  accessChanges?: AccessChanges;
  log: Log;
  send?: SendWebhook;
};

export type AlertEngineOptions = {
  /** How often time-based rules (offline for N s, above for N s, windows) are re-judged. */
  tickMs?: number;
  /** How often rules and host groups are re-read even without a change through the API. */
  reloadMs?: number;
  /** Metric runs without a sample for this long are forgotten. */
  staleSampleMs?: number;
  webhooks?: DeliveryOptions;
};

type Transition = [alert: AlertView, change: "fired" | "resolved"];

/**
 * Watches the registry (presence, containers), stored engine events and metric samples, judges
 * every enabled rule, and turns changes of verdict into stored alerts, webhook deliveries and a
 * "changed"/"alerts" nudge on the registry (which browsers allowed to read the host receive).
 * Nothing runs until start(); stop() ends every timer and listener.
 */
export class AlertEngine extends EventEmitter<{ transition: Transition }> {
  readonly deliveries: WebhookDeliveries;
  private readonly obs = new Observations();
  private readonly firing = new Map<string, FiringAlert>();
  private rules: Rule[] = [];
  /** An enabled CPU or memory rule exists: only then are metric samples worth building and judging. */
  private judgesMetrics = false;
  private fleet: FleetView = { hosts: new Map(), groups: new Map() };
  private startedAt = 0;
  private running = false;
  private timers: NodeJS.Timeout[] = [];
  private unsubscribe: (() => void)[] = [];
  private evaluating: Promise<void> | null = null;
  private dirty = false;
  private soon: NodeJS.Timeout | null = null;
  private reloadTimer: NodeJS.Timeout | null = null;

  constructor(private readonly deps: AlertEngineDeps, private readonly opts: AlertEngineOptions = {}) {
    super();
    this.deliveries = new WebhookDeliveries({ db: deps.db, log: deps.log, send: deps.send }, opts.webhooks);
  }

  get started(): boolean {
    return this.running;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.startedAt = Date.now();
    await this.load();
    for (const alert of await loadFiring(this.deps.db)) {
      this.firing.set(alert.subjectKey, alert);
      const rule = this.rules.find((r) => r.id === alert.ruleId);
      this.obs.seedFrom(alert, rule && "seconds" in rule.params ? rule.params.seconds : 0);
    }
    const { registry, dockerEvents, metrics, accessChanges } = this.deps;
    // Coalesced: a server restart brings every agent back within a second or two.
    const onAccess = () => {
      this.reloadTimer ??= setTimeout(() => {
        this.reloadTimer = null;
        void this.reload().catch((err: unknown) => this.deps.log.error({ err }, "alert rules reload failed"));
      }, 200);
    };
    const onChanged = (hostId: string, what: string) => {
      if (what === "alerts") return; // our own nudge
      this.noteHost(hostId);
      // A host that connects, disconnects or is revoked may be new to (or gone from) the fleet view.
      if (what === "presence") onAccess();
      else this.schedule();
    };
    const onEvents = (items: DockerEventItem[]) => {
      this.obs.noteEvents(items);
      this.schedule();
    };
    registry.on("changed", onChanged);
    dockerEvents.on("stored", onEvents);
    accessChanges?.on("changed", onAccess);
    this.unsubscribe.push(
      () => registry.off("changed", onChanged),
      () => dockerEvents.off("stored", onEvents),
      () => accessChanges?.off("changed", onAccess),
      metrics.onSamples((samples) => this.onSamples(samples), () => this.judgesMetrics),
    );
    for (const host of registry.all()) this.noteHost(host.hostId);
    const prune = () => void pruneHistory(this.deps.db, Date.now()).catch((err: unknown) => this.deps.log.error({ err }, "pruning alert history failed"));
    this.timers.push(
      setInterval(() => this.schedule(0), this.opts.tickMs ?? 1_000),
      setInterval(onAccess, this.opts.reloadMs ?? 30_000),
      setInterval(prune, 60 * 60_000),
    );
    this.timers.forEach((t) => t.unref());
    this.deliveries.start();
    prune();
    await this.evaluate();
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.timers.forEach(clearInterval);
    this.timers = [];
    if (this.soon) clearTimeout(this.soon);
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
    this.soon = this.reloadTimer = null;
    this.unsubscribe.splice(0).forEach((off) => off());
    await this.evaluating;
    await this.deliveries.stop();
  }

  /** Re-reads rules and host groups (after a change through the API) and judges again. */
  async reload(): Promise<void> {
    if (!this.running) return;
    await this.load();
    await this.evaluate();
  }

  /** Judges every rule now (or right after the evaluation in progress). */
  evaluate(): Promise<void> {
    if (!this.running) return Promise.resolve();
    if (this.evaluating) {
      this.dirty = true;
      return this.evaluating;
    }
    this.evaluating = (async () => {
      do {
        this.dirty = false;
        await this.evaluateOnce().catch((err: unknown) => this.deps.log.error({ err }, "alert evaluation failed"));
      } while (this.dirty && this.running);
    })().finally(() => (this.evaluating = null));
    return this.evaluating;
  }

  private schedule(delayMs = 50): void {
    if (!this.running || this.soon) return;
    this.soon = setTimeout(() => {
      this.soon = null;
      void this.evaluate();
    }, delayMs);
  }

  private async load(): Promise<void> {
    const [rows, fleet] = await Promise.all([
      this.deps.db.alertRule.findMany({ include: { webhooks: { select: { id: true } } }, orderBy: { name: "asc" } }),
      loadFleetView(this.deps.db),
    ]);
    const rules = rows.map((r) => {
      const rule = toRule(r);
      if (!rule) this.deps.log.warn({ ruleId: r.id }, "alert rule with invalid parameters ignored");
      return rule;
    }).filter((r): r is Rule => r !== null);
    const kept = new Set(rules.map((r) => r.id));
    for (const old of this.rules) if (!kept.has(old.id)) this.obs.forgetRule(old.id);
    this.rules = rules;
    this.judgesMetrics = rules.some((r) => r.enabled && (r.kind === "cpu_above" || r.kind === "memory_above"));
    this.fleet = fleet;
  }

  private noteHost(hostId: string): void {
    const live = this.deps.registry.get(hostId);
    // Until the host's first snapshot its container list means nothing (it is empty, not "all removed").
    if (live?.online && live.facts) this.obs.noteContainers(hostId, live.containers, Date.now());
  }

  private onSamples(samples: readonly MetricSample[]): void {
    const now = Date.now();
    for (const rule of this.rules) {
      if (!rule.enabled || (rule.kind !== "cpu_above" && rule.kind !== "memory_above")) continue;
      const hosts = new Set(hostsInScope(rule, this.fleet));
      const threshold = (rule.params as { threshold: number }).threshold;
      for (const s of samples) {
        if (!hosts.has(s.hostId) || (rule.target === "host") !== (s.containerId === null)) continue;
        if (s.containerId) {
          const c = this.deps.registry.get(s.hostId)?.containers.get(s.containerId);
          if (rule.labelSelector && !(c && labelsMatch(rule.labelSelector, c.labels))) continue;
        }
        this.obs.noteSample(rule.id, s, rule.kind === "cpu_above" ? "cpuPercent" : "memoryPercent", threshold, now);
      }
    }
    this.schedule();
  }

  private async evaluateOnce(): Promise<void> {
    const now = Date.now();
    this.obs.prune(now, this.opts.staleSampleMs ?? 5 * 60_000);
    const judged = evaluateRules({ rules: this.rules, fleet: this.fleet, live: (id) => this.deps.registry.get(id), obs: this.obs, now, startedAt: this.startedAt });
    for (const j of judged.values()) {
      const current = this.firing.get(j.key);
      if (j.verdict.firing && !current) await this.fire(j, now);
      else if (!j.verdict.firing && current) await this.resolve(current, j.verdict.message, j.verdict.value, now);
      else if (current && (current.message !== j.verdict.message || current.value !== j.verdict.value) && now - current.writtenAt >= 5_000) {
        Object.assign(current, { message: j.verdict.message, value: j.verdict.value, writtenAt: now });
        await refreshFiring(this.deps.db, current.id, j.verdict.value, j.verdict.message);
      }
    }
    for (const alert of [...this.firing.values()]) {
      if (judged.has(alert.subjectKey)) continue;
      const gone = goneReason(alert, { rules: this.rules, fleet: this.fleet, live: (id) => this.deps.registry.get(id) });
      if (gone) await this.resolve(alert, gone, alert.value, now);
    }
  }

  private async fire(j: Judgement, now: number): Promise<void> {
    const view = await createFiring(this.deps.db, {
      subjectKey: j.key, ruleId: j.rule.id, ruleName: j.rule.name, kind: j.rule.kind, hostId: j.hostId, containerId: j.containerId,
      subject: j.subject, value: j.verdict.value, message: j.verdict.message,
    }, new Date(now));
    if (!view) return;
    this.firing.set(j.key, {
      id: view.id, subjectKey: j.key, ruleId: j.rule.id, kind: j.rule.kind, hostId: j.hostId, containerId: j.containerId,
      firedAt: now, value: j.verdict.value, message: j.verdict.message, webhookIds: j.rule.webhookIds, writtenAt: now,
    });
    this.deps.log.info({ alertId: view.id, rule: j.rule.name, hostId: j.hostId, containerId: j.containerId }, `alert fired: ${j.verdict.message}`);
    await this.announce(view, "fired", j.rule.webhookIds);
  }

  private async resolve(a: FiringAlert, message: string, value: number | null, now: number): Promise<void> {
    this.firing.delete(a.subjectKey);
    const view = await resolveFiring(this.deps.db, a.id, message, value, new Date(now));
    if (!view) return;
    this.deps.log.info({ alertId: a.id, hostId: a.hostId }, `alert resolved: ${message}`);
    const rule = this.rules.find((r) => r.id === a.ruleId);
    await this.announce(view, "resolved", rule?.webhookIds ?? a.webhookIds);
  }

  private async announce(view: AlertView, change: "fired" | "resolved", webhookIds: string[]): Promise<void> {
    const hostName = this.fleet.hosts.get(view.hostId)?.name ?? view.hostId;
    await this.deliveries.enqueue(view.id, change === "fired" ? "alert.fired" : "alert.resolved", webhookIds, webhookBody(change === "fired" ? "alert.fired" : "alert.resolved", { ...view, hostName }))
      .catch((err: unknown) => this.deps.log.error({ err, alertId: view.id }, "queueing webhook deliveries failed"));
    this.deps.registry.emit("changed", view.hostId, "alerts");
    this.emit("transition", view, change);
  }
}
