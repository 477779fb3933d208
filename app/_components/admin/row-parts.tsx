"use client";

import { trpcMessage } from "../trpc";
import { Badge, ConfirmButton, cx, FormError, smallButtonClass, tdClass } from "../ui";

/** First cell of a team, role or group row: name, "built-in" badge, description. */
export function NameCell({ name, builtin = false, description, widthClass }: { name: string; builtin?: boolean; description: string; widthClass?: string }) {
  return (
    <td className={cx(tdClass, "align-top", widthClass)}>
      <div className="flex items-center gap-2 font-medium">
        {name}
        {builtin && (
          <Badge tone="gray" dot={false}>
            built-in
          </Badge>
        )}
      </div>
      {description && <div className="text-xs text-zinc-500 dark:text-zinc-400">{description}</div>}
    </td>
  );
}

/** Last cell: Edit (or Rename) and a two-step Delete, hidden for built-ins; the server's refusal shows below. */
export function EditDeleteCell({ name, builtin = false, editLabel = "Edit", deletePrompt, onEdit, onDelete, deleting, error }: {
  name: string;
  builtin?: boolean;
  editLabel?: string;
  deletePrompt: string;
  onEdit: () => void;
  onDelete: () => void;
  deleting: boolean;
  error: unknown;
}) {
  return (
    <td className={cx(tdClass, "align-top")}>
      {!builtin && (
        <div className="flex flex-wrap justify-end gap-1.5">
          <button type="button" className={smallButtonClass.secondary} aria-label={`${editLabel} ${name}`} onClick={onEdit}>
            {editLabel}
          </button>
          <ConfirmButton label="Delete" accessibleName={`Delete ${name}`} prompt={deletePrompt} pending={deleting} onConfirm={onDelete} />
        </div>
      )}
      {error ? (
        <div className="mt-1.5">
          <FormError message={trpcMessage(error)} />
        </div>
      ) : null}
    </td>
  );
}

/** "Its 3 grants go too." */
export function grantsGoToo(grants: number, fallback: string): string {
  return grants ? `Its ${grants} grant${grants === 1 ? "" : "s"} go too.` : fallback;
}
