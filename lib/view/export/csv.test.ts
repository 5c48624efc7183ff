import { describe, expect, it } from "vitest";
import { toCsv } from "./csv";

describe("toCsv", () => {
  const cols = [
    { header: "id", value: (r: { id: string; n: number | null }) => r.id },
    { header: "n", value: (r: { id: string; n: number | null }) => r.n },
  ];

  it("writes a header and one CRLF line per row, empty for null", () => {
    expect(toCsv(cols, [{ id: "a", n: 1 }, { id: "b", n: null }])).toBe("id,n\r\na,1\r\nb,\r\n");
  });

  it("quotes commas, quotes and line breaks", () => {
    expect(toCsv(cols, [{ id: 'x,"y"\nz', n: -2 }])).toBe('id,n\r\n"x,""y""\nz",-2\r\n');
  });

  it("defuses text a spreadsheet would run as a formula, but not negative numbers", () => {
    expect(toCsv(cols, [{ id: "=HYPERLINK(1)", n: -1 }])).toBe("id,n\r\n'=HYPERLINK(1),-1\r\n");
  });

  it("writes only the header for no rows", () => {
    expect(toCsv(cols, [])).toBe("id,n\r\n");
  });
});
