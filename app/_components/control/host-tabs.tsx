"use client";

import { useSearchParams } from "next/navigation";
import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import { cx } from "../ui";

export type HostTab = { id: string; label: string; count?: number | null; panel: ReactNode };

/**
 * The host page's tabs (WAI-ARIA tabs: arrow keys, Home/End). The open tab is kept in `?tab=` so a
 * link or a reload lands on it; only the open panel is mounted (the others would query the agent).
 */
export function HostTabs({ tabs, label = "Host sections" }: { tabs: HostTab[]; label?: string }) {
  const id = useId();
  const params = useSearchParams();
  const [active, setActive] = useState(() => {
    const t = params.get("tab");
    return tabs.some((x) => x.id === t) ? t! : tabs[0]!.id;
  });
  const refs = useRef<Record<string, HTMLButtonElement | null>>({});

  useEffect(() => {
    const url = new URL(window.location.href);
    if (active === tabs[0]?.id) url.searchParams.delete("tab");
    else url.searchParams.set("tab", active);
    if (url.href !== window.location.href) window.history.replaceState(window.history.state, "", url);
  }, [active, tabs]);

  const select = (tabId: string) => {
    setActive(tabId);
    refs.current[tabId]?.focus();
  };
  const onKeyDown = (e: KeyboardEvent) => {
    const i = tabs.findIndex((t) => t.id === active);
    const next = e.key === "ArrowRight" ? i + 1 : e.key === "ArrowLeft" ? i - 1 : e.key === "Home" ? 0 : e.key === "End" ? tabs.length - 1 : null;
    if (next === null) return;
    e.preventDefault();
    select(tabs[(next + tabs.length) % tabs.length]!.id);
  };
  const current = tabs.find((t) => t.id === active) ?? tabs[0]!;
  return (
    <div className="space-y-3">
      <div role="tablist" aria-label={label} onKeyDown={onKeyDown} className="flex gap-1 border-b border-zinc-200 dark:border-zinc-800">
        {tabs.map((t) => {
          const selected = t.id === current.id;
          return (
            <button
              key={t.id}
              ref={(el) => {
                refs.current[t.id] = el;
              }}
              id={`${id}-tab-${t.id}`}
              type="button"
              role="tab"
              aria-selected={selected}
              aria-controls={`${id}-panel-${t.id}`}
              tabIndex={selected ? 0 : -1}
              onClick={() => setActive(t.id)}
              className={cx(
                "-mb-px border-b-2 px-3 py-1.5 text-sm font-medium whitespace-nowrap focus-visible:outline-2 focus-visible:outline-sky-500",
                selected
                  ? "border-sky-600 text-sky-700 dark:border-sky-400 dark:text-sky-300"
                  : "border-transparent text-zinc-600 hover:border-zinc-300 hover:text-zinc-900 dark:text-zinc-400 dark:hover:border-zinc-600 dark:hover:text-zinc-100",
              )}
            >
              {t.label}
              {t.count != null && <span className="ml-1.5 rounded-full bg-zinc-100 px-1.5 text-xs font-normal text-zinc-600 tabular-nums dark:bg-zinc-800 dark:text-zinc-400">{t.count}</span>}
            </button>
          );
        })}
      </div>
      <div role="tabpanel" id={`${id}-panel-${current.id}`} aria-labelledby={`${id}-tab-${current.id}`}>
        {current.panel}
      </div>
    </div>
  );
}
