"use client";

import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "../../../server/trpc/router";

type Net = inferRouterOutputs<AppRouter>["network"]["host"];
type Row = { c: Net["containers"][number]; y: number; h: number; bridge: string | null; veth: string | null };

const COL = { world: 8, ports: 190, bridges: 480, veths: 650, containers: 800 };
const W = { world: 150, ports: 260, bridges: 140, veths: 120, containers: 220 };
const PORT_H = 22;
const MAX_CONTAINERS = 80;
const label = "fill-zinc-800 text-[11px] dark:fill-zinc-200";
const sub = "fill-zinc-500 text-[10px] dark:fill-zinc-400";
const box = "fill-white stroke-zinc-300 dark:fill-zinc-900 dark:stroke-zinc-700";

/**
 * outside world → published ports (DNAT) → bridges → veth → containers, drawn from the kernel's view.
 * A binding whose DNAT rule is missing is drawn dashed red.
 */
export function NetworkPicture({ net }: { net: Net }) {
  const running = net.containers.filter((c) => c.running).sort((a, b) => bridgeOf(a).localeCompare(bridgeOf(b)) || a.name.localeCompare(b.name));
  const shown = running.slice(0, MAX_CONTAINERS);
  const rows: Row[] = [];
  let y = 30;
  for (const c of shown) {
    const h = Math.max(1, c.ports.length) * PORT_H + 12;
    rows.push({ c, y, h, bridge: c.links[0]?.bridge ?? null, veth: c.links[0]?.hostInterface ?? null });
    y += h + 8;
  }
  const height = Math.max(y + 10, 110);
  const bridges = [...new Set(rows.map((r) => r.bridge ?? (r.c.networkMode === "host" ? "host network" : "no network")))];
  const bridgeBox = new Map(bridges.map((b) => {
    const members = rows.filter((r) => (r.bridge ?? (r.c.networkMode === "host" ? "host network" : "no network")) === b);
    const top = members[0]!.y, bottom = members[members.length - 1]!.y + members[members.length - 1]!.h;
    return [b, { top, bottom, mid: (top + bottom) / 2, info: net.bridges.find((x) => x.name === b) }];
  }));
  const missing = new Set(net.missingRules.map((m) => `${m.containerId}|${m.port.hostIp}|${m.port.hostPort}|${m.port.containerPort}|${m.port.protocol}`));
  const worldAddrs = net.interfaces.filter((i) => i.kind === "device" && i.addresses.length).flatMap((i) => i.addresses.filter((a) => !a.startsWith("fe80")).map((a) => `${i.name} ${a}`)).slice(0, 4);
  const worldMid = height / 2;

  return (
    <figure className="overflow-x-auto rounded-lg border border-zinc-200 bg-zinc-50 p-2 dark:border-zinc-800 dark:bg-zinc-950">
      <svg role="img" aria-label="Network picture" width={COL.containers + W.containers + 10} height={height} className="min-w-[1030px]">
        {(["Outside world", "Published ports", "Bridges", "Host veth", "Containers"] as const).map((t, i) => (
          <text key={t} x={[COL.world, COL.ports, COL.bridges, COL.veths, COL.containers][i]} y={14} className="fill-zinc-500 text-[10px] font-semibold tracking-wide uppercase dark:fill-zinc-400">{t}</text>
        ))}
        <g>
          <rect x={COL.world} y={worldMid - 40} width={W.world} height={80} rx={8} className={box} />
          <text x={COL.world + 10} y={worldMid - 22} className={label}>Outside world</text>
          {worldAddrs.map((a, i) => <text key={a} x={COL.world + 10} y={worldMid - 6 + i * 13} className={sub}>{a}</text>)}
        </g>
        {[...bridgeBox.entries()].map(([name, b]) => (
          <g key={name}>
            <rect x={COL.bridges} y={b.top} width={W.bridges} height={b.bottom - b.top} rx={6} className="fill-sky-50 stroke-sky-300 dark:fill-sky-950/40 dark:stroke-sky-800" />
            <text x={COL.bridges + 8} y={b.top + 16} className={label}>{name}</text>
            {b.info?.network && <text x={COL.bridges + 8} y={b.top + 29} className={sub}>{b.info.network} {b.info.subnets[0] ?? ""}</text>}
          </g>
        ))}
        {rows.map((r) => {
          const mid = r.y + r.h / 2;
          const bname = r.bridge ?? (r.c.networkMode === "host" ? "host network" : "no network");
          const b = bridgeBox.get(bname)!;
          return (
            <g key={r.c.id}>
              {r.c.ports.map((p, i) => {
                const py = r.y + 6 + i * PORT_H;
                const drift = missing.has(`${r.c.id}|${p.hostIp}|${p.hostPort}|${p.containerPort}|${p.protocol}`);
                const text = `${p.hostIp || "0.0.0.0"}:${p.hostPort} → ${p.containerPort}/${p.protocol}`;
                return (
                  <g key={text}>
                    <path d={`M${COL.world + W.world},${worldMid} C${COL.ports - 20},${worldMid} ${COL.ports - 20},${py + 9} ${COL.ports},${py + 9}`} className="fill-none stroke-zinc-400 dark:stroke-zinc-600" />
                    <rect x={COL.ports} y={py} width={W.ports} height={18} rx={4} className={drift ? "fill-red-50 stroke-red-500 dark:fill-red-950/40" : "fill-amber-50 stroke-amber-400 dark:fill-amber-950/30 dark:stroke-amber-700"} strokeDasharray={drift ? "4 3" : undefined} />
                    <text x={COL.ports + 6} y={py + 13} className={label}>{text}{drift ? " (no DNAT rule)" : ""}</text>
                    <path d={`M${COL.ports + W.ports},${py + 9} C${COL.containers - 60},${py + 9} ${COL.containers - 60},${mid} ${COL.containers},${mid}`} className={drift ? "fill-none stroke-red-500" : "fill-none stroke-amber-500/70"} strokeDasharray={drift ? "4 3" : "2 2"} />
                  </g>
                );
              })}
              {r.veth ? (
                <>
                  <line x1={COL.bridges + W.bridges} y1={Math.min(Math.max(mid, b.top + 8), b.bottom - 8)} x2={COL.veths} y2={mid} className="stroke-sky-400 dark:stroke-sky-700" />
                  <rect x={COL.veths} y={mid - 10} width={W.veths} height={20} rx={4} className={box} />
                  <text x={COL.veths + 6} y={mid + 4} className={label}>{r.veth}</text>
                  <line x1={COL.veths + W.veths} y1={mid} x2={COL.containers} y2={mid} className="stroke-sky-400 dark:stroke-sky-700" />
                </>
              ) : (
                <line x1={COL.bridges + W.bridges} y1={mid} x2={COL.containers} y2={mid} className="stroke-zinc-300 dark:stroke-zinc-700" strokeDasharray="3 3" />
              )}
              <rect x={COL.containers} y={r.y} width={W.containers} height={r.h} rx={6} className={box} />
              <text x={COL.containers + 8} y={r.y + 15} className={`${label} font-medium`}>{truncate(r.c.name, 30)}</text>
              <text x={COL.containers + 8} y={r.y + 28} className={sub}>{r.c.ips.map((i) => i.ip).join(", ") || r.c.networkMode}{r.c.links[0] ? ` · ${r.c.links[0].name}` : ""}</text>
            </g>
          );
        })}
        {rows.length === 0 && <text x={COL.containers} y={60} className={sub}>No running containers.</text>}
      </svg>
      {running.length > shown.length && <figcaption className="px-2 pt-1 text-xs text-zinc-500">Showing {shown.length} of {running.length} running containers.</figcaption>}
    </figure>
  );
}

function bridgeOf(c: Net["containers"][number]): string {
  return c.links[0]?.bridge ?? `~${c.networkMode}`;
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
