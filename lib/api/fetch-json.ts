/** An API call from the browser: the JSON answer, or an Error carrying the server's readable message. */
export async function sendJson<T>(url: string, body: unknown, method = "POST"): Promise<T> {
  const res = await fetch(url, { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const json = (await res.json().catch(() => null)) as { error?: { message?: string } | string; message?: string } | null;
  if (!res.ok) {
    const err = json?.error;
    // Inflight's routes answer {error:{message}}; better-auth's answer {message}.
    throw new Error((typeof err === "object" ? err?.message : undefined) ?? json?.message ?? `Request failed (${res.status})`);
  }
  return json as T;
}
