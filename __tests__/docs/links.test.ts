/** The README stays a newcomer's page, and every relative link of the docs leads somewhere. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadConfig } from "../../config/load";

const ROOT = path.join(__dirname, "..", "..");
const DOCS = ["README.md", "CONTRIBUTING.md", "RULES.md", ...fs.readdirSync(path.join(ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => path.join("docs", f))];

/** GitHub's anchor of a heading: lowercase, punctuation dropped, spaces to dashes. */
const anchorOf = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, "")
    .replace(/ /g, "-");

function links(file: string): { target: string; anchor?: string }[] {
  // Code blocks hold examples, not links.
  const text = fs.readFileSync(path.join(ROOT, file), "utf8").replace(/```[\s\S]*?```/g, "");
  return [...text.matchAll(/\[[^\]]*\]\(([^)\s]+)\)/g)]
    .map((m) => m[1])
    .filter((href) => !/^[a-z]+:/i.test(href))
    .map((href) => {
      const [target, anchor] = href.split("#");
      return { target: target === "" ? file : path.join(path.dirname(file), target), anchor };
    });
}

describe("docs", () => {
  test("the README is at most 300 lines and gives the two commands", () => {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    expect(readme.split("\n").length).toBeLessThanOrEqual(300);
    expect(readme).toContain("npm ci && npm run synth");
    expect(readme).toContain("npm test");
  });

  test("the README's config essentials are a config the checks accept (JSONC, as written)", () => {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const block = /```jsonc\n(\{\n {2}"\$schema"[\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    // The README elides a certificate id; any id will do.
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "pl-readme-")), "privatelink.config.json");
    fs.writeFileSync(file, block!.replace("certificate/…", "certificate/0b1c2d3e-aaaa-bbbb-cccc-0123456789ab"));
    const config = loadConfig(file);
    expect(config.service.network.create?.availabilityZones).toEqual(["usw2-az1", "usw2-az2"]);
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  });

  test.each(DOCS)("every relative link of %s leads to a file (and a heading) that exists", (file) => {
    const found = links(file);
    const broken = found.filter(({ target, anchor }) => {
      const full = path.join(ROOT, target);
      if (!fs.existsSync(full)) return true;
      if (!anchor || !target.endsWith(".md")) return false;
      const headings = fs
        .readFileSync(full, "utf8")
        .replace(/```[\s\S]*?```/g, "")
        .split("\n")
        .filter((l) => /^#{1,6} /.test(l))
        .map((l) => anchorOf(l.replace(/^#+ /, "")));
      return !headings.includes(anchor);
    });
    expect(broken).toEqual([]);
  });

  test("every page under docs/ is linked from the README", () => {
    const linked = new Set(links("README.md").map((l) => path.normalize(l.target)));
    expect(DOCS.filter((d) => d.startsWith("docs")).filter((d) => !linked.has(path.normalize(d)))).toEqual([]);
  });
});
