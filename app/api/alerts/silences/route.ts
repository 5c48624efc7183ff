import { SilenceInputSchema } from "@/lib/api/alerts";
import { addSilence } from "@/lib/alerts/manage";
import { alertingDeps } from "../../_lib/alerting";
import { withAccess } from "../../_lib/handle";
import { readJson } from "../../_lib/read-json";

/** Silences still in force. */
export const GET = withAccess("viewer", async (_req, { app }) => ({ silences: await app.store.alerts.listSilences(Date.now()) }));

export const POST = withAccess("admin", async (req, access) => addSilence(alertingDeps(access), SilenceInputSchema.parse(await readJson(req))));
