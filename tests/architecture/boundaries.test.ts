// The project's boundaries (README.md, "How the pieces fit"), held by a test that fails with the
// offending files or import chains:
//   1. Browser apart: code reachable from a "use client" file never reaches the server domain
//      (store, server, config, runner, the spend-log source, the LiteLLM admin client, Redis) nor
//      server-only packages (database drivers, Redis, Prometheus, Node builtins).
//   2. SQL lives only in the store adapters (lib/store/).
//   3. lib/ is free of React and Next.
//   4. The simulator stays apart: Inflight's code never imports simulator/ (tests may).
//
// The import graph is built from each file's syntax tree (TypeScript's own parser, so comments,
// strings that merely look like imports and regex literals cannot fool it), resolving "@/..." to
// the repository root and relative specifiers to files (.ts, .tsx, index.ts, ...). Each check is a
// function of a root directory, so the last block runs them against a small tree with one
// violation of each kind and proves they go red.
import fs from "node:fs";
import { builtinModules } from "node:module";
import os from "node:os";
import path from "node:path";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";

const REPO = path.resolve(__dirname, "..", "..");

// --- the import graph -------------------------------------------------------------------------

const SOURCE_EXT = [".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"];
const SKIP_DIRS = new Set(["node_modules", ".next", ".git", "data", "generated", "test-results", "playwright-report"]);
const BUILTINS = new Set(builtinModules.filter((m) => !m.startsWith("_")));

interface ImportRef {
  specifier: string;
  line: number;
  /** Erased at build (`import type`, `export type`, or every named binding marked `type`). */
  typeOnly: boolean;
}

interface Literal {
  text: string;
  line: number;
}

interface ParsedFile {
  imports: ImportRef[];
  useClient: boolean;
  /** Every string and template literal (a template's substitutions replaced by `__expr__`). */
  literals: Literal[];
}

/** A resolved import: a file in the tree (path relative to the root, "/" separated) or a package. */
type Target = { kind: "file"; file: string } | { kind: "package"; name: string } | { kind: "unresolved"; specifier: string };

class Graph {
  private readonly parsed = new Map<string, ParsedFile>();

  constructor(readonly root: string) {}

