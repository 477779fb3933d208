"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { trpcMessage, useTRPC } from "../trpc";
import {
  Badge,
  buttonClass,
  cx,
  DataTable,
  FormError,
  FutureTime,
  LoadError,
  RelativeTime,
  Section,
  smallButtonClass,
  tdClass,
  trClass,
} from "../ui";

const COLUMNS = ["Device", "IP address", "Signed in", "Last active", "Expires", ""] as const;

/** "Chromium 156 on Linux" from a user agent, enough to tell sessions apart. */
function device(ua: string | null): string {
  if (!ua) return "Unknown device";
  const browser = /(Edg|Firefox|Chrome|Chromium|Safari)\/(\d+)/.exec(ua);
  const os = /Windows|Mac OS X|Android|iPhone|Linux/.exec(ua);
  if (!browser) return ua.slice(0, 60);
  const name = browser[1] === "Edg" ? "Edge" : browser[1];
  return `${name} ${browser[2]}${os ? ` on ${os[0].replace("Mac OS X", "macOS")}` : ""}`;
}

export function SessionsSection() {
  const trpc = useTRPC();
  const sessions = useQuery(trpc.account.sessions.queryOptions());
  const revoke = useMutation(trpc.account.revokeSessions.mutationOptions({ onSuccess: () => void sessions.refetch() }));
  const others = (sessions.data ?? []).filter((s) => !s.current).length;
  return (
    <Section
      title="Sessions"
      description="Browsers signed in to your account."
      actions={
        <button type="button" className={buttonClass.secondary} disabled={revoke.isPending || others === 0} onClick={() => revoke.mutate({})}>
          Sign out other sessions
        </button>
      }
    >
      {sessions.isError ? (
        <LoadError title="Could not load your sessions" error={sessions.error} onRetry={() => sessions.refetch()} />
      ) : (
        <DataTable label="My sessions" columns={COLUMNS} busy={sessions.isPending} skeletonRows={2}>
          {sessions.data?.map((s) => (
                  <tr key={s.id} className={trClass}>
                    <td className={tdClass} title={s.userAgent ?? undefined}>
                      <span className="font-medium">{device(s.userAgent)}</span>
                      {s.current && (
                        <span className="ml-2">
                          <Badge tone="blue">this session</Badge>
                        </span>
                      )}
                    </td>
                    <td className={cx(tdClass, "font-mono text-xs")}>{s.ipAddress ?? "—"}</td>
                    <td className={tdClass}>
                      <RelativeTime value={s.createdAt} />
                    </td>
                    <td className={tdClass}>
                      <RelativeTime value={s.lastActiveAt} />
                    </td>
                    <td className={tdClass}>
                      <FutureTime value={s.expiresAt} />
                    </td>
                    <td className={cx(tdClass, "text-right")}>
                      {!s.current && (
                        <button
                          type="button"
                          className={smallButtonClass.secondary}
                          aria-label={`Sign out ${device(s.userAgent)} session from ${s.ipAddress ?? "unknown address"}`}
                          disabled={revoke.isPending && revoke.variables?.sessionId === s.id}
                          onClick={() => revoke.mutate({ sessionId: s.id })}
                        >
                          Sign out
                        </button>
                      )}
                    </td>
                  </tr>
          ))}
        </DataTable>
      )}
      {revoke.error && <FormError message={trpcMessage(revoke.error)} />}
      {revoke.data && !revoke.isPending && (
        <p role="status" className="mt-2 text-xs text-zinc-600 dark:text-zinc-400">
          Signed out {revoke.data.revoked} session{revoke.data.revoked === 1 ? "" : "s"}.
        </p>
      )}
    </Section>
  );
}
