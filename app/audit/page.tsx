import type { Metadata } from "next";
import { Suspense } from "react";
import { PageHeader } from "@/components/ui/page-header";
import { SkeletonRows } from "@/components/ui/skeleton";
import { pageAccess } from "../_lib/access";
import { AuditClient } from "./audit-client";

export const metadata: Metadata = { title: "Audit" };

export default async function AuditPage() {
  const me = await pageAccess("/audit");
  return (
    <>
      <PageHeader
        title="Audit trail"
        description={
          me.teams === null
            ? "Every limit change made through Inflight (who, when, before, after, how it ended), changes seen on the proxy, and account changes."
            : "Every limit change of your teams' keys, made through Inflight or seen on the proxy."
        }
      />
      <Suspense fallback={<SkeletonRows rows={6} label="Loading the audit trail" />}>
        <AuditClient />
      </Suspense>
    </>
  );
}
