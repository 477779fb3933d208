"use client";

import Link from "next/link";
import { containerHref } from "../container-actions";

/** "Used by" cells: each container a link to its details, with an optional note (an IP). */
export function ContainerLinks({ hostId, containers }: { hostId: string; containers: { id: string; name: string; note?: string | null }[] }) {
  if (containers.length === 0) return <span className="text-zinc-400 dark:text-zinc-500">—</span>;
  return (
    <ul className="flex flex-col gap-0.5">
      {containers.map((c) => (
        <li key={c.id} className="text-xs whitespace-nowrap">
          <Link href={containerHref({ hostId, id: c.id })} className="text-sky-700 hover:underline dark:text-sky-400">
            {c.name.replace(/^\//, "")}
          </Link>
          {c.note && <span className="ml-1.5 font-mono text-[11px] text-zinc-500 dark:text-zinc-400">{c.note}</span>}
        </li>
      ))}
    </ul>
  );
}