  parse(file: string): ParsedFile {
    const hit = this.parsed.get(file);
    if (hit) return hit;
    const abs = path.join(this.root, file);
    const result: ParsedFile = { imports: [], useClient: false, literals: [] };
    if (SOURCE_EXT.includes(path.extname(file))) {
      const text = fs.readFileSync(abs, "utf8");
      const kind = file.endsWith("x") ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
      const sf = ts.createSourceFile(abs, text, ts.ScriptTarget.Latest, true, kind);
      const lineOf = (n: ts.Node) => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
      for (const st of sf.statements) {
        if (!ts.isExpressionStatement(st) || !ts.isStringLiteral(st.expression)) break;
        if (st.expression.text === "use client") result.useClient = true;
      }
      const visit = (node: ts.Node): void => {
        if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
          const clause = node.importClause;
          const named = clause?.namedBindings;
          const typeOnly =
            !!clause &&
            (clause.isTypeOnly ||
              (!clause.name && !!named && ts.isNamedImports(named) && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly)));
          result.imports.push({ specifier: node.moduleSpecifier.text, line: lineOf(node), typeOnly });
        } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
          const clause = node.exportClause;
          const typeOnly =
            node.isTypeOnly || (!!clause && ts.isNamedExports(clause) && clause.elements.length > 0 && clause.elements.every((e) => e.isTypeOnly));
          result.imports.push({ specifier: node.moduleSpecifier.text, line: lineOf(node), typeOnly });
        } else if (
          ts.isImportEqualsDeclaration(node) &&
          ts.isExternalModuleReference(node.moduleReference) &&
          ts.isStringLiteral(node.moduleReference.expression)
        ) {
          result.imports.push({ specifier: node.moduleReference.expression.text, line: lineOf(node), typeOnly: node.isTypeOnly });
        } else if (
          ts.isCallExpression(node) &&
          (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === "require")) &&
          node.arguments.length > 0 &&
          ts.isStringLiteralLike(node.arguments[0])
        ) {
          // `import("x")` and `require("x")`. A type position `typeof import("x")` is an
          // ImportTypeNode, not a call, so it never lands here.
          result.imports.push({ specifier: node.arguments[0].text, line: lineOf(node), typeOnly: false });
        }
        if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
          result.literals.push({ text: node.text, line: lineOf(node) });
        } else if (ts.isTemplateExpression(node)) {
          const text = node.head.text + node.templateSpans.map((s) => "__expr__" + s.literal.text).join("");
          result.literals.push({ text, line: lineOf(node) });
        }
        ts.forEachChild(node, visit);
      };
      visit(sf);
    }
    this.parsed.set(file, result);
    return result;
  }

  resolve(from: string, specifier: string): Target {
    let base: string;
    if (specifier.startsWith("@/")) base = specifier.slice(2);
    else if (specifier.startsWith("./") || specifier.startsWith("../") || specifier === "." || specifier === "..")
      base = path.posix.join(path.posix.dirname(from), specifier);
    else {
      if (specifier.startsWith("node:")) return { kind: "package", name: specifier };
      const parts = specifier.split("/");
      const name = specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
      return { kind: "package", name: BUILTINS.has(name) ? `node:${name}` : name };
    }
    base = path.posix.normalize(base);
    const stripped = base.replace(/\.(m|c)?js$/, "");
    const candidates = [
      base,
      ...SOURCE_EXT.map((e) => stripped + e),
      ...SOURCE_EXT.map((e) => `${base}/index${e}`),
    ];
    for (const c of candidates) {
      const abs = path.join(this.root, c);
      if (fs.existsSync(abs) && fs.statSync(abs).isFile()) return { kind: "file", file: c };
    }
    return { kind: "unresolved", specifier };
  }

  /** A file's imports, resolved; type-only ones dropped when `values` is set. */
  edges(file: string, values: boolean): { ref: ImportRef; target: Target }[] {
    return this.parse(file)
      .imports.filter((r) => !(values && r.typeOnly))
      .map((ref) => ({ ref, target: this.resolve(file, ref.specifier) }));
  }

  /** Source files under `dirs` (relative, "/" separated), sorted. */
  files(...dirs: string[]): string[] {
    const out: string[] = [];
    const walk = (rel: string) => {
      const abs = path.join(this.root, rel);
      if (!fs.existsSync(abs)) return;
      for (const e of fs.readdirSync(abs, { withFileTypes: true })) {
        const child = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) {
          if (!SKIP_DIRS.has(e.name)) walk(child);
        } else if (SOURCE_EXT.includes(path.extname(e.name))) out.push(child);
      }
    };
    for (const d of dirs) walk(d);
    return out.sort();
  }
}

const isTest = (f: string) => /\.test\.[cm]?[jt]sx?$/.test(f);
const under = (f: string, dir: string) => f === dir || f.startsWith(dir.endsWith("/") ? dir : `${dir}/`);

type Forbidden = (t: Target) => string | undefined;

/**
 * Breadth-first from `start`, following resolved file imports (value imports only when `values`),
 * reports the shortest chain to every target `forbidden` names. Also reports internal imports it
 * could not resolve, since the walk cannot see past them.
 */
function chainsFrom(g: Graph, start: string, forbidden: Forbidden, values: boolean): { hits: string[]; unresolved: string[] } {
  const parent = new Map<string, string | null>([[start, null]]);
  const queue = [start];
  const hits: string[] = [];
  const unresolved: string[] = [];
  const chain = (f: string) => {
    const out: string[] = [];
    for (let c: string | null | undefined = f; c != null; c = parent.get(c)) out.unshift(c);
    return out.join(" → ");
  };
  const seenHit = new Set<string>();
  while (queue.length > 0) {
    const file = queue.shift()!;
    for (const { ref, target } of g.edges(file, values)) {
      const why = forbidden(target);
      if (why) {
        const label = target.kind === "file" ? target.file : target.kind === "package" ? target.name : target.specifier;
        if (!seenHit.has(label)) {
          seenHit.add(label);
          hits.push(`${chain(file)} → ${label}  (${why}; ${file}:${ref.line})`);
        }
        continue;
      }
      if (target.kind === "unresolved") unresolved.push(`${file}:${ref.line} imports "${ref.specifier}", which resolves to no file`);
      else if (target.kind === "file" && !parent.has(target.file)) {
        parent.set(target.file, file);
        queue.push(target.file);
      }
    }
  }
  return { hits, unresolved };
}

// --- the checks -------------------------------------------------------------------------------

