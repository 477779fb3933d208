"use client";

import { useState } from "react";
import { cx, smallButtonClass } from "../ui";
import { AddRowButton, compactInputClass, FieldError, RemoveRowButton, RowHeader } from "./form-parts";
import { rowId, type KeyValue } from "./spec-model";

const GRID = "grid-cols-[minmax(0,2fr)_minmax(0,3fr)_2.75rem_2rem]";

/**
 * Editable key/value rows (environment, labels). With `secret`, values are masked until revealed
 * one by one (or all at once) so a shoulder-surfer or a screenshot does not catch them.
 */
export function KeyValueRows({ noun, rows, onChange, errors, secret = false, keyPlaceholder = "KEY", valuePlaceholder = "value" }: {
  noun: string;
  rows: KeyValue[];
  onChange: (rows: KeyValue[]) => void;
  errors: (index: number) => string | undefined;
  secret?: boolean;
  keyPlaceholder?: string;
  valuePlaceholder?: string;
}) {
  const [revealed, setRevealed] = useState<Set<string>>(new Set());
  const toggle = (id: string) => setRevealed((s) => {
    const n = new Set(s);
    if (n.has(id)) n.delete(id);
    else n.add(id);
    return n;
  });
  const update = (id: string, patch: Partial<KeyValue>) => onChange(rows.map((r) => (r.id === id ? { ...r, ...patch } : r)));
  const allShown = rows.length > 0 && rows.every((r) => revealed.has(r.id));
  return (
    <div className="space-y-1.5">
      {rows.length > 0 && <RowHeader columns={["Key", "Value", "", ""]} gridClass={GRID} />}
      {rows.map((r, i) => (
        <div key={r.id}>
          <div className={cx("grid items-center gap-2", GRID)}>
            <input
              aria-label={`${noun} ${i + 1} key`}
              value={r.key}
              onChange={(e) => update(r.id, { key: e.target.value })}
              placeholder={keyPlaceholder}
              spellCheck={false}
              autoComplete="off"
              className={cx(compactInputClass, "font-mono text-xs")}
            />
            <input
              aria-label={`${noun} ${i + 1} value`}
              type={secret && !revealed.has(r.id) ? "password" : "text"}
              value={r.value}
              onChange={(e) => update(r.id, { value: e.target.value })}
              placeholder={valuePlaceholder}
              spellCheck={false}
              autoComplete="off"
              className={cx(compactInputClass, "font-mono text-xs")}
            />
            {secret ? (
              <button
                type="button"
                className={cx(smallButtonClass.ghost, "h-8 w-11")}
                aria-pressed={revealed.has(r.id)}
                aria-label={`${revealed.has(r.id) ? "Hide" : "Reveal"} value of ${r.key || `${noun} ${i + 1}`}`}
                onClick={() => toggle(r.id)}
              >
                {revealed.has(r.id) ? "Hide" : "Show"}
              </button>
            ) : (
              <span />
            )}
            <RemoveRowButton label={`Remove ${noun.toLowerCase()} ${r.key || i + 1}`} onClick={() => onChange(rows.filter((x) => x.id !== r.id))} />
          </div>
          <FieldError message={errors(i)} />
        </div>
      ))}
      <div className="flex items-center gap-2">
        <AddRowButton label={`Add ${noun.toLowerCase()}`} onClick={() => onChange([...rows, { id: rowId(), key: "", value: "" }])} />
        {secret && rows.length > 1 && (
          <button type="button" className={smallButtonClass.ghost} onClick={() => setRevealed(allShown ? new Set() : new Set(rows.map((r) => r.id)))}>
            {allShown ? "Hide all values" : "Reveal all values"}
          </button>
        )}
      </div>
    </div>
  );
}
