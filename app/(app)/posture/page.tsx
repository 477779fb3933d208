import type { Metadata } from "next";
import { PostureView } from "../../_components/inspector/posture-view";

export const metadata: Metadata = { title: "Posture" };

export default function PosturePage() {
  return <PostureView />;
}
