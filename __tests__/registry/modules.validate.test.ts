/**
 * The Terraform modules `npm run modules` writes: the registry's standard module structure,
 * described and validated variables, readable addresses, no backend or provider configuration
 * inside modules; `terraform validate` on every module and example, and `terraform test` (mocked
 * AWS provider: plans and applies) in every module and the root module.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { requireTerraform, terraform, terraformError } from "../../ops/terraform";
import { topLevelBlocks } from "../../registry/module-stack";
import { SUBMODULES } from "../../registry/modules";
import { MARKER, versionConstraint, writeModules } from "../../registry/write";
import { tempDirs } from "../support/synth";

jest.setTimeout(600_000);

const ROOT = path.resolve(__dirname, "..", "..");
const newDir = tempDirs("pl-registry-modules-");
const MODULES = SUBMODULES.map((m) => `modules/${m.name}`);
const EXAMPLES = ["examples/single-account", "examples/two-account"];

let out: string;
const read = (...parts: string[]) => fs.readFileSync(path.join(out, ...parts), "utf8");
const tfFiles = (dir: string) =>
  fs
    .readdirSync(path.join(out, dir))
    .filter((f) => f.endsWith(".tf"))
    .map((f) => read(dir, f))
    .join("\n");

beforeAll(() => {
  requireTerraform();
  out = path.join(newDir(), "terraform-aws-privatelink");
  // As a user runs it.
  const r = spawnSync("npm", ["run", "--silent", "modules", "--", "--out", out], { cwd: ROOT, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`npm run modules failed:\n${r.stderr}\n${r.stdout}`);
});

describe("npm run modules", () => {
  test("writes the registry's standard module structure: root module, submodules, examples, README, LICENSE", () => {
    for (const dir of ["", ...MODULES]) {
      for (const f of ["main.tf", "variables.tf", "outputs.tf", "versions.tf", "README.md"]) expect(fs.existsSync(path.join(out, dir, f))).toBe(true);
      expect(fs.readdirSync(path.join(out, dir, "tests")).filter((f) => f.endsWith(".tftest.hcl")).length).toBeGreaterThan(0);
    }
    for (const dir of EXAMPLES) for (const f of ["main.tf", "variables.tf", "outputs.tf", "versions.tf", "README.md"]) expect(fs.existsSync(path.join(out, dir, f))).toBe(true);
    expect(read("LICENSE")).toBe(fs.readFileSync(path.join(ROOT, "LICENSE"), "utf8"));
    expect(MODULES).toEqual(["modules/service", "modules/private-dns-verification", "modules/consumer-endpoint", "modules/acceptance", "modules/endpoint-private-dns"]);
  });

  test("modules declare a provider version range and carry no backend and no provider configuration", () => {
    for (const dir of ["", ...MODULES, ...EXAMPLES]) {
      const versions = read(dir, "versions.tf");
      expect(versions).toMatch(/required_version = ">= 1\.10\.0"/);
      expect(versions).toMatch(/source\s+= "hashicorp\/aws"\n\s+version = ">= 5\.100\.0, < 7\.0\.0"/);
    }
    for (const dir of ["", ...MODULES]) {
      const all = tfFiles(dir);
      expect(all).not.toMatch(/^\s*backend\s/m);
      expect(all).not.toMatch(/^provider\s/m);
    }
    // the examples configure providers: the two-account one through aliases
    expect(read("examples/two-account", "main.tf").match(/^provider "aws" \{\n\s+alias\s+= "(\w+)"/gm)).toHaveLength(2);
    expect(read("examples/two-account", "main.tf")).toContain("providers = { aws = aws.consumer }");
  });

  test("every variable is typed and described, every variable but a switch validated, every output described", () => {
    const problems: string[] = [];
    for (const dir of ["", ...MODULES, ...EXAMPLES]) {
      const variables = topLevelBlocks(read(dir, "variables.tf")).filter((b) => b.kind === "variable");
      expect(variables.length).toBeGreaterThan(0);
      for (const v of variables) {
        const name = /^variable "(\w+)"/.exec(v.text)![1];
        if (!/^\s+description\s+= "[^"]{10,}/m.test(v.text)) problems.push(`${dir || "."}: variable ${name} has no description`);
        if (!/^\s+type\s+= \S/m.test(v.text)) problems.push(`${dir || "."}: variable ${name} has no type`);
        const isSwitch = /^\s+type\s+= bool$/m.test(v.text);
        if (!dir.startsWith("examples") && !isSwitch && !v.text.includes("validation {")) problems.push(`${dir || "."}: variable ${name} has no validation`);
      }
      for (const o of topLevelBlocks(read(dir, "outputs.tf")).filter((b) => b.kind === "output")) {
        if (!/^\s+description\s+= "[^"]{10,}/m.test(o.text)) problems.push(`${dir || "."}: output ${/^output "(\w+)"/.exec(o.text)![1]} has no description`);
      }
    }
    expect(problems).toEqual([]);
  });

  test("resource addresses are readable snake_case names, without hash suffixes", () => {
    const names = MODULES.flatMap((dir) => [...read(dir, "main.tf").matchAll(/^(?:resource|data) "[a-z0-9_]+" "([^"]+)"/gm)].map((m) => `${dir}: ${m[1]}`));
    expect(names.length).toBeGreaterThan(20);
    expect(names.filter((n) => !/: [a-z][a-z0-9_]*$/.test(n) || /_[0-9A-Fa-f]{8}$/.test(n))).toEqual([]);
    expect(read("modules/service", "main.tf")).toMatch(/resource "aws_lb_listener" "listener" \{[\s\S]*?for_each\s+= local\.listeners/);
  });

  test("READMEs pin the module version as the registry reads semantic versions: patches only below 1.0", () => {
    expect([versionConstraint("0.1.0"), versionConstraint("0.3.2-rc.1"), versionConstraint("1.4.0")]).toEqual(["~> 0.1.0", "~> 0.3.2", "~> 1.4"]);
    expect(read("README.md")).toContain(`version = "${versionConstraint(JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).version)}"`);
  });

  test("each README has the usage and the requirements, providers, resources, inputs and outputs tables, one row per variable and output", () => {
    for (const dir of ["", ...MODULES]) {
      const readme = read(dir, "README.md");
      for (const heading of ["## Usage", "## Requirements", "## Providers", "## Resources", "## Inputs", "## Outputs"]) expect(readme).toContain(heading);
      const variables = topLevelBlocks(read(dir, "variables.tf")).map((b) => /^variable "(\w+)"/.exec(b.text)![1]);
      const outputs = topLevelBlocks(read(dir, "outputs.tf")).map((b) => /^output "(\w+)"/.exec(b.text)![1]);
      const section = (h: string) => readme.split(`## ${h}\n`)[1].split("\n## ")[0];
      expect([...section("Inputs").matchAll(/^\| (\w+) \|/gm)].map((m) => m[1]).filter((n) => n !== "Name")).toEqual(variables);
      expect([...section("Outputs").matchAll(/^\| (\w+) \|/gm)].map((m) => m[1]).filter((n) => n !== "Name")).toEqual(outputs);
    }
  });

  test("the files are laid out as terraform fmt lays them out", async () => {
    const r = await terraform(out, ["fmt", "-check", "-recursive", "-no-color"]);
    expect({ code: r.code, unformatted: r.stdout.trim() }).toEqual({ code: 0, unformatted: "" });
  });

  test("an unknown argument is refused with the usage, and nothing is written", () => {
    const r = spawnSync("npm", ["run", "--silent", "modules", "--", "--outdir", "x"], { cwd: ROOT, encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("usage: npm run modules [-- --out DIR]");
    expect(r.stderr).toContain("received: --outdir x");
    expect(fs.existsSync(path.join(ROOT, "x"))).toBe(false);
  });

  test("it refuses to replace a folder it did not write, and keeps a clone's .git when it rewrites its own", () => {
    // GIVEN a folder of someone else's files
    const foreign = newDir();
    fs.writeFileSync(path.join(foreign, "notes.txt"), "mine");
    const refused = spawnSync("npm", ["run", "--silent", "modules", "--", "--out", foreign], { cwd: ROOT, encoding: "utf8" });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain("notes.txt");
    expect(fs.readdirSync(foreign)).toEqual(["notes.txt"]);
    // GIVEN the folder written before, now a git clone of the module repository
    fs.mkdirSync(path.join(out, ".git"));
    fs.writeFileSync(path.join(out, ".git", "HEAD"), "ref: refs/heads/main\n");
    fs.writeFileSync(path.join(out, "stale.tf"), "# gone after the run\n");
    // WHEN the modules are written there again
    writeModules(out);
    // THEN .git is kept, the rest is the new output
    expect(fs.readFileSync(path.join(out, ".git", "HEAD"), "utf8")).toBe("ref: refs/heads/main\n");
    expect(fs.existsSync(path.join(out, "stale.tf"))).toBe(false);
    expect(fs.existsSync(path.join(out, MARKER))).toBe(true);
  });
});

describe("terraform on the modules", () => {
  /** Per folder: terraform validate's verdict (root module, examples), and terraform test's summary against the number of runs in its test files. */
  const results = new Map<string, { validate?: string; test?: string }>();

  beforeAll(async () => {
    const queue = ["", ...MODULES, ...EXAMPLES];
    // Two at a time: each terraform command starts the AWS provider (for its schema).
    await Promise.all(
      [0, 1].map(async () => {
        for (let dir = queue.shift(); dir !== undefined; dir = queue.shift()) {
          const cwd = path.join(out, dir);
          const init = await terraform(cwd, ["init", "-backend=false", "-input=false", "-no-color"]);
          if (init.code !== 0) throw new Error(`terraform init in ${dir || "."}:\n${terraformError(init)}`);
          // The root module calls every submodule, and Terraform validates child modules as it
          // validates a root one; a submodule on its own is validated by its terraform test.
          const result: { validate?: string; test?: string } = {};
          if (!dir.startsWith("modules/")) {
            const validate = await terraform(cwd, ["validate", "-no-color"]);
            result.validate = validate.code === 0 ? "valid" : terraformError(validate);
          }
          if (fs.existsSync(path.join(cwd, "tests"))) {
            const test = await terraform(cwd, ["test", "-no-color"]);
            const runs = fs
              .readdirSync(path.join(cwd, "tests"))
              .map((f) => (fs.readFileSync(path.join(cwd, "tests", f), "utf8").match(/^run "/gm) ?? []).length)
              .reduce((a, b) => a + b, 0);
            const summary = /(Success|Failure)! (\d+) passed, (\d+) failed/.exec(test.stdout);
            result.test = summary ? `${summary[1]} ${summary[2]}/${runs}` : `${test.stdout}${test.stderr}`;
          }
          results.set(dir || ".", result);
        }
      }),
    );
  });

  test("terraform validate passes on the root module (every submodule with it, as its child modules) and every example", () => {
    const validated = Object.fromEntries([...results].filter(([, r]) => r.validate !== undefined).map(([dir, r]) => [dir, r.validate]));
    expect(validated).toEqual(Object.fromEntries([".", ...EXAMPLES].map((d) => [d, "valid"])));
    // every submodule is called from the root module
    for (const m of MODULES) expect(read("main.tf")).toContain(`source = "./${m}"`);
  });

  test("terraform test (which validates the module first) passes in every submodule and the root module, every run of its test files", () => {
    const tested = Object.fromEntries([...results].filter(([, r]) => r.test !== undefined).map(([dir, r]) => [dir, r.test]));
    expect(Object.keys(tested).sort()).toEqual([".", ...MODULES].sort());
    for (const [dir, summary] of Object.entries(tested)) expect(`${dir}: ${summary}`).toMatch(/^[^:]+: Success (\d+)\/\1$/);
  });

  test("a module that does not do what its tests say fails them", async () => {
    // GIVEN the acceptance module, made to accept another endpoint than the one it is given
    const cwd = path.join(newDir(), "acceptance");
    fs.cpSync(path.join(out, "modules", "acceptance"), cwd, { recursive: true });
    const main = read("modules/acceptance", "main.tf");
    expect(main).toContain("vpc_endpoint_id         = each.value");
    fs.writeFileSync(path.join(cwd, "main.tf"), main.replace("vpc_endpoint_id         = each.value", 'vpc_endpoint_id         = "vpce-0ccccccccccccccccc"'));
    // WHEN its tests run
    await terraform(cwd, ["init", "-backend=false", "-input=false", "-no-color"]);
    const test = await terraform(cwd, ["test", "-no-color"]);
    // THEN they fail, naming the assertion
    expect(test.code).not.toBe(0);
    expect(test.stdout + test.stderr).toContain("expected one accepter per endpoint, keyed by name");
  });
});
