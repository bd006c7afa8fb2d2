/**
 * One source, three flavours (scripts/flavours.js): the app synthesized with each gives the same
 * Terraform apart from version metadata and the provider pin, every stack passes terraform
 * validate with the pin set to the AWS provider binary available here (5.100.0), and the pin
 * follows the flavour when the config does not set it.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runCompiledApp } from "../../sandbox/run-app";
import { requireTerraform } from "../../ops/terraform";
import { validateDirs } from "../support/validate";
import { exampleJson } from "../support/synth";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const flavours = require("../../scripts/flavours");
const OTHERS = ["cdktf-aws6", "cdktn"] as const;

describe("flavours", () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "pl-flavours-"));
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  /** `npm run synth -- --flavour <name>`'s command, on a config; returns the output folder. */
  const synth = (flavour: string, name: string, config: unknown, extra: string[] = []): string => {
    const dir = path.join(work, flavour, name);
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, "privatelink.config.json");
    fs.writeFileSync(file, JSON.stringify(config));
    const outdir = path.join(dir, "cdktf.out");
    const r = runCompiledApp(file, outdir, { flavour, args: extra });
    expect({ code: r.status, stderr: r.stderr.replace(/^installing the .*\n/m, "") }).toEqual({ code: 0, stderr: "" });
    return outdir;
  };

  /** Every file of an output, with what may differ between flavours taken out. */
  const normalized = (outdir: string): Record<string, unknown> => {
    const files: Record<string, unknown> = {};
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const full = path.join(d, e.name);
        if (e.isDirectory()) walk(full);
        else if (e.name.endsWith(".json")) {
          files[path.relative(outdir, full)] = JSON.parse(fs.readFileSync(full, "utf8"), (key, value) => {
            if (key === "version" && typeof value === "string" && /^0\.\d+\.\d+$/.test(value)) return "<cdk version>";
            if (key === "source" && (value === "aws" || value === "hashicorp/aws")) return "hashicorp/aws";
            return value;
          });
        } else files[path.relative(outdir, full)] = fs.readFileSync(full, "utf8").replace(/source = "aws"/g, 'source = "hashicorp/aws"');
      }
    };
    walk(outdir);
    return files;
  };

  const pinned = (c: Record<string, any>): Record<string, any> => ({ ...c, terraform: { awsProviderVersion: "5.100.0" } });
  const configs: Record<string, () => Record<string, any>> = {
    example: () => pinned(exampleJson()),
    "s3-external-dns": () => {
      const c = pinned(exampleJson());
      c.state = { backend: "s3", bucket: "tf-state", region: "us-west-2", keyPrefix: "pl/", roleArn: "arn:aws:iam::111111111111:role/tf" };
      c.dns = { provider: "external", startVerification: true };
      return c;
    },
  };

  test("scripts/flavours.js rewrites only the cdktf family's imports, and names the valid flavours", () => {
    const code = 'const a = require("cdktf"); const b = require("cdktf/lib/_tokens"); const c = require("@cdktf/provider-aws/lib/vpc");\nconst d = require.resolve("cdktf"); const e = require("cdktf-cli"); const f = "cdktf.out";';
    expect(flavours.rewriteImports(code, "cdktn")).toBe(
      'const a = require("cdktn"); const b = require("cdktn/lib/_tokens"); const c = require("@cdktn/provider-aws/lib/vpc");\nconst d = require.resolve("cdktn"); const e = require("cdktf-cli"); const f = "cdktf.out";',
    );
    expect(flavours.rewriteImports(code, "cdktf-aws6")).toBe(code);
    expect(() => flavours.checkFlavour("cdktf-aws7")).toThrow('unknown flavour "cdktf-aws7": valid flavours are cdktf-aws5, cdktf-aws6, cdktn');
    const args = ["--hcl", "--flavour", "cdktn", "x"];
    expect({ flavour: flavours.takeFlavourArg(args), args }).toEqual({ flavour: "cdktn", args: ["--hcl", "x"] });
  });

  describe.each(Object.keys(configs))("%s", (configName) => {
    const outputs: Record<string, string> = {};
    beforeAll(() => {
      for (const f of ["cdktf-aws5", ...OTHERS]) outputs[f] = synth(f, configName, configs[configName]());
    }, 240_000);

    test.each(OTHERS)("%s writes the same Terraform as cdktf-aws5 apart from version metadata and the provider source spelling", (flavour) => {
      expect(normalized(outputs[flavour])).toEqual(normalized(outputs["cdktf-aws5"]));
    });

    test("terraform validate passes on every stack, and on each other flavour's spelling of it, provider pinned to 5.100.0", () => {
      requireTerraform();
      // The other flavours write the same Terraform as cdktf-aws5 but for version metadata and the
      // provider source spelling (the test above), both in every stack alike: every stack of
      // cdktf-aws5 is validated, and of each other flavour the provider stack, which shows its
      // spelling is valid Terraform. (Validating the others would run the same check again.)
      const stacks = fs.readdirSync(path.join(outputs["cdktf-aws5"], "stacks"));
      const dirs = ["cdktf-aws5", ...OTHERS].flatMap((flavour) => (flavour === "cdktf-aws5" ? stacks : ["provider"]).map((stack) => ({ stack: `${flavour} ${stack}`, dir: path.join(outputs[flavour], "stacks", stack) })));
      const results = validateDirs(dirs);
      expect(results.filter((r) => !r.valid).map((r) => `${r.stack}: ${r.messages.join("; ")}`)).toEqual([]);
      expect(results.map((r) => r.stack)).toHaveLength(stacks.length + OTHERS.length);
      // cdktn's metadata and provider spelling differ from cdktf-aws5's at least: its provider stack is not a copy
      const texts = new Set(dirs.map((d) => fs.readFileSync(path.join(d.dir, "cdk.tf.json"), "utf8")));
      expect(texts.size).toBeGreaterThan(stacks.length);
      expect(stacks).toContain("provider");
    }, 600_000);
  });

  test.each([
    ["cdktf-aws5", /^5\./],
    ["cdktf-aws6", /^6\./],
    ["cdktn", /^6\./],
  ] as const)("without a pin in the config, %s's stacks require the AWS provider its classes were generated from", (flavour, major) => {
    const outdir = synth(flavour, "unpinned", exampleJson());
    const stack = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", "provider", "cdk.tf.json"), "utf8"));
    expect(stack.terraform.required_providers.aws.version).toMatch(major);
  }, 120_000);

  test("the HCL output follows the flavour too, pin included", () => {
    const outdir = synth("cdktn", "hcl", configs.example(), ["--hcl"]);
    const text = fs.readFileSync(path.join(outdir, "stacks", "provider", "cdk.tf"), "utf8");
    expect(text).toMatch(/required_providers \{\s+aws = \{\s+version = "5\.100\.0"/);
  }, 120_000);
});
