import type { APIRequestContext, BrowserContext, Response } from "@playwright/test";

/** One response the browser received: its headers and body as it got them. */
export interface Received {
  url: string;
  status: number;
  contentType: string;
  /** Every header, `name: value` per line. */
  headers: string;
  /** Null only for a redirect (no body to read); `unreadable` then says "redirect". */
  body: Buffer | null;
  unreadable: string | null;
  /**
   * The browser dropped the body before it could be read (its page navigated away meanwhile, as a
   * poll answered just then): the same GET was asked again and that body is the one scanned.
   */
  refetched: boolean;
}

async function read(res: Response, request: APIRequestContext): Promise<Received> {
  // Asked for at once: the browser keeps a body only while its page stays.
  const body = res.body().then(
    (b) => ({ b, error: null }),
    (e: Error) => ({ b: null, error: e.message }),
  );
  const status = res.status();
  const all = await res.allHeaders().catch(() => res.headers());
  const headers = Object.entries(all)
    .map(([k, v]) => `${k}: ${v}`)
    .join("\n");
  const base = { url: res.url(), status, contentType: all["content-type"] ?? "", headers, refetched: false };
  const got = await body;
  if (status >= 300 && status < 400) return { ...base, body: null, unreadable: "redirect" };
  if (got.b) return { ...base, body: got.b, unreadable: null };
  if (res.request().method() === "GET" && /navigated away|No resource with given identifier/.test(got.error ?? "")) {
    const sent = Object.entries(await res.request().allHeaders()).filter(([k]) => !k.startsWith(":") && k !== "host");
    const refetch = () => request.get(res.url(), { headers: Object.fromEntries(sent), maxRedirects: 0 });
    // A kept-alive socket the server closed as idle at the same moment it was reused: ask once more.
    const again = await refetch().catch((e: Error) => (/socket hang up|ECONNRESET/.test(e.message) ? refetch() : Promise.reject(e)));
    return { ...base, body: await again.body(), unreadable: null, refetched: true };
  }
  return { ...base, body: null, unreadable: got.error };
}

/**
 * Records every response any page of `context` receives from now on (documents, RSC payloads, API
 * JSON, JS and CSS chunks, fonts…); `settle()` waits for the bodies asked for so far (call it before
 * a navigation: the browser drops the old page's bodies), `stop()` stops recording and returns them all.
 */
export function recordResponses(context: BrowserContext) {
  const pending: Promise<Received>[] = [];
  const onResponse = (res: Response) => void pending.push(read(res, context.request));
  context.on("response", onResponse);
  return {
    async settle(): Promise<void> {
      await Promise.all(pending);
    },
    async stop(): Promise<Received[]> {
      context.off("response", onResponse);
      return Promise.all(pending);
    },
  };
}

/** A short kind for a content type, to say what was covered. */
export function kindOf(r: Received): string {
  const t = r.contentType;
  if (t.includes("text/x-component")) return "rsc";
  if (t.includes("text/html")) return "html";
  if (t.includes("json")) return "json";
  if (t.includes("javascript")) return "js";
  if (t.includes("text/css")) return "css";
  if (t.includes("text/plain")) return "text";
  if (t.includes("font")) return "font";
  if (t.startsWith("image/")) return "image";
  return t || "none";
}
