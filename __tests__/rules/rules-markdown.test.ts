import * as fs from "fs";
import * as path from "path";
import { ALL_RULES, rulesMarkdown } from "../../rules";

describe("RULES.md", () => {
  test("the committed RULES.md is what `npm run rules:doc` writes", () => {
    // GIVEN the committed RULES.md
    const committed = fs.readFileSync(path.join(__dirname, "..", "..", "RULES.md"), "utf8");
    // WHEN the table is generated from ALL_RULES
    // THEN they are equal (run `npm run rules:doc` after changing a rule)
    expect(committed).toBe(rulesMarkdown());
  });

  test("has one table row per rule with its id, level, resource type and reason", () => {
    // GIVEN the generated markdown
    const markdown = rulesMarkdown();
    // WHEN its rows are read
    // THEN each rule has a row that starts with its id, level and resource type and contains its reason and fix
    for (const rule of ALL_RULES) {
      const row = markdown.split("\n").find((l) => l.startsWith(`| ${rule.id} |`));
      expect(row).toContain(`| ${rule.id} | ${rule.level} | \`${rule.resourceType}\` | ${rule.reason}`);
      expect(row).toContain(rule.fix);
    }
  });
});

test("docs/security.md's rules table names every rule with its level and reason", () => {
  // GIVEN the security page / THEN each rule has its row
  const readme = fs.readFileSync(path.join(__dirname, "..", "..", "docs", "security.md"), "utf8");
  for (const r of ALL_RULES) expect(readme).toContain(`| ${r.id} | ${r.level} | ${r.reason} |`);
});
