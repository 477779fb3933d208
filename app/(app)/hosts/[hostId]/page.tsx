import { HostDetailView } from "../../../_components/host-detail-view";

export default async function HostPage({ params }: { params: Promise<{ hostId: string }> }) {
  const { hostId } = await params;
  return <HostDetailView hostId={decodeURIComponent(hostId)} />;
}
