"use client";

import { EmptyState, PageHeader } from "../ui";
import { canOn, canSomewhere, NO_ACCESS_TEXT, useUser } from "../user";
import { AlertHistory, FiringAlerts } from "./alert-tables";
import { RulesSection } from "./rules-section";
import { WebhooksSection } from "./webhooks-section";

/** /alerts: firing alerts first, then history, rules and (for managers) webhooks. Live through the "alerts" nudge. */
export function AlertsView() {
  const { access } = useUser();
  const readsSomeHost = canSomewhere(access, "host:read");
  const manage = canOn(access, "alert:manage");
  return (
    <div className="space-y-4">
      <PageHeader title="Alerts" description="Rules that watch hosts and containers, alerts they raised, and where notifications go." />
      {readsSomeHost ? (
        <>
          <FiringAlerts />
          <AlertHistory />
        </>
      ) : (
        <EmptyState title="No hosts to show">{NO_ACCESS_TEXT}</EmptyState>
      )}
      <RulesSection />
      {manage && <WebhooksSection />}
    </div>
  );
}
