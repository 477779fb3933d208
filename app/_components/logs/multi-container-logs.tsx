"use client";

import { useMemo, useState } from "react";
import { ContainerPicker, toTarget } from "./container-picker";
import { LogViewer } from "./log-viewer";
import { targetKey, type ViewerOptions } from "./log-subscriptions";
import { DEFAULT_VIEWER_OPTIONS, ReadOptionsForm } from "./read-options-form";
import { StreamStatusBadges } from "./stream-status";
import { useLogStreams } from "./use-log-streams";
import type { FleetContainer, HostSummary } from "../trpc";
import { EmptyState } from "../ui";
import { canOn, useUser } from "../user";

/** A container picker beside one viewer of the picked containers' lines, merged by time and tagged. */
export function MultiContainerLogs({ containers, hosts, selected, onSelect, baseName, heightClass }: {
  containers: FleetContainer[];
  hosts: HostSummary[];
  selected: Set<string>;
  onSelect: (next: Set<string>) => void;
  baseName: string;
  heightClass: string;
}) {
  const { access } = useUser();
  const [options, setOptions] = useState<ViewerOptions>(DEFAULT_VIEWER_OPTIONS);
  const [generation, setGeneration] = useState(0);
  const targets = useMemo(
    () => containers.map(toTarget).filter((t) => selected.has(targetKey(t)) && canOn(access, "logs:read", t.hostId)),
    [containers, selected, access],
  );
  const { store, statuses, connected, retry } = useLogStreams(targets, options, generation);
  const colourOf = (key: string) => {
    const id = store.sources.findIndex((s) => s.key === key);
    return id === -1 || !selected.has(key) ? null : id;
  };
  return (
    <div className="grid gap-3 lg:grid-cols-[20rem_minmax(0,1fr)]">
      <div className={`flex flex-col ${heightClass}`}>
        <ContainerPicker containers={containers} hosts={hosts} selected={selected} onChange={onSelect} colourOf={colourOf} />
      </div>
      <div className="min-w-0 space-y-2">
        <ReadOptionsForm
          value={options}
          onApply={(o) => {
            setOptions(o);
            setGeneration((g) => g + 1);
          }}
        />
        {targets.length === 0 ? (
          <EmptyState title="No containers picked">Choose one or more containers to see their logs merged here, each line tagged with its host and container.</EmptyState>
        ) : (
          <LogViewer store={store} tagged baseName={baseName} heightClass={heightClass} status={<StreamStatusBadges statuses={statuses} connected={connected} onRetry={retry} />} />
        )}
      </div>
    </div>
  );
}
