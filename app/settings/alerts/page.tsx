import type { Metadata } from "next";
import Link from "next/link";
import { BUTTON } from "@/components/ui/controls";
import { PageHeader } from "@/components/ui/page-header";
import { pageAccess } from "../../_lib/access";
import { AlertSettingsClient } from "./alert-settings-client";

export const metadata: Metadata = { title: "Alert settings" };

export default async function AlertSettingsPage() {
  await pageAccess("/settings/alerts", "admin");
  return (
    <>
      <PageHeader
        title="Alert settings"
        description="What Inflight alerts on, where it tells, and what it keeps quiet for a while. Every change is in the audit trail."
        actions={
          <div className="flex items-center gap-2">
            <a
              href="/api/alerts/prometheus-rules"
              download
              className={`${BUTTON} px-3 py-1.5 text-sm`}
              title="The enabled rules as a Prometheus alerting-rules file over Inflight's /metrics, for an Alertmanager you already run"
            >
              Download Prometheus rules
            </a>
            <Link href="/alerts" className={`${BUTTON} px-3 py-1.5 text-sm`}>
              All alerts
            </Link>
          </div>
        }
      />
      <AlertSettingsClient />
    </>
  );
}
