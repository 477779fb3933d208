import { CreateContainerView } from "../../../../../_components/control/create-container-view";

export default async function NewContainerPage({ params }: { params: Promise<{ hostId: string }> }) {
  const { hostId } = await params;
  return <CreateContainerView hostId={decodeURIComponent(hostId)} />;
}
