import type { Metadata } from "next";
import { pageAccess } from "../../_lib/access";
import { BurstReportClient } from "./burst-report-client";

type Params = { params: Promise<{ id: string }> };

export const metadata: Metadata = { title: "Burst test" };

export default async function BurstPage({ params }: Params) {
  const { id } = await params;
  const who = await pageAccess(`/bursts/${encodeURIComponent(id)}`);
  return <BurstReportClient id={id} canCancel={who.role === "admin"} />;
}
