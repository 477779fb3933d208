"use client";

import { useQuery } from "@tanstack/react-query";
import { useId } from "react";
import { trpcMessage, useTRPC } from "../trpc";
import { cx, FormError, Skeleton } from "../ui";
import type { PermissionInfo } from "./types";

const GROUPS = [
  { scope: "host", title: "Host-scoped", hint: "Hold on the hosts of the host group a grant names." },
  { scope: "global", title: "Global", hint: "Only from a grant on an all-hosts group." },
] as const;

/**
 * Checkboxes named `permission`, grouped by scope, each with its one-line description from
 * roles.permissions. `only` limits the list (e.g. to what the caller holds).
 */
export function PermissionChecklist({ selected, onChange, only, label = "Permissions" }: {
  selected: ReadonlySet<string>;
  onChange: (next: Set<string>) => void;
  only?: ReadonlySet<string>;
  label?: string;
}) {
  const id = useId();
  const trpc = useTRPC();
  const catalogue = useQuery(trpc.roles.permissions.queryOptions(undefined, { staleTime: Infinity }));
  if (catalogue.isError) return <FormError message={trpcMessage(catalogue.error)} />;
  if (!catalogue.data) return <Skeleton className="h-24 w-full" />;
  const perms = catalogue.data.filter((p) => !only || only.has(p.name));
  const toggle = (name: string, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(name);
    else next.delete(name);
    onChange(next);
  };
  const setAll = (list: PermissionInfo[], on: boolean) => {
    const next = new Set(selected);
    for (const p of list) if (on) next.add(p.name);
    else next.delete(p.name);
    onChange(next);
  };
  return (
    <fieldset aria-label={label} className="space-y-3">
      {GROUPS.map((g) => {
        const list = perms.filter((p) => p.scope === g.scope);
        if (!list.length) return null;
        const all = list.every((p) => selected.has(p.name));
        return (
          <fieldset key={g.scope} aria-labelledby={`${id}-${g.scope}`} className="rounded-md border border-zinc-200 dark:border-zinc-700">
            <div className="flex items-center justify-between gap-2 border-b border-zinc-200 bg-zinc-50 px-3 py-1.5 dark:border-zinc-700 dark:bg-zinc-800/50">
              <div>
                <span id={`${id}-${g.scope}`} className="text-xs font-semibold tracking-wide text-zinc-700 uppercase dark:text-zinc-300">
                  {g.title}
                </span>
                <span className="ml-2 text-xs text-zinc-500 dark:text-zinc-400">{g.hint}</span>
              </div>
              <button type="button" className="text-xs text-sky-700 hover:underline dark:text-sky-400" onClick={() => setAll(list, !all)}>
                {all ? "Clear" : "Select all"} <span className="sr-only">{g.title} permissions</span>
              </button>
            </div>
            <ul className="grid gap-x-4 px-3 py-1.5 sm:grid-cols-2">
              {list.map((p) => (
                <li key={p.name}>
                  <label className={cx("flex cursor-pointer items-start gap-2 rounded px-1 py-1 hover:bg-zinc-50 dark:hover:bg-zinc-800/40")}>
                    <input
                      type="checkbox"
                      name="permission"
                      value={p.name}
                      checked={selected.has(p.name)}
                      onChange={(e) => toggle(p.name, e.target.checked)}
                      aria-describedby={`${id}-${p.name}`}
                      className="mt-0.5 size-3.5 accent-sky-600"
                    />
                    <span className="min-w-0">
                      <span className="block font-mono text-xs">{p.name}</span>
                      <span id={`${id}-${p.name}`} className="block text-xs text-zinc-500 dark:text-zinc-400">
                        {p.description}
                      </span>
                    </span>
                  </label>
                </li>
              ))}
            </ul>
          </fieldset>
        );
      })}
    </fieldset>
  );
}
