import { randomUUID } from "node:crypto";

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

/** Arrays at least this long (bytes) are parsed in groups of elements of about this size. */
const GROUP_BYTES = 64 * 1024;

/** An array at the top of the document: its brackets and the commas between its elements. */
interface TopArray {
  open: number;
  close: number;
  commas: number[];
}

/**
 * JSON.parse of UTF-8 bytes, without decoding the whole document into one string when it holds a
 * large array at its top (the document itself, or a field of the top-level object, such as a
 * spend-log page's `data`). Such an array's elements are decoded and parsed in groups of ~64 KB.
 * Why: a string of ~1 MB goes to V8's large-object space, fresh memory each time, and on this kind
 * of machine decoding a page into it cost more CPU than parsing it (npm run bench, ingest).
 * The result equals JSON.parse(bytes.toString("utf8")); what JSON.parse rejects throws its
 * SyntaxError here too (a document the scan cannot follow is handed to JSON.parse whole).
 */
export function parseJsonBytes(bytes: Buffer): unknown {
  const arrays = bytes.length >= 2 * GROUP_BYTES ? topArrays(bytes) : null;
  const large = arrays?.filter((a) => a.close - a.open > GROUP_BYTES) ?? [];
  if (large.length === 0) return JSON.parse(bytes.toString("utf8"));

  // The document with each large array replaced by a placeholder string, parsed as usual; then
  // the placeholders replaced by the arrays parsed in groups. A placeholder is random, so no
  // string the document holds equals one.
  const nonce = randomUUID();
  const mark = (k: number) => `${nonce}:${k}`;
  let skeleton = "";
  let at = 0;
  large.forEach((a, k) => {
    skeleton += bytes.toString("utf8", at, a.open) + JSON.stringify(mark(k));
    at = a.close + 1;
  });
  skeleton += bytes.toString("utf8", at);
  const doc: unknown = JSON.parse(skeleton);
  const parsed = large.map((a) => parseInGroups(bytes, a));
  const byMark = new Map(parsed.map((p, k) => [mark(k), p]));
  const resolve = (v: unknown) => (typeof v === "string" ? byMark.get(v) ?? v : v);
  if (typeof doc === "string") return resolve(doc);
  if (doc !== null && typeof doc === "object" && !Array.isArray(doc)) {
    const o = doc as Record<string, unknown>;
    for (const k of Object.keys(o)) o[k] = resolve(o[k]);
  }
  return doc;
}

function parseInGroups(bytes: Buffer, a: TopArray): unknown[] {
  const out: unknown[] = [];
  const ends = [...a.commas, a.close];
  let from = a.open + 1;
  let i = 0;
  while (i < ends.length) {
    // Whole elements, from `from` up to the comma (or bracket) that ends the last one taken.
    let j = i;
    while (j + 1 < ends.length && ends[j + 1] - from <= GROUP_BYTES) j++;
    const group = JSON.parse("[" + bytes.toString("utf8", from, ends[j]) + "]") as unknown[];
    for (const e of group) out.push(e);
    from = ends[j] + 1;
    i = j + 1;
  }
  return out;
}

/**
 * The arrays at the top: the document when it is an array, else the array values of the
 * top-level object; null when the bytes do not scan as a document (JSON.parse then says why).
 * Multi-byte UTF-8 sequences hold no ASCII bytes, so scanning bytes is exact.
 */
function topArrays(bytes: Buffer): TopArray[] | null {
  const found: TopArray[] = [];
  let top = 0; // the document's first byte: '[' or '{'
  let depth = 0;
  let current: TopArray | null = null;
  let currentDepth = 0;
  const n = bytes.length;
  for (let i = 0; i < n; i++) {
    const c = bytes[i];
    if (c === QUOTE) {
      // Jump to the closing quote: the next one not escaped by an odd run of backslashes.
      let j = i;
      for (;;) {
        j = bytes.indexOf(QUOTE, j + 1);
        if (j < 0) return null;
        let k = j - 1;
        while (bytes[k] === BACKSLASH) k--;
        if ((j - 1 - k) % 2 === 0) break;
      }
      i = j;
    } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (depth === 0) {
        if (top !== 0) return null; // a second value after the document
        top = c;
      }
      depth++;
      if (c === OPEN_ARRAY && current === null && ((depth === 1 && top === OPEN_ARRAY) || (depth === 2 && top === OPEN_OBJECT))) {
        current = { open: i, close: -1, commas: [] };
        currentDepth = depth;
      }
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
      if (depth === 0) return null;
      if (current !== null && depth === currentDepth) {
        if (c !== CLOSE_ARRAY) return null;
        current.close = i;
        found.push(current);
        current = null;
      }
      depth--;
    } else if (c === COMMA && current !== null && depth === currentDepth) {
      current.commas.push(i);
    }
  }
  return depth === 0 && top !== 0 ? found : null;
}
