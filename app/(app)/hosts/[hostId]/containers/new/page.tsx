import { Suspense } from "react";
import { CreateContainerView } from "../../../../../_components/control/create-container-view";

export default async function NewContainerPage({ params }: { params: Promise<{ hostId: string }> }) {
  const { hostId } = await params;
  return (
    <Suspense>
      <CreateContainerView hostId={decodeURIComponent(hostId)} />
    </Suspense>
  );
}
