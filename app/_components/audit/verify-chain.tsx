"use client";

import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { trpcMessage, useTRPC } from "../trpc";
import { buttonClass, ErrorBox } from "../ui";

/** "Verify chain": recomputes the hash chain on the server; the verdict is an alert placed by the page. */
export function useVerifyChain(): { button: ReactNode; verdict: ReactNode } {
  const trpc = useTRPC();
  const verify = useQuery(trpc.audit.verify.queryOptions(undefined, { enabled: false, gcTime: 0 }));
  const v = verify.data;
  const verdict =
    verify.isFetching ? null
    : verify.isError ? (
      <ErrorBox title="Could not verify the audit log">{trpcMessage(verify.error)}</ErrorBox>
    ) : !v ? null
    : v.ok ? (
      <div role="alert" className="rounded-md border border-emerald-300 bg-emerald-50 p-3 text-emerald-900 dark:border-emerald-500/40 dark:bg-emerald-500/10 dark:text-emerald-200">
        <p className="font-medium">Audit chain intact</p>
        <p className="mt-0.5 text-emerald-800 dark:text-emerald-300">
          {v.entries} {v.entries === 1 ? "entry" : "entries"} checked{v.preChain ? ` (${v.preChain} recorded before chaining began)` : ""}. Head{" "}
          <code className="font-mono text-xs">{v.head.slice(0, 16)}…</code>
        </p>
      </div>
    ) : (
      <ErrorBox title={`Audit chain broken at entry #${v.brokenAt}`}>
        {v.reason}. {v.entries} entries checked; entries from #{v.brokenAt} on cannot be trusted.
      </ErrorBox>
    );
  const button = (
    <button type="button" className={buttonClass.secondary} disabled={verify.isFetching} onClick={() => void verify.refetch()}>
      {verify.isFetching ? "Verifying…" : "Verify chain"}
    </button>
  );
  return { button, verdict };
}
