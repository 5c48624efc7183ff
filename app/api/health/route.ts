import { db } from "@/lib/db";
import { serviceProbes } from "@/lib/deps";
import { checkServices } from "@/lib/health/check";
import { handle } from "../_lib/handle";

export const GET = handle(async () => ({ services: await checkServices(await db(), serviceProbes()) }));
