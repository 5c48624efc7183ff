import { describe, expect, it } from "vitest";
import { parseJsonBytes } from "./json-bytes";

/** A row like a spend-log row, with the characters a scanner could trip on inside its strings. */
function row(i: number) {
  return {
    request_id: `chatcmpl-${i}`,
    note: i % 7 === 0 ? `quote \" bracket ] brace } comma , backslash \\ end\\` : `ü € 😀 ${"x".repeat(i % 300)}`,
    metadata: { tags: ["a,b", "[c]"], nested: [{ d: i }], empty: [] },
    spend: i / 3,
  };
}

const pageBytes = (rows: unknown[], extra: Record<string, unknown> = {}) => Buffer.from(JSON.stringify({ data: rows, total: rows.length, ...extra }));

describe("parseJsonBytes", () => {
  it("equals JSON.parse for a large page, its data parsed in groups", () => {
    const rows = Array.from({ length: 3000 }, (_, i) => row(i));
    const bytes = pageBytes(rows, { after: [1, 2], label: "end" });
    expect(bytes.length).toBeGreaterThan(256 * 1024);
    expect(parseJsonBytes(bytes)).toEqual(JSON.parse(bytes.toString("utf8")));
  });

  it("equals JSON.parse for a large top-level array, whitespace and all", () => {
    const text = "\n [ " + Array.from({ length: 2500 }, (_, i) => JSON.stringify(row(i), null, i % 2 ? 2 : undefined)).join(" ,\n ") + " ] \n";
    expect(parseJsonBytes(Buffer.from(text))).toEqual(JSON.parse(text));
  });

  it("equals JSON.parse for small and non-array documents", () => {
    for (const text of ['{"data":[]}', "[]", '"s"', "42", "null", '{"a":{"b":[1]}}']) expect(parseJsonBytes(Buffer.from(text))).toEqual(JSON.parse(text));
  });

  it("keeps a string that looks like anything else as it is", () => {
    const rows = Array.from({ length: 2000 }, (_, i) => row(i));
    const bytes = pageBytes(rows, { odd: "\u0000:0", other: "0" });
    expect(parseJsonBytes(bytes)).toEqual(JSON.parse(bytes.toString("utf8")));
  });

  it("rejects what JSON.parse rejects, with a SyntaxError", () => {
    const good = JSON.stringify({ data: Array.from({ length: 2000 }, (_, i) => row(i)) });
    const bad = [
      good.slice(0, -1), // unclosed object
      good + "]", // an extra bracket
      good + " {}", // a second document
      good.replace(/\]\}$/, ",]}"), // a trailing comma in the large array
      good.replace('"chatcmpl-9"', '"chatcmpl-9'), // an unterminated string
      good.replace('{"data":', '{"data":[1,,2],"rows":'), // an empty element
    ];
    for (const text of bad) {
      let want: unknown;
      try {
        JSON.parse(text);
        want = "parsed";
      } catch (e) {
        want = (e as Error).name;
      }
      expect(want).toBe("SyntaxError");
      let got: unknown;
      try {
        parseJsonBytes(Buffer.from(text));
        got = "parsed";
      } catch (e) {
        got = (e as Error).name;
      }
      expect(got).toBe(want);
    }
    expect(() => parseJsonBytes(Buffer.from(good + "]"))).toThrow(SyntaxError);
  });
});
