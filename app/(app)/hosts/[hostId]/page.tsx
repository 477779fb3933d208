import { Suspense } from "react";
import { HostDetailView } from "../../../_components/host-detail-view";

export default async function HostPage({ params }: { params: Promise<{ hostId: string }> }) {
  const { hostId } = await params;
  return (
    <Suspense>
      <HostDetailView hostId={decodeURIComponent(hostId)} />
    </Suspense>
  );
}
