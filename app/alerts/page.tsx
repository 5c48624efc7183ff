import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { BUTTON } from "@/components/ui/controls";
import { PageHeader } from "@/components/ui/page-header";
import { SkeletonRows } from "@/components/ui/skeleton";
import { pageAccess } from "../_lib/access";
import { AlertsClient } from "./alerts-client";

export const metadata: Metadata = { title: "Alerts" };

export default async function AlertsPage() {
  const me = await pageAccess("/alerts");
  const admin = me.role === "admin";
  return (
    <>
      <PageHeader
        title="Alerts"
        description={
          me.teams === null
            ? "Keys that ran more requests at once than their limit, limiters stuck or counting wrong: each alert with its evidence and where it was told."
            : "Alerts of your teams' keys: each with its evidence and where it was told."
        }
        actions={
          admin ? (
            <Link href="/settings/alerts" className={`${BUTTON} px-3 py-1.5 text-sm`}>
              Alert settings
            </Link>
          ) : null
        }
      />
      <Suspense fallback={<SkeletonRows rows={6} label="Loading alerts" />}>
        <AlertsClient admin={admin} />
      </Suspense>
    </>
  );
}
