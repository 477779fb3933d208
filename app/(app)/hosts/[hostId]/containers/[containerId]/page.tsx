import { ContainerDetailsView } from "../../../../../_components/control/container-details-view";

export default async function ContainerPage({ params }: { params: Promise<{ hostId: string; containerId: string }> }) {
  const { hostId, containerId } = await params;
  return <ContainerDetailsView hostId={decodeURIComponent(hostId)} containerId={decodeURIComponent(containerId)} />;
}
