"use client";

import { useMemo, useState } from "react";
import type { FleetContainer, HostSummary } from "../trpc";
import { cx, inputClass, smallButtonClass, StateBadge } from "../ui";
import { sourceClass } from "./log-row";
import { targetKey, type LogTarget } from "./log-subscriptions";

export type PickerFilters = { host: string; name: string; label: string; image: string };

function matches(c: FleetContainer, f: PickerFilters): boolean {
  if (f.host && c.hostId !== f.host) return false;
  if (f.name && !c.name.toLowerCase().includes(f.name.toLowerCase())) return false;
  if (f.image && !c.image.toLowerCase().includes(f.image.toLowerCase())) return false;
  if (f.label) {
    const [k, v] = f.label.split("=", 2) as [string, string | undefined];
    const val = c.labels[k.trim()];
    if (val === undefined || (v !== undefined && !val.toLowerCase().includes(v.trim().toLowerCase()))) return false;
  }
  return true;
}

export const toTarget = (c: FleetContainer): LogTarget => ({ hostId: c.hostId, containerId: c.id, hostName: c.hostName, containerName: c.name.replace(/^\//, "") });

/** Containers on every readable host, filtered by host, name, label (key or key=value) and image; checked ones are streamed. */
export function ContainerPicker({ containers, hosts, selected, onChange, colourOf }: {
  containers: FleetContainer[];
  hosts: HostSummary[];
  selected: Set<string>;
  onChange: (next: Set<string>) => void;
  colourOf: (key: string) => number | null;
}) {
  const [f, setF] = useState<PickerFilters>({ host: "", name: "", label: "", image: "" });
  const shown = useMemo(() => containers.filter((c) => matches(c, f)).sort((a, b) => a.hostName.localeCompare(b.hostName) || a.name.localeCompare(b.name)), [containers, f]);
  const small = cx(inputClass, "py-1 text-xs");
  const toggle = (key: string) => {
    const next = new Set(selected);
    if (!next.delete(key)) next.add(key);
    onChange(next);
  };
  return (
    <section aria-label="Pick containers" className="flex min-h-0 flex-col gap-2">
      <div className="grid grid-cols-2 gap-1.5">
        <select aria-label="Host" value={f.host} onChange={(e) => setF({ ...f, host: e.target.value })} className={small}>
          <option value="">All hosts</option>
          {hosts.map((h) => (
            <option key={h.id} value={h.id}>
              {h.name}
            </option>
          ))}
        </select>
        <input aria-label="Name" placeholder="Name" value={f.name} onChange={(e) => setF({ ...f, name: e.target.value })} className={small} />
        <input aria-label="Label" placeholder="Label (key or key=value)" value={f.label} onChange={(e) => setF({ ...f, label: e.target.value })} className={small} />
        <input aria-label="Image" placeholder="Image" value={f.image} onChange={(e) => setF({ ...f, image: e.target.value })} className={small} />
      </div>
      <div className="flex items-center gap-2 text-xs text-zinc-600 dark:text-zinc-400">
        <span className="tabular-nums">
          {selected.size} selected · {shown.length} shown
        </span>
        <button type="button" className={smallButtonClass.ghost} disabled={shown.length === 0} onClick={() => onChange(new Set([...selected, ...shown.map((c) => targetKey(toTarget(c)))]))}>
          Select shown
        </button>
        <button type="button" className={smallButtonClass.ghost} disabled={selected.size === 0} onClick={() => onChange(new Set())}>
          Clear
        </button>
      </div>
      <ul className="min-h-0 flex-1 divide-y divide-zinc-100 overflow-auto rounded-md border border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900">
        {shown.length === 0 && <li className="p-3 text-center text-zinc-500 dark:text-zinc-400">No containers match.</li>}
        {shown.map((c) => {
          const key = targetKey(toTarget(c));
          const colour = colourOf(key);
          return (
            <li key={key}>
              <label className="flex cursor-pointer items-center gap-2 px-2 py-1 text-xs hover:bg-zinc-50 dark:hover:bg-zinc-800/60">
                <input type="checkbox" checked={selected.has(key)} onChange={() => toggle(key)} aria-label={`${c.hostName}/${c.name.replace(/^\//, "")}`} />
                <span className={cx("size-2 shrink-0 rounded-full", colour !== null ? sourceClass(colour) : "bg-transparent")} aria-hidden="true" />
                <span className="min-w-0 flex-1">
                  <span className="block truncate font-medium text-zinc-900 dark:text-zinc-100">{c.name.replace(/^\//, "")}</span>
                  <span className="block truncate text-zinc-500 dark:text-zinc-400">
                    {c.hostName} · {c.image}
                  </span>
                </span>
                <StateBadge state={c.state} />
              </label>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
