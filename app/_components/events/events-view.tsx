"use client";

import { EmptyState, PageHeader } from "../ui";
import { canSomewhere, NO_ACCESS_TEXT, useUser } from "../user";
import { EventsTimeline } from "./events-timeline";

/** /events: the Docker engine events of every host the caller may read. */
export function EventsView() {
  const readsSomeHost = canSomewhere(useUser().access, "host:read");
  return (
    <div className="space-y-4">
      <PageHeader title="Events" description="Docker engine events from every host you can read, newest first and live. Press / to filter by action, p to pause." />
      {readsSomeHost ? <EventsTimeline shortcuts /> : <EmptyState title="No hosts to show">{NO_ACCESS_TEXT}</EmptyState>}
    </div>
  );
}
