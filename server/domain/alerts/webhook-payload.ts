/** The alert fields a webhook receives (and the list API shows). */
export type AlertView = {
  id: string;
  ruleId: string | null;
  ruleName: string;
  kind: string;
  hostId: string;
  containerId: string | null;
  subject: string;
  state: "firing" | "resolved";
  firedAt: string;
  resolvedAt: string | null;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  value: number | null;
  message: string;
};

type AlertRow = {
  id: string; ruleId: string | null; ruleName: string; kind: string; hostId: string; containerId: string | null; subject: string;
  state: string; firedAt: Date; resolvedAt: Date | null; acknowledgedAt: Date | null; acknowledgedBy: string | null; value: number | null; message: string;
};

export function toAlertView(row: AlertRow): AlertView {
  return {
    id: row.id,
    ruleId: row.ruleId,
    ruleName: row.ruleName,
    kind: row.kind,
    hostId: row.hostId,
    containerId: row.containerId,
    subject: row.subject,
    state: row.state === "firing" ? "firing" : "resolved",
    firedAt: row.firedAt.toISOString(),
    resolvedAt: row.resolvedAt?.toISOString() ?? null,
    acknowledgedAt: row.acknowledgedAt?.toISOString() ?? null,
    acknowledgedBy: row.acknowledgedBy,
    value: row.value,
    message: row.message,
  };
}

export type WebhookEvent = "alert.fired" | "alert.resolved" | "test";

/** The JSON body of every webhook POST (versioned: receivers may rely on these fields). */
export function webhookBody(event: WebhookEvent, alert: AlertView & { hostName: string }, sentAt = new Date()): string {
  return JSON.stringify({ version: 1, event, sentAt: sentAt.toISOString(), alert });
}

/** A made-up alert for the "Send test" button: clearly marked, never stored. */
export function testAlert(now = new Date()): AlertView & { hostName: string } {
  return {
    id: "test", ruleId: null, ruleName: "Test notification", kind: "test", hostId: "test", hostName: "portolan", containerId: null,
    subject: "portolan", state: "firing", firedAt: now.toISOString(), resolvedAt: null, acknowledgedAt: null, acknowledgedBy: null,
    value: null, message: "This is a test notification from Portolan.",
  };
}
