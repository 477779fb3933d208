"use client";

import { useMemo, useState } from "react";
import { EngineDownload } from "./engine-download";
import { StreamStatusBadges } from "./stream-status";
import { LogViewer } from "./log-viewer";
import { DEFAULT_VIEWER_OPTIONS, ReadOptionsForm } from "./read-options-form";
import type { ViewerOptions } from "./log-subscriptions";
import { useLogStreams } from "./use-log-streams";
import { useCan } from "../user";

/** The Logs tab of a container: one live stream in the viewer, with the read options above it. */
export function ContainerLogs({ hostId, hostName, containerId, containerName }: { hostId: string; hostName: string; containerId: string; containerName: string }) {
  const can = useCan();
  const [options, setOptions] = useState<ViewerOptions>(DEFAULT_VIEWER_OPTIONS);
  const [generation, setGeneration] = useState(0);
  const targets = useMemo(() => [{ hostId, containerId, hostName, containerName }], [hostId, containerId, hostName, containerName]);
  const { store, statuses, connected, retry } = useLogStreams(can("logs:read", hostId) ? targets : [], options, generation);
  if (!can("logs:read", hostId)) return <p className="text-zinc-600 dark:text-zinc-400">Your role cannot read logs on this host (logs:read).</p>;
  return (
    <div className="space-y-2">
      <ReadOptionsForm
        value={options}
        onApply={(o) => {
          setOptions(o);
          setGeneration((g) => g + 1);
        }}
      />
      <LogViewer store={store} tagged={false} baseName={containerName} downloadExtra={<EngineDownload hostId={hostId} containerId={containerId} containerName={containerName} options={options} />} heightClass="h-[calc(100dvh-21rem)] min-h-[360px]" status={<StreamStatusBadges statuses={statuses} connected={connected} onRetry={retry} />} />
    </div>
  );
}