/** Server-side places the browser must never reach. */
const SERVER_DIRS = ["lib/store", "lib/server", "lib/config", "lib/runner", "lib/litellm", "lib/redis"];
const SERVER_FILES = ["lib/ingest/source.ts"];
const SERVER_PACKAGES = ["better-sqlite3", "pg", "pg-copy-streams", "ioredis", "prom-client", "@prisma/client", "@prisma/adapter-better-sqlite3", "@prisma/adapter-pg"];

const serverOnly: Forbidden = (t) => {
  if (t.kind === "file") {
    const dir = SERVER_DIRS.find((d) => under(t.file, d));
    if (dir) return `server module ${dir}/`;
    if (SERVER_FILES.includes(t.file)) return "server module";
    if (under(t.file, "simulator")) return "the simulator";
  }
  if (t.kind === "package") {
    if (t.name.startsWith("node:")) return "Node builtin";
    if (SERVER_PACKAGES.includes(t.name)) return "server-only package";
  }
  return undefined;
};

/**
 * 1. From every "use client" file under app/ and components/, the value imports never reach the
 * server. Type-only imports (`import type`, `export type`, `import { type A }`) are ignored: they
 * are erased at build and put nothing in the browser bundle.
 */
function clientLeaks(root: string): { leaks: string[]; unresolved: string[] } {
  const g = new Graph(root);
  const leaks: string[] = [];
  const unresolved = new Set<string>();
  for (const entry of g.files("app", "components")) {
    if (!g.parse(entry).useClient) continue;
    const r = chainsFrom(g, entry, serverOnly, true);
    leaks.push(...r.hits);
    r.unresolved.forEach((u) => unresolved.add(u));
  }
  return { leaks, unresolved: [...unresolved].sort() };
}

