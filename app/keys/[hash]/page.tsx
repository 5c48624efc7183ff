import type { Metadata } from "next";
import { Suspense } from "react";
import { ChartSkeleton } from "@/components/charts/chart-skeleton";
import { shortHash } from "@/lib/view/format/keys";
import { KeyDetailClient } from "./key-detail-client";

type Params = { params: Promise<{ hash: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  return { title: `Key ${shortHash((await params).hash)}` };
}

export default async function KeyDetailPage({ params }: Params) {
  const { hash } = await params;
  return (
    <Suspense fallback={<ChartSkeleton />}>
      <KeyDetailClient hash={hash} />
    </Suspense>
  );
}
