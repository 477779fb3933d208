"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useEffect, useMemo, useState, type FormEvent } from "react";
import { trpcCode, trpcMessage, useTRPC } from "../trpc";
import { buttonClass, ErrorBox, LoadError, PageHeader, Skeleton } from "../ui";
import { useCan } from "../user";
import { RiskSummary } from "./risk-summary";
import { SpecFormSections } from "./spec-form-sections";
import { emptyForm, formFromInspect, readForm, type SpecForm } from "./spec-model";

/** /hosts/[hostId]/containers/new (optionally ?from=<containerId> to duplicate one). */
export function CreateContainerView({ hostId }: { hostId: string }) {
  const trpc = useTRPC();
  const can = useCan();
  const router = useRouter();
  const queryClient = useQueryClient();
  const fromId = useSearchParams().get("from");
  const host = useQuery(trpc.hosts.get.queryOptions({ hostId }));
  const images = useQuery(trpc.images.list.queryOptions({ hostId }, { enabled: can("image:read", hostId), staleTime: 30_000 }));
  const volumes = useQuery(trpc.volumes.list.queryOptions({ hostId }, { enabled: can("volume:read", hostId), staleTime: 30_000 }));
  const networks = useQuery(trpc.networks.list.queryOptions({ hostId }, { enabled: can("network:read", hostId), staleTime: 30_000 }));
  const source = useQuery(trpc.containers.inspect.queryOptions({ hostId, containerId: fromId ?? "" }, { enabled: Boolean(fromId), staleTime: Infinity }));

  const [form, setForm] = useState<SpecForm>(emptyForm);
  const [needsValues, setNeedsValues] = useState<string[]>([]);
  const [submitted, setSubmitted] = useState(false);
  const [prefilled, setPrefilled] = useState(false);
  useEffect(() => {
    if (!source.data || prefilled) return;
    const { form: f, needsValues: nv } = formFromInspect(source.data);
    setForm(f);
    setNeedsValues(nv);
    setPrefilled(true);
  }, [source.data, prefilled]);

  const reading = useMemo(() => readForm(form), [form]);
  const create = useMutation(trpc.containers.create.mutationOptions());
  const code = trpcCode(create.error);
  const serverMessage = create.error ? trpcMessage(create.error) : null;

  // Before submit, only fields the user filled in complain; after, everything does.
  const errors = Object.fromEntries(Object.entries(reading.errors).filter(([k]) => submitted || k !== "image" || form.image.trim()));
  if (code === "CONFLICT") errors.name = "This name is taken on this host.";
  if (code === "NOT_FOUND") errors.image = "No such image on this host.";
  // The server's verdict was about the spec as it was: editing clears it.
  const { reset, isError } = create;
  useEffect(() => {
    if (isError) reset();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only when the form changes
  }, [form]);

  const options = useMemo(
    () => ({
      images: [...new Set((images.data ?? []).flatMap((i) => i.tags.filter((t) => t !== "<none>:<none>")))].sort(),
      volumes: (volumes.data ?? []).map((v) => v.name).sort(),
      networks: (networks.data ?? []).map((n) => n.name).filter((n) => !["bridge", "host", "none"].includes(n)).sort(),
    }),
    [images.data, volumes.data, networks.data],
  );

  useEffect(() => {
    document.title = `New container${host.data ? ` on ${host.data.name}` : ""} · Portolan`;
  }, [host.data]);

  if (!can("container:create", hostId)) {
    return (
      <ErrorBox title="Not allowed">
        Creating containers on this host needs the <code className="font-mono">container:create</code> permission. Ask an administrator for a grant.
      </ErrorBox>
    );
  }

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (!reading.spec) {
      const first = document.querySelector<HTMLElement>("[aria-invalid=true]");
      first?.focus();
      return;
    }
    create.mutate(
      { hostId, spec: reading.spec, start: form.start },
      {
        onSuccess: (r) => {
          // The host's images, volumes and networks now have one more user.
          for (const key of [trpc.images.list.queryKey({ hostId }), trpc.volumes.list.queryKey({ hostId }), trpc.networks.list.queryKey({ hostId })]) void queryClient.invalidateQueries({ queryKey: key });
          router.push(`/hosts/${encodeURIComponent(hostId)}?highlight=${r.id}`);
        },
      },
    );
  };
  const hostName = host.data?.name ?? hostId;
  const errorCount = Object.keys(reading.errors).length;

  return (
    <form onSubmit={submit} noValidate className="space-y-4" aria-label="New container">
      <nav aria-label="Breadcrumb" className="text-xs text-zinc-500 dark:text-zinc-400">
        <Link href="/hosts" className="hover:underline">
          Hosts
        </Link>
        <span aria-hidden="true"> / </span>
        <Link href={`/hosts/${encodeURIComponent(hostId)}`} className="hover:underline">
          {host.data?.name ?? <Skeleton className="inline-block w-20" />}
        </Link>
        <span aria-hidden="true"> / </span>
      </nav>
      <PageHeader
        title={fromId ? "Duplicate container" : "New container"}
        description={
          <>
            On <span className="font-medium text-zinc-900 dark:text-zinc-100">{hostName}</span>
            {host.data && !host.data.online && <span className="ml-2 text-amber-700 dark:text-amber-400">(offline: creating will fail until its agent reconnects)</span>}
          </>
        }
      />
      {fromId && source.isError && <LoadError title="Could not read the container to duplicate" error={source.error} onRetry={() => source.refetch()} />}
      {needsValues.length > 0 && (
        <p className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-amber-900 dark:border-amber-500/40 dark:bg-amber-500/10 dark:text-amber-200">
          Your role cannot read environment values, so these came back empty — fill them in or remove them: <span className="font-mono text-xs">{needsValues.join(", ")}</span>
        </p>
      )}
      <div className="grid items-start gap-4 lg:grid-cols-[minmax(0,1fr)_20rem]">
        <div className="space-y-4">
          {fromId && source.isPending ? <Skeleton className="h-64 w-full" /> : <SpecFormSections form={form} setForm={setForm} reading={{ ...reading, errors }} options={options} />}
        </div>
        <aside className="space-y-3 lg:sticky lg:top-4">
          <RiskSummary risks={reading.risks} mayAccept={can("container:create:privileged", hostId)} hostName={hostName} />
          {code === "FORBIDDEN" && serverMessage ? (
            <div role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-red-900 dark:border-red-500/40 dark:bg-red-500/10 dark:text-red-200">
              <p className="font-medium">The server refused to create this container</p>
              <p className="mt-1 text-xs whitespace-pre-line">{serverMessage}</p>
            </div>
          ) : (
            serverMessage && (
              <div role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-red-900 dark:border-red-500/40 dark:bg-red-500/10 dark:text-red-200">
                <p className="font-medium">{code === "CONFLICT" ? "Name already taken" : code === "NOT_FOUND" ? "Image not found on this host" : "Could not create the container"}</p>
                <p className="mt-1 text-xs break-words whitespace-pre-line">{serverMessage}</p>
              </div>
            )
          )}
          {submitted && errorCount > 0 && (
            <p className="text-xs text-red-700 dark:text-red-400">
              {errorCount === 1 ? "One field needs" : `${errorCount} fields need`} attention.
            </p>
          )}
          <div className="flex gap-2">
            <button type="submit" className={`${buttonClass.primary} flex-1`} disabled={create.isPending}>
              {create.isPending ? "Creating…" : form.start ? "Create and start" : "Create"}
            </button>
            <Link href={`/hosts/${encodeURIComponent(hostId)}`} className={buttonClass.secondary}>
              Cancel
            </Link>
          </div>
          <details className="rounded-lg border border-zinc-200 bg-white text-xs dark:border-zinc-800 dark:bg-zinc-900">
            <summary className="cursor-pointer px-3 py-2 font-medium select-none">Spec preview</summary>
            <pre className="max-h-80 overflow-auto border-t border-zinc-200 p-3 font-mono text-[11px] dark:border-zinc-800">
              {reading.spec ? JSON.stringify({ ...reading.spec, env: reading.spec.env.map((e) => ({ key: e.key, value: "••••" })) }, null, 2) : "Fix the highlighted fields to see the spec."}
            </pre>
          </details>
        </aside>
      </div>
    </form>
  );
}
