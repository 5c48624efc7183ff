import type { z } from "zod";
import { ApiErrorBodySchema } from "../api/common";

/** An error answered by Inflight's own API (or an answer that breaks its contract), with a readable message. */
export class ApiClientError extends Error {
  constructor(
    public readonly status: number,
    public readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ApiClientError";
  }
}

/**
 * GET JSON from Inflight's API and check it against the route's contract: non-2xx answers become
 * ApiClientError with the server's message, and so does an answer the contract does not describe.
 */
export async function fetchJson<S extends z.ZodType>(input: string, schema: S, init?: RequestInit): Promise<z.output<S>> {
  let res: Response;
  try {
    res = await fetch(input, { ...init, headers: { accept: "application/json", ...init?.headers } });
  } catch (e) {
    if ((e as Error).name === "AbortError") throw e;
    throw new ApiClientError(0, "network", "Inflight's server did not answer (is it running?)");
  }
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const parsed = ApiErrorBodySchema.safeParse(body);
    if (parsed.success) throw new ApiClientError(res.status, parsed.data.error.code, parsed.data.error.message);
    throw new ApiClientError(res.status, "http", `Request failed with status ${res.status}`);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const where = parsed.error.issues[0]?.path.join(".") || "answer";
    throw new ApiClientError(res.status, "contract", `Inflight's server answered ${input.split("?")[0]} in an unexpected shape (${where}: ${parsed.error.issues[0]?.message})`);
  }
  return parsed.data;
}

/**
 * A write from the browser (JSON in, JSON out). Failures become ApiClientError with the server's
 * message: Inflight's routes answer {error:{code,message}}, better-auth's answer {code,message}.
 */
export async function sendJson<T>(input: string, body: unknown, method = "POST"): Promise<T> {
  let res: Response;
  try {
    res = await fetch(input, { method, headers: { "content-type": "application/json", accept: "application/json" }, body: JSON.stringify(body) });
  } catch {
    throw new ApiClientError(0, "network", "Inflight's server did not answer (is it running?)");
  }
  const json = (await res.json().catch(() => null)) as { code?: string; message?: string } | null;
  if (!res.ok) {
    const ours = ApiErrorBodySchema.safeParse(json);
    if (ours.success) throw new ApiClientError(res.status, ours.data.error.code, ours.data.error.message);
    throw new ApiClientError(res.status, json?.code ?? "http", json?.message ?? `Request failed with status ${res.status}`);
  }
  return json as T;
}
