import * as fs from "fs";
import * as path from "path";
import { ALL_RULES, Rule } from "../../rules";

const RULES_DIR = path.join(__dirname, "..", "..", "rules");
const ruleFiles = fs
  .readdirSync(RULES_DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) => fs.readdirSync(path.join(RULES_DIR, d.name)).map((f) => path.join(d.name, f)));

describe("ALL_RULES", () => {
  test.each(ruleFiles)("rules/%s default-exports a rule listed in ALL_RULES", (file) => {
    // GIVEN a file in a rule area folder
    // WHEN it is loaded
    const rule: Rule = require(path.join(RULES_DIR, file)).default;
    // THEN its default export is one of ALL_RULES
    expect(ALL_RULES).toContain(rule);
  });

  test("every rule has a unique PL- id, a level, a resource type and a one-line reason and fix", () => {
    // GIVEN all rules
    // WHEN their metadata is read
    // THEN it is complete and the ids are unique
    expect(ALL_RULES.length).toBe(ruleFiles.length);
    expect(new Set(ALL_RULES.map((r) => r.id)).size).toBe(ALL_RULES.length);
    for (const rule of ALL_RULES) {
      expect(rule.id).toMatch(/^PL-[A-Z]+[0-9]+$/);
      expect(["error", "warning"]).toContain(rule.level);
      expect(rule.resourceType).toMatch(/^[a-z0-9_.]+$/);
      for (const line of [rule.reason, rule.fix]) expect(line).toMatch(/^[^\n]{10,160}$/);
    }
  });
});
