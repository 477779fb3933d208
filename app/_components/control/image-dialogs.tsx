"use client";

import { useMutation } from "@tanstack/react-query";
import { useId, useRef, useState, type FormEvent } from "react";
import { bytes, shortId } from "../format";
import { trpcMessage, useTRPC } from "../trpc";
import { DialogButtons, FormError, hintClass, inputClass, labelClass, Modal } from "../ui";
import { OperationLine, ProgressBar, useHostOperations } from "./operation-progress";

/** Pull `reference` on the host; the engine's progress arrives over the live socket. */
export function PullImageDialog({ hostId, onClose, onDone }: { hostId: string; onClose: () => void; onDone: () => void }) {
  const id = useId();
  const trpc = useTRPC();
  const ops = useHostOperations(hostId, "pull");
  const pull = useMutation(trpc.images.pull.mutationOptions({ onSuccess: onDone }));
  return (
    <Modal title="Pull image" description="The host's engine pulls from its registry; hosts without registry access fail with the engine's error." onClose={onClose}>
      {(close) => {
        const submit = (e: FormEvent<HTMLFormElement>) => {
          e.preventDefault();
          const reference = String(new FormData(e.currentTarget).get("reference") ?? "").trim();
          pull.mutate({ hostId, reference });
        };
        return (
          <form onSubmit={submit} className="space-y-3">
            <div>
              <label htmlFor={`${id}-ref`} className={labelClass}>
                Image reference
              </label>
              <input id={`${id}-ref`} name="reference" required autoFocus placeholder="nginx:1.27 or registry.example.com/team/app:tag" autoComplete="off" spellCheck={false} className={`${inputClass} font-mono text-xs`} />
              <p className={hintClass}>repository[:tag][@sha256:digest]</p>
            </div>
            {pull.isPending && ops.length === 0 && <ProgressBar label="Pulling" current={undefined} total={undefined} />}
            {(pull.isPending || pull.isSuccess || pull.isError) && ops.length > 0 && (
              <ul className="space-y-2">
                {ops.slice(0, 1).map((op) => (
                  <OperationLine key={op.operationId} op={op} title="Pull" />
                ))}
              </ul>
            )}
            {pull.isSuccess && (
              <p role="status" className="text-sm text-emerald-700 dark:text-emerald-400">
                Pulled {pull.data.reference} ({shortId(pull.data.id.replace(/^sha256:/, ""))}).
              </p>
            )}
            <FormError message={pull.error ? trpcMessage(pull.error) : null} />
            <DialogButtons onCancel={close} pending={pull.isPending} submitLabel={pull.isSuccess ? "Pull another" : "Pull"} pendingLabel="Pulling…" />
          </form>
        );
      }}
    </Modal>
  );
}

type Upload = { sent: number; total: number } | null;

/**
 * `docker import` of a rootfs tarball: the file is sent with XMLHttpRequest (fetch has no upload
 * progress), then the agent's import progress arrives over the live socket.
 */
