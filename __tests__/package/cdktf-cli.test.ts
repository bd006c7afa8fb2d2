/**
 * The cdktf CLI runs this app as users run it: `cdktf synth` and `cdktf synth --hcl` leave valid
 * output, a stack that vanished from the output never breaks them, and nothing tracked is
 * rewritten. (`cdktf deploy '*'`, `destroy '*'`, `diff` and `output` run in the local sandbox flow.)
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { terraformEnv } from "../../ops/terraform";
import { pipelineConfig } from "../support/pipelines";
import { exampleJson } from "../support/synth";

jest.setTimeout(300_000);

const ROOT = path.join(__dirname, "..", "..");
const gitStatus = () => spawnSync("git", ["status", "--porcelain", "--", "cdktf.json", "bench", "examples", "README.md"], { cwd: ROOT, encoding: "utf8" }).stdout;

describe("the cdktf CLI on this app", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pl-cli-"));
  const config = path.join(dir, "privatelink.config.json");
  const outdir = path.join(dir, "cdktf.out");
  const before = gitStatus();
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const cdktf = (...args: string[]) =>
    spawnSync(path.join(ROOT, "node_modules", ".bin", "cdktf"), [...args, "--output", outdir], {
      cwd: ROOT,
      env: { ...terraformEnv(), PRIVATELINK_CONFIG: config, CI: "true" },
      encoding: "utf8",
    });
  const manifest = () => JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"));

  test("cdktf synth writes the stacks as Terraform JSON; the findings are not printed as errors", () => {
    const json = exampleJson();
    json.service.loadBalancer.deletionProtection = false; // one warning
    fs.writeFileSync(config, JSON.stringify(json));
    const r = cdktf("synth");
    expect({ code: r.status, out: r.status === 0 ? "" : r.stdout + r.stderr }).toEqual({ code: 0, out: "" });
    expect(r.stdout + r.stderr).toMatch(/PL-NLB2 +warning/);
    expect((r.stdout + r.stderr).split("\n").filter((l) => /PL-NLB2|Security rules/.test(l) && /\[ERROR\]/.test(l))).toEqual([]);
    expect(r.stdout + r.stderr).not.toMatch(/\[ERROR\]/);
    expect(Object.keys(manifest().stacks).sort()).toEqual(["acceptance", "consumer-app", "consumer-app-private-dns", "consumer-reports", "dns-verification", "provider"]);
    for (const s of Object.keys(manifest().stacks)) JSON.parse(fs.readFileSync(path.join(outdir, "stacks", s, "cdk.tf.json"), "utf8"));
  });

  test("cdktf synth --hcl writes valid HCL stacks the CLI itself formats, and leaves no JSON beside them", () => {
    const r = cdktf("synth", "--hcl");
    expect({ code: r.status, out: r.status === 0 ? "" : r.stdout + r.stderr }).toEqual({ code: 0, out: "" });
    for (const [name, stack] of Object.entries<any>(manifest().stacks)) {
      expect(stack.synthesizedStackPath).toBe(`stacks/${name}/cdk.tf`);
      expect(fs.readdirSync(path.join(outdir, "stacks", name)).filter((f) => f.startsWith("cdk.tf"))).toEqual(["cdk.tf"]);
      expect(fs.readFileSync(path.join(outdir, "stacks", name, "cdk.tf"), "utf8")).toMatch(/^terraform \{/m);
    }
  });

  test("a stack gone from the output (its record deleted, its consumer removed) does not break the next cdktf synth", () => {
    fs.rmSync(path.join(dir, "privatelink.stacks.json"));
    const json = exampleJson();
    json.consumers = json.consumers.filter((c: { name: string }) => c.name !== "reports");
    fs.writeFileSync(config, JSON.stringify(json));
    const r = cdktf("synth");
    expect({ code: r.status, out: r.status === 0 ? "" : r.stdout + r.stderr }).toEqual({ code: 0, out: "" });
    expect(fs.existsSync(path.join(outdir, "stacks", "consumer-reports"))).toBe(false);
    expect(Object.keys(manifest().stacks)).not.toContain("consumer-reports");
  });

  test("cdktf synth also writes the GitHub Actions workflow with pipelines.githubActions, and the CLI leaves it there", () => {
    fs.writeFileSync(config, JSON.stringify(pipelineConfig()));
    const r = cdktf("synth");
    expect({ code: r.status, out: r.status === 0 ? "" : r.stdout + r.stderr }).toEqual({ code: 0, out: "" });
    expect(fs.readdirSync(path.join(outdir, "pipelines")).sort()).toEqual(["aws-access", "github-actions.stacks.json", "github-actions.yml"]);
    expect(fs.readFileSync(path.join(outdir, "pipelines", "github-actions.yml"), "utf8")).toMatch(/^# Written by npm run synth from privatelink\.config\.json/);
  });

  test("nothing tracked was rewritten (cdktf.json keeps its projectId)", () => {
    expect(JSON.parse(fs.readFileSync(path.join(ROOT, "cdktf.json"), "utf8")).projectId).toMatch(/^[0-9a-f-]{36}$/);
    expect(gitStatus()).toBe(before);
  });
});
