"use client";

import { useSearchParams } from "next/navigation";
import { useEffect, useState, type ReactNode } from "react";
import { useCan } from "../user";
import { HostTabs, type HostTab } from "./host-tabs";
import { ImagesPanel } from "./images-panel";
import { NetworksPanel } from "./networks-panel";
import { VolumesPanel } from "./volumes-panel";

/**
 * Containers | Images | Volumes | Networks on the host page, each tab only for callers who may read it.
 * `extraTabs` leaves room for more (an events tab) without touching this file.
 */
export function HostResourceTabs({ hostId, containers, containerCount, actions, extraTabs = [] }: {
  hostId: string;
  containers: ReactNode;
  containerCount: number | null;
  actions?: ReactNode;
  extraTabs?: HostTab[];
}) {
  const can = useCan();
  const tabs: HostTab[] = [
    { id: "containers", label: "Containers", count: containerCount, panel: containers },
    ...(can("image:read", hostId) ? [{ id: "images", label: "Images", panel: <ImagesPanel hostId={hostId} /> }] : []),
    ...(can("volume:read", hostId) ? [{ id: "volumes", label: "Volumes", panel: <VolumesPanel hostId={hostId} /> }] : []),
    ...(can("network:read", hostId) ? [{ id: "networks", label: "Networks", panel: <NetworksPanel hostId={hostId} /> }] : []),
    ...extraTabs,
  ];
  return (
    <section aria-label="Host resources" className="relative">
      {actions && <div className="absolute top-0 right-0 flex items-center gap-2">{actions}</div>}
      <HostTabs tabs={tabs} />
    </section>
  );
}

/** `?highlight=<containerId>` (set after creating one): marked for a few seconds, then dropped from the URL. */
export function useHighlightParam(): string | null {
  const param = useSearchParams().get("highlight");
  const [id, setId] = useState<string | null>(param);
  useEffect(() => {
    if (!param) return;
    setId(param);
    const t = window.setTimeout(() => {
      setId(null);
      const url = new URL(window.location.href);
      url.searchParams.delete("highlight");
      window.history.replaceState(window.history.state, "", url);
    }, 6000);
    return () => window.clearTimeout(t);
  }, [param]);
  return id;
}
