"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { bytes, plainText, shortId } from "../format";
import { trpcMessage, useTRPC } from "../trpc";
import { buttonClass, ConfirmButton, cx, RelativeTime, tdClass, trClass } from "../ui";
import { useCan } from "../user";
import { ContainerLinks } from "./container-links";
import { ImportImageDialog, PullImageDialog } from "./image-dialogs";
import { OperationLine, useHostOperations } from "./operation-progress";
import { ResourcePanel, usePanelNote, type Note } from "./panel-note";

const COLUMNS = ["Tags", "ID", "Size", "Created", "In use by", ""] as const;

export function ImagesPanel({ hostId }: { hostId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const can = useCan();
  const images = useQuery(trpc.images.list.queryOptions({ hostId }, { refetchOnMount: "always" }));
  const [dialog, setDialog] = useState<"pull" | "import" | null>(null);
  const [pruneAll, setPruneAll] = useState(false);
  const ops = [...useHostOperations(hostId, "pull"), ...useHostOperations(hostId, "import")];
  const writable = can("image:write", hostId);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.images.list.queryKey({ hostId }) });
  const panel = usePanelNote(refresh);
  const prune = useMutation(
    trpc.images.prune.mutationOptions(panel.reporting((r) => `Pruned ${r.deleted.length} ${r.deleted.length === 1 ? "image layer" : "image layers"}, reclaimed ${bytes(r.spaceReclaimedBytes)}.`)),
  );
  const total = (images.data ?? []).reduce((n, i) => n + i.sizeBytes, 0);
  return (
    <>
      <ResourcePanel
        noun={{ one: "image", many: "images" }}
        query={images}
        columns={COLUMNS}
        rightAligned={["Size"]}
        writable={writable}
        panel={panel}
        create={
          <>
            <span className="mr-2 text-xs text-zinc-500 tabular-nums dark:text-zinc-400">{bytes(total)} in all</span>
            <button type="button" className={buttonClass.secondary} onClick={() => setDialog("pull")}>
              Pull image
            </button>
            <button type="button" className={buttonClass.secondary} onClick={() => setDialog("import")}>
              Import tarball
            </button>
          </>
        }
        prune={{
          pending: prune.isPending,
          onConfirm: () => prune.mutate({ hostId, all: pruneAll }),
          prompt: (
            <label className="inline-flex items-center gap-1.5">
              <input type="checkbox" checked={pruneAll} onChange={(e) => setPruneAll(e.target.checked)} className="accent-sky-600" />
              every unused image, not only dangling ones
            </label>
          ),
        }}
        extra={
          ops.length > 0 && (
            <ul aria-label="Image operations" className="space-y-2 rounded-lg border border-zinc-200 bg-white p-3 dark:border-zinc-800 dark:bg-zinc-900">
              {ops.map((op) => (
                <OperationLine key={op.operationId} op={op} title={op.kind === "pull" ? "Pull" : "Import"} />
              ))}
            </ul>
          )
        }
      >
        {(img) => <ImageRow key={img.id} hostId={hostId} img={img} writable={writable} onChanged={refresh} onNote={panel.setNote} />}
      </ResourcePanel>
      {dialog === "pull" && <PullImageDialog hostId={hostId} onClose={() => setDialog(null)} onDone={refresh} />}
      {dialog === "import" && <ImportImageDialog hostId={hostId} onClose={() => setDialog(null)} onDone={refresh} />}
    </>
  );
}

type Image = { id: string; tags: string[]; sizeBytes: number; createdAt: string; containers: { id: string; name: string; state: string }[] };

function ImageRow({ hostId, img, writable, onChanged, onNote }: { hostId: string; img: Image; writable: boolean; onChanged: () => void; onNote: (n: Note) => void }) {
  const trpc = useTRPC();
  const [force, setForce] = useState(false);
  const remove = useMutation(
    trpc.images.remove.mutationOptions({
      onSuccess: (r) => {
        onNote({ tone: "ok", text: `Removed ${img.tags[0] ?? shortId(img.id.replace(/^sha256:/, ""))}: ${r.untagged.length} untagged, ${r.deleted.length} deleted.` });
        onChanged();
      },
      onError: (err) => onNote({ tone: "error", text: trpcMessage(err) }),
    }),
  );
  const tags = img.tags.filter((t) => t !== "<none>:<none>");
  const name = tags[0] ?? shortId(img.id.replace(/^sha256:/, ""));
  return (
    <tr className={trClass}>
      <td className={cx(tdClass, "max-w-96")}>
        {tags.length ? (
          <ul className="space-y-0.5">
            {tags.map((t) => (
              <li key={t} className="truncate font-mono text-xs" title={t}>
                {plainText(t)}
              </li>
            ))}
          </ul>
        ) : (
          <span className="text-xs text-zinc-500 italic dark:text-zinc-400">untagged</span>
        )}
      </td>
      <td className={cx(tdClass, "font-mono text-xs")} title={img.id}>
        {shortId(img.id.replace(/^sha256:/, ""))}
      </td>
      <td className={cx(tdClass, "text-right whitespace-nowrap tabular-nums")}>{bytes(img.sizeBytes)}</td>
      <td className={tdClass}>
        <RelativeTime value={img.createdAt} />
      </td>
      <td className={cx(tdClass, "max-w-72")}>
        <ContainerLinks hostId={hostId} containers={img.containers.map((c) => ({ ...c, note: c.state === "running" ? null : c.state }))} />
      </td>
      <td className={cx(tdClass, "text-right")}>
        {writable && (
          <ConfirmButton
            label="Remove"
            accessibleName={`Remove image ${name}`}
            variant="danger"
            pending={remove.isPending}
            prompt={
              <label className="inline-flex items-center gap-1">
                <input type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} className="accent-sky-600" />
                force
              </label>
            }
            onConfirm={() => remove.mutate({ hostId, imageId: img.id, force: force || undefined })}
          />
        )}
      </td>
    </tr>
  );
}
