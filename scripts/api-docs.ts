import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

/**
 * API reference of the constructs, generated from modules/*.ts: each construct's description,
 * its props (type, default, description), the interfaces and enums they use, and what it exposes.
 */
export function apiDocs(modulesDir = path.join(__dirname, "..", "modules")): string {
  const files = fs
    .readdirSync(modulesDir)
    .filter((f) => f.endsWith(".ts") && !["index.ts", "validation.ts"].includes(f))
    .sort();
  const program = ts.createProgram(
    files.map((f) => path.join(modulesDir, f)),
    { noEmit: true, skipLibCheck: true },
  );
  const out: string[] = [];
  for (const file of files) {
    const source = program.getSourceFile(path.join(modulesDir, file))!;
    const interfaces = new Map<string, ts.InterfaceDeclaration>();
    const enums: ts.EnumDeclaration[] = [];
    const classes: ts.ClassDeclaration[] = [];
    source.forEachChild((node) => {
      if (!isExported(node)) return;
      if (ts.isInterfaceDeclaration(node)) interfaces.set(node.name.text, node);
      if (ts.isEnumDeclaration(node)) enums.push(node);
      if (ts.isClassDeclaration(node) && node.name) classes.push(node);
    });
    for (const cls of classes) {
      const name = cls.name!.text;
      out.push(`### ${name}`, "", `\`modules/${file}\` — ${docOf(cls, source)}`, "");
      const props = interfaces.get(`${name}Props`);
      if (props) {
        out.push(`**Props** (\`${name}Props\`)`, "", ...propsTable(props, source), "");
      }
      for (const [iname, decl] of interfaces) {
        if (iname === `${name}Props`) continue;
        out.push(`**\`${iname}\`** — ${docOf(decl, source) || "part of the props"}`, "", ...propsTable(decl, source), "");
      }
      for (const e of enums) {
        out.push(`**\`${e.name.text}\`** (enum) — ${docOf(e, source)}`, "", ...e.members.map((m) => `- \`${e.name.text}.${m.name.getText(source)}\` = ${m.initializer?.getText(source) ?? ""}${docOf(m, source) ? `: ${docOf(m, source)}` : ""}`), "");
      }
      const exposed = cls.members.filter(
        (m): m is ts.PropertyDeclaration =>
          ts.isPropertyDeclaration(m) && !!m.modifiers?.some((x) => x.kind === ts.SyntaxKind.ReadonlyKeyword) && !m.modifiers?.some((x) => x.kind === ts.SyntaxKind.PrivateKeyword),
      );
      if (exposed.length > 0) {
        out.push("**Exposes**", "", "| field | type | description |", "|---|---|---|");
        for (const m of exposed) out.push(`| \`${m.name.getText(source)}\` | \`${typeText(m.type, source, m.initializer)}\` | ${docOf(m, source)} |`);
        out.push("");
      }
      interfaces.clear();
      enums.length = 0;
    }
  }
  return `${out.join("\n").trim()}\n`;
}

function propsTable(decl: ts.InterfaceDeclaration, source: ts.SourceFile): string[] {
  const rows = ["| prop | type | default | description |", "|---|---|---|---|"];
  for (const m of decl.members) {
    if (!ts.isPropertySignature(m)) continue;
    const optional = !!m.questionToken;
    const def = tagOf(m, "default");
    rows.push(`| \`${m.name.getText(source)}\`${optional ? "" : " (required)"} | \`${typeText(m.type, source)}\` | ${def ? def.replace(/\|/g, "\\|") : optional ? "—" : "required"} | ${docOf(m, source)} |`);
  }
  return rows;
}

function typeText(type: ts.TypeNode | undefined, source: ts.SourceFile, init?: ts.Expression): string {
  if (type) return type.getText(source).replace(/\s+/g, " ").replace(/\|/g, "\\|");
  if (init && ts.isStringLiteral(init)) return "string";
  return "unknown";
}

function isExported(node: ts.Node): boolean {
  return ts.canHaveModifiers(node) && !!ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}

function jsDoc(node: ts.Node): ts.JSDoc | undefined {
  const docs = (node as { jsDoc?: ts.JSDoc[] }).jsDoc;
  return docs?.[docs.length - 1];
}

function docOf(node: ts.Node, _source: ts.SourceFile): string {
  const comment = jsDoc(node)?.comment;
  const text = typeof comment === "string" ? comment : (comment ?? []).map((c) => c.text).join("");
  return text.replace(/\s+/g, " ").trim().replace(/\|/g, "\\|");
}

function tagOf(node: ts.Node, tag: string): string | undefined {
  const found = jsDoc(node)?.tags?.find((t) => t.tagName.text === tag);
  if (!found) return undefined;
  const c = found.comment;
  return (typeof c === "string" ? c : (c ?? []).map((x) => x.text).join("")).replace(/\s+/g, " ").trim();
}
