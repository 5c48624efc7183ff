import { ApiError } from "@/lib/http/api-error";

const MAX_BODY = 64 * 1024;

/** A write's JSON body, or a 4xx saying what is wrong with it (too large, not JSON, not an object). */
export async function readJson(req: Request): Promise<unknown> {
  const type = req.headers.get("content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) throw new ApiError(415, "invalid_input", "Send the body as JSON (Content-Type: application/json)");
  const text = await req.text();
  if (text.length > MAX_BODY) throw new ApiError(413, "invalid_input", `The body is larger than ${MAX_BODY / 1024} KB`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiError(400, "invalid_input", "The body is not valid JSON");
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) throw new ApiError(422, "invalid_input", "The body must be a JSON object");
  return body;
}
