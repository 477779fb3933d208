"use client";

import Link from "next/link";
import { fullTimestamp } from "../format";
import { Badge, cx, tdClass, trClass } from "../ui";
import { actionTone, keyAttributes, localTimeMs, shortActorId, typeTone, type DockerEventItem } from "./event-format";
import type { LiveEventsState } from "./use-live-events";

/** Whether the timeline is live, paused (and how many events wait), or cut off. */
export function LiveStatus({ state, paused, held }: { state: LiveEventsState; paused: boolean; held: number }) {
  const [text, cls] = paused
    ? [`Paused${held ? ` · ${held} new` : ""}`, "text-amber-700 dark:text-amber-300"]
    : state === "live"
      ? ["Live", "text-emerald-700 dark:text-emerald-300"]
      : state === "refused"
        ? ["Live updates unavailable", "text-red-700 dark:text-red-300"]
        : state === "offline"
          ? ["Reconnecting…", "text-red-700 dark:text-red-300"]
          : ["Connecting…", "text-zinc-600 dark:text-zinc-400"];
  return (
    <span role="status" aria-label={`Events timeline: ${text}`} className={cx("text-xs font-medium", cls)}>
      {text}
    </span>
  );
}

/** One event: local time with ms, host, type badge, action, actor name and short id, key attributes. */
export function EventRow({ e, showHost }: { e: DockerEventItem; showHost: boolean }) {
  const tone = actionTone(e.action);
  const attrs = keyAttributes(e);
  return (
    <tr className={cx(trClass, tone === "bad" && "bg-red-50/60 dark:bg-red-500/5")} data-event-id={e.id}>
      <td className={cx(tdClass, "font-mono text-xs whitespace-nowrap tabular-nums")}>
        <time dateTime={e.time} title={fullTimestamp(Date.parse(e.time))}>
          {localTimeMs(e.time)}
        </time>
      </td>
      {showHost && (
        <td className={cx(tdClass, "whitespace-nowrap")}>
          <Link href={`/hosts/${e.hostId}`} className="hover:underline">
            {e.hostName}
          </Link>
        </td>
      )}
      <td className={tdClass}>
        <Badge tone={typeTone(e.type)} dot={false}>
          {e.type}
        </Badge>
      </td>
      <td className={cx(tdClass, "font-mono text-xs whitespace-nowrap", tone === "bad" && "text-red-700 dark:text-red-300", tone === "good" && "text-emerald-700 dark:text-emerald-300")}>
        {e.action}
      </td>
      <td className={tdClass}>
        <div className="flex max-w-72 items-baseline gap-1.5">
          {e.actorName && (
            <span className="truncate" title={e.actorName}>
              {e.actorName}
            </span>
          )}
          <code className="shrink-0 font-mono text-[11px] text-zinc-500 dark:text-zinc-400" title={e.actorId}>
            {shortActorId(e.actorId) || "—"}
          </code>
        </div>
      </td>
      <td className={tdClass}>
        {attrs.length ? (
          <div className="flex max-w-md flex-wrap gap-1">
            {attrs.map(([k, v]) => (
              <span key={k} className="max-w-64 truncate rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-[11px] dark:bg-zinc-800" title={`${k}=${v}`}>
                <span className="text-zinc-500 dark:text-zinc-400">{k}=</span>
                {v}
              </span>
            ))}
          </div>
        ) : (
          <span className="text-zinc-400">—</span>
        )}
      </td>
    </tr>
  );
}