export function ImportImageDialog({ hostId, onClose, onDone }: { hostId: string; onClose: () => void; onDone: () => void }) {
  const id = useId();
  const ops = useHostOperations(hostId, "import");
  const [upload, setUpload] = useState<Upload>(null);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<string | null>(null);
  const xhrRef = useRef<XMLHttpRequest | null>(null);
  const [startedAt, setStartedAt] = useState(0);

  const send = (file: File, repository: string, tag: string) => {
    const xhr = new XMLHttpRequest();
    xhrRef.current = xhr;
    const qs = new URLSearchParams({ repository, tag });
    xhr.open("POST", `/api/hosts/${encodeURIComponent(hostId)}/images/import?${qs}`);
    xhr.setRequestHeader("content-type", "application/x-tar");
    xhr.upload.onprogress = (e) => setUpload({ sent: e.loaded, total: e.lengthComputable ? e.total : file.size });
    xhr.onload = () => {
      setPending(false);
      let body: { id?: string; error?: { message?: string } } = {};
      try {
        body = JSON.parse(xhr.responseText) as typeof body;
      } catch {
        /* not JSON: fall back to the status text */
      }
      if (xhr.status >= 200 && xhr.status < 300 && body.id) {
        setResult(`Imported ${repository}:${tag} (${shortId(body.id.replace(/^sha256:/, ""))}).`);
        onDone();
      } else setError(body.error?.message ?? `import failed: HTTP ${xhr.status} ${xhr.statusText}`);
    };
    xhr.onerror = () => {
      setPending(false);
      setError("the upload failed (network error)");
    };
    xhr.onabort = () => setPending(false);
    setPending(true);
    setError(null);
    setResult(null);
    setUpload({ sent: 0, total: file.size });
    setStartedAt(Date.now());
    xhr.send(file);
  };

  return (
    <Modal
      title="Import tarball"
      description={<>A root filesystem tarball, as <code className="font-mono text-xs">docker import</code> takes it, becomes an image on this host.</>}
      onClose={() => {
        if (xhrRef.current && pending) xhrRef.current.abort();
        onClose();
      }}
    >
      {(close) => {
        const submit = (e: FormEvent<HTMLFormElement>) => {
          e.preventDefault();
          const f = new FormData(e.currentTarget);
          const file = f.get("file");
          if (!(file instanceof File) || file.size === 0) return setError("choose a tarball");
          send(file, String(f.get("repository") ?? "").trim(), String(f.get("tag") ?? "").trim() || "latest");
        };
        const uploaded = upload && upload.sent >= upload.total;
        const serverOp = startedAt > 0 ? (ops[0] ?? null) : null;
        return (
          <form onSubmit={submit} className="space-y-3">
            <div>
              <label htmlFor={`${id}-file`} className={labelClass}>
                Tarball
              </label>
              <input
                id={`${id}-file`}
                name="file"
                type="file"
                required
                accept=".tar,.tar.gz,.tgz,application/x-tar,application/gzip"
                className="block w-full text-sm text-zinc-700 file:mr-3 file:rounded-md file:border file:border-zinc-300 file:bg-white file:px-3 file:py-1.5 file:text-sm file:font-medium file:text-zinc-800 hover:file:bg-zinc-50 dark:text-zinc-300 dark:file:border-zinc-700 dark:file:bg-zinc-900 dark:file:text-zinc-100"
              />
            </div>
            <div className="grid grid-cols-[2fr_1fr] gap-3">
              <div>
                <label htmlFor={`${id}-repo`} className={labelClass}>
                  Repository
                </label>
                <input id={`${id}-repo`} name="repository" required placeholder="local/myimage" autoComplete="off" spellCheck={false} className={`${inputClass} font-mono text-xs`} />
              </div>
              <div>
                <label htmlFor={`${id}-tag`} className={labelClass}>
                  Tag
                </label>
                <input id={`${id}-tag`} name="tag" placeholder="latest" autoComplete="off" spellCheck={false} className={`${inputClass} font-mono text-xs`} />
              </div>
            </div>
            {upload && (
              <div className="space-y-1">
                <div className="flex justify-between text-xs text-zinc-600 tabular-nums dark:text-zinc-400">
                  <span>{uploaded ? "Uploaded" : "Uploading"}</span>
                  <span>
                    {bytes(upload.sent)} of {bytes(upload.total)}
                  </span>
                </div>
                <ProgressBar label="Upload" current={upload.sent} total={upload.total} tone={uploaded ? "emerald" : "sky"} />
              </div>
            )}
            {serverOp ? (
              <ul>
                <OperationLine op={serverOp} title="Import on the host" />
              </ul>
            ) : (
              uploaded && pending && <p className="text-xs text-zinc-600 dark:text-zinc-400">Waiting for the host…</p>
            )}
            {result && (
              <p role="status" className="text-sm text-emerald-700 dark:text-emerald-400">
                {result}
              </p>
            )}
            <FormError message={error} />
            <DialogButtons onCancel={close} pending={pending} submitLabel={result ? "Import another" : "Import"} pendingLabel="Importing…" />
          </form>
        );
      }}
    </Modal>
  );
}
