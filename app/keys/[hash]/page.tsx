import type { Metadata } from "next";
import { Suspense } from "react";
import { ChartSkeleton } from "@/components/charts/chart-skeleton";
import { shortHash } from "@/lib/view/format/keys";
import { pageAccess } from "../../_lib/access";
import { KeyDetailClient } from "./key-detail-client";

type Params = { params: Promise<{ hash: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  return { title: `Key ${shortHash((await params).hash)}` };
}

export default async function KeyDetailPage({ params }: Params) {
  const { hash } = await params;
  await pageAccess(`/keys/${encodeURIComponent(hash)}`);
  return (
    <Suspense fallback={<ChartSkeleton />}>
      <KeyDetailClient hash={hash} />
    </Suspense>
  );
}
