import { Suspense } from "react";
import { PageHeader } from "@/components/ui/page-header";
import { SkeletonRows } from "@/components/ui/skeleton";
import { app } from "@/lib/server/app";
import { pageAccess } from "../_lib/access";
import { OverviewClient } from "./overview-client";

export const metadata = { title: "Keys" };

export default async function KeysPage() {
  const me = await pageAccess("/keys");
  const { writesDisabled } = await app();
  return (
    <>
      <PageHeader
        title="Keys"
        description="Every virtual key's real concurrency against its max_parallel_requests, worst first."
      />
      <Suspense fallback={<SkeletonRows rows={6} label="Loading keys" />}>
        <OverviewClient canEditLimits={me.role === "admin" && writesDisabled === null} />
      </Suspense>
    </>
  );
}
