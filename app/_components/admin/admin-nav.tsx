"use client";

import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useEffect } from "react";
import { cx } from "../ui";
import { useUser } from "../user";
import { adminSections } from "./access";

/** Tabs for the admin screens the caller may use. */
export function AdminNav() {
  const pathname = usePathname();
  const sections = adminSections(useUser().access);
  return (
    <nav aria-label="Admin" className="mb-4 flex gap-1 border-b border-zinc-200 dark:border-zinc-800">
      {sections.map((s) => {
        const active = pathname === s.href;
        return (
          <Link
            key={s.href}
            href={s.href}
            aria-current={active ? "page" : undefined}
            className={cx(
              "-mb-px border-b-2 px-3 py-1.5 text-sm font-medium",
              active
                ? "border-sky-600 text-zinc-900 dark:border-sky-400 dark:text-zinc-50"
                : "border-transparent text-zinc-600 hover:border-zinc-300 hover:text-zinc-900 dark:text-zinc-400 dark:hover:border-zinc-600 dark:hover:text-zinc-100",
            )}
          >
            {s.label}
          </Link>
        );
      })}
    </nav>
  );
}

/** /admin opens the first admin screen the caller may use. */
export function AdminIndex() {
  const router = useRouter();
  const first = adminSections(useUser().access)[0];
  useEffect(() => {
    if (first) router.replace(first.href);
  }, [first, router]);
  return first ? null : <p className="text-zinc-600 dark:text-zinc-400">You have no administrative permissions.</p>;
}
