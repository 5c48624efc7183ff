// A browser driven by hand with fetch: redirects followed on request, cookies kept and sent by path.

/** Cookies kept by name and path and sent where their path applies; redirects followed on request. */
export class HandBrowser {
  private cookies = new Map<string, { name: string; value: string; path: string }>();

  async get(url: string): Promise<Response> {
    return this.request(url, { method: "GET" });
  }

  /** Posts the login form, as a browser would. */
  async submit(url: string, login: string): Promise<Response> {
    return this.request(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ login }).toString(),
    });
  }

  /** GETs `url` and follows redirects to the first page that is not one. */
  async follow(url: string): Promise<Response> {
    for (let hop = 0; hop < 10; hop++) {
      const res = await this.get(url);
      const location = res.headers.get("location");
      if (!location) return res;
      url = new URL(location, url).toString();
    }
    throw new Error(`more than 10 redirects from ${url}`);
  }

  /** Follows the redirects from `res` until one points at `target`, which is not requested. */
  async followUntil(res: Response, target: string): Promise<URL> {
    let from = res;
    for (let hop = 0; hop < 10; hop++) {
      const location = from.headers.get("location");
      if (!location) throw new Error(`${from.url} answered ${from.status} without reaching ${target}: ${await from.text()}`);
      const next = new URL(location, from.url);
      if (next.origin + next.pathname === target) return next;
      from = await this.get(next.toString());
    }
    throw new Error(`more than 10 redirects without reaching ${target}`);
  }

  private async request(url: string, init: RequestInit): Promise<Response> {
    const { pathname } = new URL(url);
    const cookie = [...this.cookies.values()]
      .filter((c) => pathname === c.path || pathname.startsWith(c.path.endsWith("/") ? c.path : `${c.path}/`))
      .map((c) => `${c.name}=${c.value}`)
      .join("; ");
    const res = await fetch(url, { ...init, redirect: "manual", headers: { ...init.headers, ...(cookie && { cookie }) } });
    for (const header of res.headers.getSetCookie()) this.store(header);
    return res;
  }

  private store(header: string): void {
    const [pair, ...attributes] = header.split(";").map((part) => part.trim());
    const [name, value] = [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)];
    const attr = (key: string) => attributes.find((a) => a.toLowerCase().startsWith(`${key}=`))?.split("=")[1];
    const path = attr("path") ?? "/";
    const expires = attr("expires");
    const expired = attr("max-age") === "0" || (expires !== undefined && Date.parse(expires) <= Date.now());
    if (expired) this.cookies.delete(`${name} ${path}`);
    else this.cookies.set(`${name} ${path}`, { name, value, path });
  }
}
