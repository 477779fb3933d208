"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { bytes, plainText } from "../format";
import { useTRPC } from "../trpc";
import { Badge, cx, DataTable, LoadError, Section, Skeleton, tdClass, trClass } from "../ui";
import { NetworkPicture } from "./network-picture";

/** The host page's Network tab: the picture, then interfaces, routes, NAT rules (with drift) and Docker's filter rules. */
export function HostNetworkPanel({ hostId }: { hostId: string }) {
  const trpc = useTRPC();
  const q = useQuery(trpc.network.host.queryOptions({ hostId }, { refetchInterval: 10_000 }));
  const [showAllNat, setShowAllNat] = useState(false);
  if (q.isError && !q.data) return <LoadError title="Could not read the host's network" error={q.error} onRetry={() => q.refetch()} />;
  const n = q.data;
  if (!n) return <Skeleton className="h-96 w-full" />;
  const driftRules = n.natRules.filter((r) => r.drift);
  const nat = showAllNat ? n.natRules : n.natRules.filter((r) => r.chain === "DOCKER" || r.chain === "POSTROUTING" || r.drift);
  return (
    <div className="space-y-4">
      <NetworkPicture net={n} />
      {(driftRules.length > 0 || n.missingRules.length > 0) && (
        <div role="alert" className="rounded-lg border border-red-300 bg-red-50 p-3 text-sm text-red-900 dark:border-red-800 dark:bg-red-950/40 dark:text-red-200">
          <p className="font-medium">NAT drift</p>
          <ul className="mt-1 list-disc pl-5 text-xs">
            {n.missingRules.map((m) => (
              <li key={`${m.containerId}-${m.port.hostPort}-${m.port.protocol}`}>
                {plainText(m.containerName)} publishes {m.port.hostIp || "0.0.0.0"}:{m.port.hostPort} → {m.port.containerPort}/{m.port.protocol} but no DNAT rule forwards it.
              </li>
            ))}
            {driftRules.map((r, i) => (
              <li key={i}>
                DNAT rule in {r.chain} with no container behind it: <span className="font-mono">{r.rule}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      <Section
        title="NAT rules"
        description={n.natError ? `Could not read the nat table: ${n.natError}` : "iptables-save -t nat, each DNAT rule tied to the container and port binding that caused it."}
        actions={
          <label className="flex items-center gap-1.5 text-xs">
            <input type="checkbox" checked={showAllNat} onChange={(e) => setShowAllNat(e.target.checked)} /> all chains
          </label>
        }
      >
        <DataTable label="NAT rules" columns={["Chain", "Rule", "Caused by"]} busy={false} empty={nat.length ? null : "No rules."} wrapClass="max-h-96">
          {nat.map((r, i) => (
            <tr key={i} className={cx(trClass, r.drift && "bg-red-50/70 dark:bg-red-500/10")}>
              <td className={cx(tdClass, "font-mono text-xs")}>{r.chain}</td>
              <td className={cx(tdClass, "font-mono text-xs break-all")}>{r.rule}</td>
              <td className={cx(tdClass, "text-xs")}>
                {r.drift ? <Badge tone="red">drift: no container</Badge>
                  : r.containerName ? <>{plainText(r.containerName)}{r.port && <span className="ml-1 font-mono text-zinc-500">{r.port.hostIp || "0.0.0.0"}:{r.port.hostPort}→{r.port.containerPort}/{r.port.protocol}</span>}</>
                  : r.bridge ? <>bridge {r.bridge}</> : <span className="text-zinc-400">Docker</span>}
              </td>
            </tr>
          ))}
        </DataTable>
      </Section>
      <Section title="Interfaces">
        <DataTable label="Interfaces" columns={["Name", "Kind", "State", "MTU", "Addresses", "Bridge", "RX", "TX", "Errors / drops"]} rightAligned={["MTU", "RX", "TX", "Errors / drops"]} busy={false} wrapClass="max-h-96">
          {n.interfaces.map((i) => (
            <tr key={i.name} className={trClass}>
              <td className={cx(tdClass, "font-mono text-xs")}>{i.name}</td>
              <td className={cx(tdClass, "text-xs")}>{i.kind}</td>
              <td className={tdClass}><Badge tone={i.operstate === "up" ? "green" : i.operstate === "down" ? "red" : "gray"}>{i.operstate}</Badge></td>
              <td className={cx(tdClass, "text-right text-xs tabular-nums")}>{i.mtu}</td>
              <td className={cx(tdClass, "font-mono text-xs")}>{i.addresses.join(", ") || "—"}</td>
              <td className={cx(tdClass, "font-mono text-xs")}>{i.master ?? "—"}</td>
              <td className={cx(tdClass, "text-right text-xs tabular-nums")}>{bytes(i.rxBytes)}</td>
              <td className={cx(tdClass, "text-right text-xs tabular-nums")}>{bytes(i.txBytes)}</td>
              <td className={cx(tdClass, "text-right text-xs tabular-nums", i.rxErrors + i.txErrors + i.rxDropped + i.txDropped > 0 && "text-amber-700 dark:text-amber-400")}>
                {i.rxErrors + i.txErrors} / {i.rxDropped + i.txDropped}
              </td>
            </tr>
          ))}
        </DataTable>
      </Section>
      <div className="grid gap-4 lg:grid-cols-2">
        <Section title="Routes" description="IPv4, from /proc/net/route.">
          <DataTable label="Routes" columns={["Destination", "Gateway", "Interface", "Metric"]} rightAligned={["Metric"]} busy={false}>
            {n.routes.map((r, i) => (
              <tr key={i} className={trClass}>
                <td className={cx(tdClass, "font-mono text-xs")}>{r.destination}</td>
                <td className={cx(tdClass, "font-mono text-xs")}>{r.gateway ?? "—"}</td>
                <td className={cx(tdClass, "font-mono text-xs")}>{r.iface}</td>
                <td className={cx(tdClass, "text-right text-xs tabular-nums")}>{r.metric}</td>
              </tr>
            ))}
          </DataTable>
        </Section>
        <Section title="Docker's filter rules" description="The DOCKER, DOCKER-USER and isolation chains of the filter table.">
          <DataTable label="Filter rules" columns={["Chain", "Rule", "Container"]} busy={false} empty={n.filterRules.length ? null : "No rules."} wrapClass="max-h-96">
            {n.filterRules.map((r, i) => (
              <tr key={i} className={trClass}>
                <td className={cx(tdClass, "font-mono text-xs")}>{r.chain}</td>
                <td className={cx(tdClass, "font-mono text-xs break-all")}>{r.rule}</td>
                <td className={cx(tdClass, "text-xs")}>{r.containerName ? plainText(r.containerName) : "—"}</td>
              </tr>
            ))}
          </DataTable>
        </Section>
      </div>
    </div>
  );
}
