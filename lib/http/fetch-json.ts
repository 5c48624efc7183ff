import { ApiErrorBodySchema } from "./api-error";

/** An error answered by Inflight's own API, carrying its readable message. */
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

/** GET/POST JSON from Inflight's API; non-2xx answers become ApiClientError with the server's message. */
export async function fetchJson<T>(input: string, init?: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(input, { ...init, headers: { accept: "application/json", ...init?.headers } });
  } catch {
    throw new ApiClientError(0, "network", "Inflight's server did not answer (is it running?)");
  }
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const parsed = ApiErrorBodySchema.safeParse(body);
    if (parsed.success) throw new ApiClientError(res.status, parsed.data.error.code, parsed.data.error.message);
    throw new ApiClientError(res.status, "http", `Request failed with status ${res.status}`);
  }
  return body as T;
}
