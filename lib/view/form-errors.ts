/**
 * A 422 message of Inflight's API ("name: give the rule a name; params.margin: …") split per
 * field, so a form shows each by its input. The API joins zod issues as `path: message` with "; ";
 * some schemas already start their message with the path, which is said once here. Parts without
 * a path (or with one no input owns) are the form's.
 */
export function formErrors(message: string, fields: readonly string[], aliases: Record<string, string> = {}): { byField: Record<string, string>; form: string[] } {
  const byField: Record<string, string> = {};
  const form: string[] = [];
  for (const part of message.split("; ").filter(Boolean)) {
    const m = /^([A-Za-z][\w.]*): (.*)$/s.exec(part);
    if (!m) {
      form.push(part);
      continue;
    }
    const [, path, rest] = m;
    const text = rest.startsWith(`${path}: `) ? rest.slice(path.length + 2) : rest;
    const field = aliases[path] ?? aliases[path.split(".")[0]] ?? path;
    if (fields.includes(field)) byField[field] = byField[field] ? `${byField[field]}; ${text}` : text;
    else form.push(part);
  }
  return { byField, form };
}
