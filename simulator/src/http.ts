import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * LiteLLM's ProxyException as the proxy's openai_exception_handler renders it:
 * `{"error":{"message","type","param","code":"<string>"}}` with the HTTP status = code.
 */
export class ProxyError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type: string | null = "None",
    readonly param: string | null = "None",
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
  body(): string {
    return JSON.stringify({ error: { message: this.message, type: this.type, param: this.param, code: String(this.status) } });
  }
}

/** FastAPI's default 422 for a request validation error. */
export class ValidationError extends Error {
  constructor(readonly detail: unknown[]) {
    super("validation error");
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers?: Record<string, string>): void {
  const scratch = spareBody;
  spareBody = null;
  const bytes = jsonBytes(body, scratch);
  const h: Record<string, string | number> = { "content-type": "application/json", "content-length": bytes.length };
  if (headers) Object.assign(h, headers);
  res.writeHead(status, h);
  res.end(bytes, () => {
    // Written out: the memory can take the next body (fresh memory costs page faults, ~2 ms a MB here).
    if (bytes.buffer.byteLength >= (spareBody?.buffer.byteLength ?? 0)) spareBody = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.buffer.byteLength - bytes.byteOffset);
  });
}

/** A response body's memory, free again once that response was written. */
let spareBody: Buffer | null = null;

/**
 * JSON.stringify(body) as UTF-8 bytes, the same text, built from one string per array element
 * (and per top-level field). A spend-log page is ~1 MB: as one string it lands in V8's large-object
 * space, fresh memory each time, and building then encoding it cost ~4x the CPU of the pieces.
 */
export function jsonBytes(body: unknown, scratch: Buffer | null = null): Buffer {
  const parts: string[] = [];
  const arrayParts = (a: unknown[]) => {
    parts.push("[");
    a.forEach((e, i) => parts.push((i > 0 ? "," : "") + (JSON.stringify(e) ?? "null")));
    parts.push("]");
  };
  if (Array.isArray(body)) arrayParts(body);
  else if (body !== null && typeof body === "object" && Object.getPrototypeOf(body) === Object.prototype) {
    parts.push("{");
    let first = true;
    for (const [k, v] of Object.entries(body)) {
      if (v === undefined || typeof v === "function" || typeof v === "symbol") continue; // as JSON.stringify drops them
      parts.push((first ? "" : ",") + JSON.stringify(k) + ":");
      first = false;
      if (Array.isArray(v)) arrayParts(v);
      else parts.push(JSON.stringify(v));
    }
    parts.push("}");
  } else parts.push(JSON.stringify(body) ?? "null");
  let n = 0;
  for (const p of parts) n += Buffer.byteLength(p);
  const out = scratch !== null && scratch.length >= n ? scratch.subarray(0, n) : Buffer.allocUnsafeSlow(n);
  let at = 0;
  for (const p of parts) at += out.write(p, at);
  return out;
}

export function sendError(res: ServerResponse, e: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (e instanceof ProxyError) {
    const text = e.body();
    res.writeHead(e.status, { ...e.headers, "content-type": "application/json", "content-length": Buffer.byteLength(text) });
    res.end(text);
  } else if (e instanceof ValidationError) {
    sendJson(res, 422, { detail: e.detail });
  } else {
    const msg = e instanceof Error ? e.message : String(e);
    console.error("simulator: internal error:", e);
    sendJson(res, 500, { error: { message: `Internal Server Error, ${msg}`, type: "internal_server_error", param: "None", code: "500" } });
  }
}

const MAX_BODY = 8 * 1024 * 1024;

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new ProxyError(413, "Request body too large", "bad_request"));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(chunks.length === 1 ? chunks[0].toString("utf8") : Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** Parses a JSON object body the way FastAPI/pydantic would refuse it (422 json_invalid / model_attributes_type). */
export function parseJsonObject(text: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = text.length === 0 ? undefined : JSON.parse(text);
  } catch (e) {
    throw new ValidationError([
      { type: "json_invalid", loc: ["body", 0], msg: "JSON decode error", input: {}, ctx: { error: (e as Error).message } },
    ]);
  }
  if (v === undefined) throw new ValidationError([{ type: "missing", loc: ["body"], msg: "Field required", input: null }]);
  if (typeof v !== "object" || v === null || Array.isArray(v)) {
    throw new ValidationError([{ type: "model_attributes_type", loc: ["body"], msg: "Input should be a valid dictionary or object to extract fields from", input: v }]);
  }
  return v as Record<string, unknown>;
}

/** Query-parameter helpers producing FastAPI-style 422s. */
export class Query {
  constructor(readonly params: URLSearchParams) {}
  str(name: string): string | undefined {
    const v = this.params.get(name);
    return v === null ? undefined : v;
  }
  int(name: string, def: number, min?: number, max?: number): number {
    const raw = this.params.get(name);
    if (raw === null) return def;
    if (!/^\s*[-+]?\d+\s*$/.test(raw)) {
      throw new ValidationError([
        { type: "int_parsing", loc: ["query", name], msg: "Input should be a valid integer, unable to parse string as an integer", input: raw },
      ]);
    }
    const n = parseInt(raw, 10);
    if (min !== undefined && n < min) {
      throw new ValidationError([
        { type: "greater_than_equal", loc: ["query", name], msg: `Input should be greater than or equal to ${min}`, input: raw, ctx: { ge: min } },
      ]);
    }
    if (max !== undefined && n > max) {
      throw new ValidationError([
        { type: "less_than_equal", loc: ["query", name], msg: `Input should be less than or equal to ${max}`, input: raw, ctx: { le: max } },
      ]);
    }
    return n;
  }
  float(name: string): number | undefined {
    const raw = this.params.get(name);
    if (raw === null) return undefined;
    const n = Number(raw);
    if (raw.trim() === "" || !Number.isFinite(n)) {
      throw new ValidationError([{ type: "float_parsing", loc: ["query", name], msg: "Input should be a valid number, unable to parse string as a number", input: raw }]);
    }
    return n;
  }
  bool(name: string, def: boolean): boolean {
    const raw = this.params.get(name);
    if (raw === null) return def;
    const l = raw.toLowerCase();
    if (["true", "1", "yes", "on", "t", "y"].includes(l)) return true;
    if (["false", "0", "no", "off", "f", "n"].includes(l)) return false;
    throw new ValidationError([{ type: "bool_parsing", loc: ["query", name], msg: "Input should be a valid boolean, unable to interpret input", input: raw }]);
  }
}
