"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "../trpc";
import { canOn, useUser } from "../user";

/** One line on what the server retains, with the way to the rules for those who may change them. */
export function RetentionSummary() {
  const trpc = useTRPC();
  const { access } = useUser();
  const list = useQuery(trpc.logs.retention.list.queryOptions());
  if (!list.data) return null;
  const { rules, containers } = list.data;
  return (
    <p className="text-xs text-zinc-600 dark:text-zinc-400" data-testid="retention-summary">
      {rules.length === 0
        ? "No retention rules: only live logs can be read."
        : `${rules.length} retention rule${rules.length === 1 ? " keeps" : "s keep"} the logs of ${containers.length} container${containers.length === 1 ? "" : "s"}.`}{" "}
      {canOn(access, "logs:retention") && (
        <Link href="/admin/log-retention" className="font-medium text-sky-700 hover:underline dark:text-sky-400">
          Manage retention rules
        </Link>
      )}
    </p>
  );
}
