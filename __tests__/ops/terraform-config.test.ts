/** npm run terraform-config: a CLI config users can export, which terraform really installs from. */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { findProviderMirror, requireTerraform } from "../../ops/terraform";
import { parseConfig } from "../../config/load";
import { synthesize } from "../../synth/synth";
import { runNode } from "../support/app";
import { exampleJson } from "../support/synth";

jest.setTimeout(120_000);

describe("npm run terraform-config", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pl-tfconfig-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const run = (...args: string[]) => runNode(["ops/terraform-config.ts", ...args]);

  test("writes a filesystem_mirror config for the AWS provider and prints the export line; terraform init installs from it", async () => {
    requireTerraform();
    const mirror = findProviderMirror();
    if (!mirror) throw new Error("this test needs the AWS provider mirror of this machine (see the README: PRIVATELINK_TF_PROVIDER_MIRROR)");
    const out = path.join(dir, "mirror.tfrc");
    const r = await run("--mirror", mirror, "--out", out);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split("\n").pop()).toBe(`export TF_CLI_CONFIG_FILE=${out}`);
    expect(fs.readFileSync(out, "utf8")).toContain(`filesystem_mirror {\n    path    = ${JSON.stringify(mirror)}\n    include = ["registry.terraform.io/hashicorp/aws"]`);
    // AND with that config exported, terraform init of a synthesized stack installs the provider offline
    const outdir = path.join(dir, "cdktf.out");
    synthesize(parseConfig(exampleJson()), outdir);
    const init = spawnSync("terraform", ["init", "-input=false", "-backend=false", "-no-color"], {
      cwd: path.join(outdir, "stacks", "provider"),
      env: { ...process.env, TF_CLI_CONFIG_FILE: out, CHECKPOINT_DISABLE: "1" },
      encoding: "utf8",
    });
    expect({ code: init.status, out: init.status === 0 ? "" : init.stderr }).toEqual({ code: 0, out: "" });
    expect(init.stdout).toMatch(/Installed hashicorp\/aws v5\.100\.0/);
  });

  test("writes a network_mirror config when given one", async () => {
    const out = path.join(dir, "network.tfrc");
    const r = await run("--network-mirror", "https://mirror.example.com/providers/", "--out", out);
    expect(r.code).toBe(0);
    expect(fs.readFileSync(out, "utf8")).toContain('network_mirror {\n    url     = "https://mirror.example.com/providers/"');
  });

  test("refuses a folder that is no mirror, a URL that is not https, and both at once", async () => {
    expect(await run("--mirror", dir)).toEqual({ code: 1, stdout: "", stderr: expect.stringMatching(/holds no registry\.terraform\.io\/hashicorp\/aws\//) });
    expect(await run("--network-mirror", "http://mirror.example.com/")).toEqual({ code: 1, stdout: "", stderr: expect.stringMatching(/expected an https URL ending in "\/"/) });
    expect((await run("--mirror", dir, "--network-mirror", "https://m.example.com/")).stderr).toMatch(/give one of them/);
  });
});
