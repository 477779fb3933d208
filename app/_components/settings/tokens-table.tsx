"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../trpc";
import { Badge, ConfirmButton, cx, DataTable, FutureTime, RelativeTime, tdClass, trClass } from "../ui";

export type TokenRow = {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  permissions: string[] | null;
  hostGroupIds: string[] | null;
};

const COLUMNS = ["Name", "Prefix", "Created", "Expires", "Last used", "Scope", "Status", ""] as const;

function status(t: TokenRow): { text: string; tone: "green" | "gray" | "red" } {
  if (t.revokedAt) return { text: "revoked", tone: "red" };
  if (t.expiresAt && Date.parse(t.expiresAt) <= Date.now()) return { text: "expired", tone: "gray" };
  return { text: "active", tone: "green" };
}

/** API tokens of one user, newest first, each revocable in two steps while active. */
export function TokensTable({ label, tokens, loading, onRevoke, revokingId }: {
  label: string;
  tokens: TokenRow[];
  loading: boolean;
  onRevoke: (tokenId: string) => void;
  revokingId: string | null;
}) {
  const trpc = useTRPC();
  const groups = useQuery(trpc.hostGroups.list.queryOptions());
  const groupName = (id: string) => groups.data?.find((g) => g.id === id)?.name ?? id;
  return (
    <DataTable label={label} columns={COLUMNS} busy={loading} skeletonRows={2} empty={tokens.length === 0 && "No API tokens."}>
      {tokens.map((t) => {
              const s = status(t);
              const scope = [
                t.permissions ? `${t.permissions.length} permission${t.permissions.length === 1 ? "" : "s"}` : "all permissions",
                t.hostGroupIds ? t.hostGroupIds.map(groupName).join(", ") : "all groups",
              ].join(" · ");
              return (
                <tr key={t.id} className={cx(trClass, s.text !== "active" && "text-zinc-500 dark:text-zinc-400")}>
                  <td className={cx(tdClass, "font-medium")}>{t.name}</td>
                  <td className={cx(tdClass, "font-mono text-xs")}>{t.prefix}…</td>
                  <td className={tdClass}>
                    <RelativeTime value={t.createdAt} />
                  </td>
                  <td className={tdClass}>
                    <FutureTime value={t.expiresAt} />
                  </td>
                  <td className={tdClass}>
                    <RelativeTime value={t.lastUsedAt} />
                  </td>
                  <td className={cx(tdClass, "max-w-72 truncate text-xs")} title={t.permissions?.join("\n")}>
                    {scope}
                  </td>
                  <td className={tdClass}>
                    <Badge tone={s.tone}>{s.text}</Badge>
                  </td>
                  <td className={cx(tdClass, "text-right")}>
                    {!t.revokedAt && (
                      <ConfirmButton
                        label="Revoke"
                        accessibleName={`Revoke token ${t.name}`}
                        prompt="Calls with it fail at once."
                        pending={revokingId === t.id}
                        onConfirm={() => onRevoke(t.id)}
                      />
                    )}
                  </td>
                </tr>
              );
      })}
    </DataTable>
  );
}
