import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

/**
 * API reference of the constructs, generated from modules/*.ts: each construct's description,
 * its props (type, default, description), the interfaces, prop type aliases and enums they use,
 * and what it exposes. Props are read through the type checker, so those a props type takes
 * from another (extends, Omit, Pick, intersections) are listed too, marked with their origin.
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
  const checker = program.getTypeChecker();
  // Only what the package root exports: the helpers the constructs share stay out of the reference.
  const rootExports = new Set([...fs.readFileSync(path.join(modulesDir, "index.ts"), "utf8").matchAll(/^export (?:type )?\{([^}]+)\}/gm)].flatMap((m) => m[1].split(",").map((n) => n.trim())));
  const out: string[] = [];
  for (const file of files) {
    const source = program.getSourceFile(path.join(modulesDir, file))!;
    const interfaces = new Map<string, PropsDeclaration>();
    const enums: ts.EnumDeclaration[] = [];
    const classes: ts.ClassDeclaration[] = [];
    source.forEachChild((node) => {
      if (!isExported(node)) return;
      if (ts.isInterfaceDeclaration(node)) interfaces.set(node.name.text, node);
      // Type aliases of object types (such as an Omit of another props type), not unions of literals.
      if (ts.isTypeAliasDeclaration(node) && checker.getPropertiesOfType(checker.getTypeAtLocation(node.name)).length > 0) interfaces.set(node.name.text, node);
      if (ts.isEnumDeclaration(node)) enums.push(node);
      if (ts.isClassDeclaration(node) && node.name && rootExports.has(node.name.text)) classes.push(node);
    });
    for (const cls of classes) {
      const name = cls.name!.text;
      out.push(`### ${name}`, "", `\`modules/${file}\` — ${docOf(cls, source)}`, "");
      const props = interfaces.get(`${name}Props`);
      if (props) {
        out.push(`**Props** (\`${name}Props\`)`, "", ...propsTable(props, checker), "");
      }
      for (const [iname, decl] of interfaces) {
        if (iname === `${name}Props`) continue;
        out.push(`**\`${iname}\`** — ${docOf(decl, source) || "part of the props"}`, "", ...propsTable(decl, checker), "");
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

type PropsDeclaration = ts.InterfaceDeclaration | ts.TypeAliasDeclaration;

/**
 * Every prop a props type takes, its own first, then those it takes from other types (each
 * documented where it is declared, and marked with that type's name).
 */
export function propsOf(decl: PropsDeclaration, checker: ts.TypeChecker): { name: string; optional: boolean; declaration?: ts.PropertySignature; from?: string }[] {
  return checker.getPropertiesOfType(checker.getTypeAtLocation(decl.name)).map((prop) => {
    const declaration = prop.declarations?.find(ts.isPropertySignature);
    const parent = declaration?.parent;
    const owner = parent && (ts.isInterfaceDeclaration(parent) ? parent.name.text : ts.isTypeLiteralNode(parent) && ts.isTypeAliasDeclaration(parent.parent) ? parent.parent.name.text : undefined);
    return { name: prop.name, optional: (prop.flags & ts.SymbolFlags.Optional) !== 0, declaration, from: owner === decl.name.text ? undefined : owner };
  });
}

function propsTable(decl: PropsDeclaration, checker: ts.TypeChecker): string[] {
  const rows = ["| prop | type | default | description |", "|---|---|---|---|"];
  for (const { name, optional, declaration: m, from } of propsOf(decl, checker)) {
    const def = m && tagOf(m, "default");
    const type = m ? typeText(m.type, m.getSourceFile()) : "unknown";
    const doc = (m ? docOf(m, m.getSourceFile()) : "") + (from ? ` *(from \`${from}\`)*` : "");
    rows.push(`| \`${name}\`${optional ? "" : " (required)"} | \`${type}\` | ${def ? def.replace(/\|/g, "\\|") : optional ? "—" : "required"} | ${doc.trim()} |`);
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
