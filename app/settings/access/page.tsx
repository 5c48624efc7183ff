import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { app } from "@/lib/server/app";
import { pageAccess } from "../../_lib/access";
import { AccessClient } from "./access-client";

export const metadata: Metadata = { title: "Access" };

export default async function AccessPage() {
  await pageAccess("/settings/access", "admin");
  const { config } = await app();
  return (
    <>
      <PageHeader title="Access" description="Who may use Inflight, with which role, and the API tokens scripts use." />
      <AccessClient sso={config.INFLIGHT_OIDC_ISSUER ? config.INFLIGHT_OIDC_NAME : null} />
    </>
  );
}
