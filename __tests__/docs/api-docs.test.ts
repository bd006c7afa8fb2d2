import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { apiDocs } from "../../scripts/api-docs";
import { withApiDocs } from "../../scripts/write-api-docs";

const README = path.join(__dirname, "..", "..", "docs", "api.md");

describe("API reference in docs/api.md", () => {
  // Generating reads the modules through a TypeScript program: once for all the tests.
  let generated: string | undefined;
  const apiDocsOnce = () => (generated ??= apiDocs());
  test("is what npm run docs generates from the constructs' source", () => {
    const readme = fs.readFileSync(README, "utf8");
    expect(withApiDocs(readme, apiDocsOnce())).toBe(readme);
  });

  test("documents every construct, every prop with its type and default, and what each exposes", () => {
    const docs = apiDocsOnce();
    for (const c of ["DualStackNlb", "EndpointService", "PrivateDnsVerification", "ConsumerEndpoint", "ConnectionAccepter", "EndpointPrivateDns", "DualStackVpc", "HelloWorldInstance"]) {
      expect(docs).toContain(`### ${c}\n`);
    }
    expect(docs).toContain("| `acceptanceRequired` | `boolean` | true | Each consumer connection waits for the provider to accept it. |");
    // no prop or field without a description
    expect(docs.split("\n").filter((l) => /^\| `.*\|\s*\|$/.test(l))).toEqual([]);
  });

  test("lists every prop of every props type, those taken from other types included (read through the type checker)", () => {
    // GIVEN every exported props type of the library, its props resolved by the checker
    // (extends, Omit, Pick, intersections), and the construct each belongs to
    const index = path.join(__dirname, "..", "..", "modules", "index.ts");
    const program = ts.createProgram([index], { noEmit: true, skipLibCheck: true });
    const checker = program.getTypeChecker();
    const exported = checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(index)!)!);
    // (re-exported names are aliases: judged by what they stand for)
    const declared = (s: ts.Symbol) => (s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s);
    const propsTypes = exported.filter((s) => /Props$/.test(s.name) && declared(s).flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias));
    const docs = apiDocsOnce();
    // The section of the generated reference that documents a type: its table, up to the next heading.
    const section = (name: string): string => {
      const start = docs.search(new RegExp(`^(\\*\\*Props\\*\\* \\(\`${name}\`\\)|\\*\\*\`${name}\`\\*\\*)`, "m"));
      expect({ name, documented: start >= 0 }).toEqual({ name, documented: true });
      const rest = docs.slice(start);
      const end = rest.slice(1).search(/^(###|\*\*)/m);
      return end < 0 ? rest : rest.slice(0, end + 1);
    };
    expect(propsTypes.map((s) => s.name)).toEqual(expect.arrayContaining(["DualStackNlbProps", "PrivateLinkConsumerProps", "ServiceDomainVerificationProps"]));
    let inherited = 0;
    for (const symbol of propsTypes) {
      const type = checker.getDeclaredTypeOfSymbol(symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol);
      const table = section(symbol.name);
      for (const prop of checker.getPropertiesOfType(type)) {
        const optional = (prop.flags & ts.SymbolFlags.Optional) !== 0;
        // THEN each prop has its row, marked required when it is
        expect({ type: symbol.name, row: table.includes(`| \`${prop.name}\`${optional ? " |" : " (required) |"}`) }).toEqual({ type: symbol.name, row: true });
        if (table.includes(`| \`${prop.name}\``) && new RegExp(`^\\| \`${prop.name}\`.*\\*\\(from \``, "m").test(table)) inherited++;
      }
    }
    // AND PrivateLinkConsumer's props include the endpoint's it passes on, marked as such
    expect(section("PrivateLinkConsumerProps")).toMatch(/^\| `vpcId` \(required\) \| `string` \| required \| .* \*\(from `ConsumerEndpointOptions`\)\* \|$/m);
    expect(section("PrivateLinkConsumerProps")).not.toMatch(/^\| `(serviceName|ports|privateDnsEnabled|dependsOn)`/m);
    expect(inherited).toBeGreaterThanOrEqual(15);
  });
});
