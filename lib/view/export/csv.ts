export type CsvValue = string | number | boolean | null;

export interface CsvColumn<T> {
  header: string;
  value: (row: T) => CsvValue;
}

/**
 * A text cell a spreadsheet would run as a formula (=, +, -, @ first) is prefixed with a quote:
 * request ids and model names come from outside and exports are opened in spreadsheets.
 */
function cell(v: CsvValue): string {
  if (v === null) return "";
  let s = String(v);
  if (typeof v === "string" && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** RFC 4180 CSV with a header line; empty cells for null. Pure. */
export function toCsv<T>(columns: CsvColumn<T>[], rows: T[]): string {
  const lines = [columns.map((c) => cell(c.header)).join(",")];
  for (const r of rows) lines.push(columns.map((c) => cell(c.value(r))).join(","));
  return `${lines.join("\r\n")}\r\n`;
}