const SQL = /\b(SELECT\s+[\w*(]|INSERT\s+INTO|DELETE\s+FROM|UPDATE\s+\w+\s+SET|CREATE\s+TABLE)\b/;

/**
 * 2. No string or template literal in a file under lib/ outside lib/store/ holds an SQL statement
 * (tests and READMEs aside; comments are not literals, so prose about a query is fine).
 */
function sqlOutsideStore(root: string): string[] {
  const g = new Graph(root);
  const out: string[] = [];
  for (const file of g.files("lib")) {
    if (under(file, "lib/store") || isTest(file)) continue;
    for (const lit of g.parse(file).literals) {
      const m = SQL.exec(lit.text);
      if (m) out.push(`${file}:${lit.line}: ${JSON.stringify(snippet(lit.text, m.index))}`);
    }
  }
  return out;
}

function snippet(text: string, at: number): string {
  const s = text.slice(Math.max(0, at - 10), at + 60).replace(/\s+/g, " ").trim();
  return s.length < text.length ? `…${s}…` : s;
}

const REACT_OR_NEXT = new Set(["react", "react-dom", "next"]);

/**
 * 3. No file under lib/ imports React or Next, type-only imports included (a domain type built on
 * React's is still a tie to it), and none pulls them in through the UI folders. React from a .tsx
 * file under lib/ counts as well: JSX compiles to react/jsx-runtime.
 */
function reactInLib(root: string): string[] {
  const g = new Graph(root);
  const out: string[] = [];
  const forbidden: Forbidden = (t) => {
    if (t.kind === "package" && (REACT_OR_NEXT.has(t.name) || t.name.startsWith("@next/"))) return "React/Next";
    if (t.kind === "file" && (under(t.file, "app") || under(t.file, "components"))) return "UI layer";
    return undefined;
  };
  for (const file of g.files("lib")) {
    if (/\.[jt]sx$/.test(file)) out.push(`${file}  (JSX under lib/: compiles to react/jsx-runtime)`);
    out.push(...chainsFrom(g, file, forbidden, false).hits);
  }
  return [...new Set(out)];
}

/**
 * 4. Nothing under lib/, app/ or components/ (their tests aside: tests may drive the simulator)
 * imports simulator/, directly or through another file.
 */
function simulatorImports(root: string): string[] {
  const g = new Graph(root);
  const out: string[] = [];
  const forbidden: Forbidden = (t) => (t.kind === "file" && under(t.file, "simulator") ? "the simulator" : undefined);
  for (const file of g.files("lib", "app", "components")) {
    if (isTest(file)) continue;
    out.push(...chainsFrom(g, file, forbidden, false).hits);
  }
  return [...new Set(out)];
}

// --- the codebase -----------------------------------------------------------------------------

const fix = (what: string) => `\n${what}\n(see README.md, "How the pieces fit", and the README of each lib/ area)\n`;

describe("architecture boundaries", () => {
  it("browser code never reaches server modules or server-only packages", () => {
    const { leaks, unresolved } = clientLeaks(REPO);
    expect(
      leaks,
      fix(
        'Each chain runs from a "use client" file to a server module: move what the browser needs into a ' +
          "module free of server imports (lib/api contracts, lib/view), or import it with `import type`.",
      ),
    ).toEqual([]);
    expect(unresolved, fix("Browser code imports files that do not exist, so the walk cannot check past them.")).toEqual([]);
  });

  it("SQL lives only in the store adapters (lib/store/)", () => {
    expect(sqlOutsideStore(REPO), fix("Move these statements into a store adapter under lib/store/ and call it through a repository.")).toEqual([]);
  });

  it("lib/ is free of React and Next", () => {
    expect(reactInLib(REPO), fix("lib/ holds the domain: move React/Next code to components/ or app/.")).toEqual([]);
  });

  it("the simulator stays apart from Inflight's code", () => {
    expect(simulatorImports(REPO), fix("Inflight never imports simulator/; only tests may. Where both must agree, a doc is the contract.")).toEqual([]);
  });
});

// --- the checks themselves: each one goes red on a tree that breaks it -------------------------

describe("the boundary checks catch violations", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "inflight-arch-"));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(tmp, rel)), { recursive: true });
    fs.writeFileSync(path.join(tmp, rel), text);
  };
  write("lib/store/store.ts", 'export const q = "SELECT * FROM requests";\n');
  write("lib/config/env.ts", "export const env = {};\n");
  write("lib/view/bad.ts", 'export { env } from "../config/env";\n');
  write("lib/view/ok.ts", 'export type { Store } from "@/lib/store/store";\nexport const ok = 1;\n');
  write("lib/series/read.ts", "export const sql = (t: string) => `UPDATE ${t} SET x = 1`;\n// SELECT * FROM prose in a comment\n");
  write("lib/series/read.test.ts", 'export const q = "DELETE FROM requests";\n');
  write("lib/hooks.ts", 'import { useState } from "react";\nexport const h = useState;\n');
  write("lib/sim.ts", 'export const load = () => import("../simulator/src/main");\n');
  write("simulator/src/main.ts", "export {};\n");
  write("components/a.tsx", '"use client";\nimport { env } from "@/lib/view/bad";\nimport { ok } from "@/lib/view/ok";\n// import x from "@/lib/store/store";\nexport const a = [env, ok];\n');
  write("components/b.tsx", "'use client';\nimport fs from \"fs\";\nimport { type Store } from \"../lib/store/store\";\nexport const b = fs;\n");
  write("components/c.tsx", '"use client";\nimport { nope } from "./missing";\nexport const c = nope;\n');
  write("components/server.tsx", 'import { q } from "@/lib/store/store";\nexport const s = q;\n');

  it("1: a client chain to lib/config and a Node builtin; type-only, comments and server components pass", () => {
    const { leaks, unresolved } = clientLeaks(tmp);
    expect(leaks).toEqual([
      "components/a.tsx → lib/view/bad.ts → lib/config/env.ts  (server module lib/config/; lib/view/bad.ts:1)",
      "components/b.tsx → node:fs  (Node builtin; components/b.tsx:2)",
    ]);
    expect(unresolved).toEqual(['components/c.tsx:2 imports "./missing", which resolves to no file']);
  });

  it("2: SQL in a template literal outside lib/store; tests, comments and the store pass", () => {
    expect(sqlOutsideStore(tmp)).toEqual(['lib/series/read.ts:1: "UPDATE __expr__ SET x = 1"']);
  });

  it("3: React imported under lib/", () => {
    expect(reactInLib(tmp)).toEqual(["lib/hooks.ts → react  (React/Next; lib/hooks.ts:1)"]);
  });

  it("4: a dynamic import of the simulator from lib/", () => {
    expect(simulatorImports(tmp)).toEqual(["lib/sim.ts → simulator/src/main.ts  (the simulator; lib/sim.ts:1)"]);
  });
});
