/**
 * The HCL output is in Terraform's canonical layout: `terraform fmt -check` passes on every
 * stack's cdk.tf, for the default flavour and for cdktn, and the formatter lays out edge cases
 * exactly as `terraform fmt` does.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { runCompiledApp } from "../../sandbox/run-app";
import { sandboxConfigJson } from "../../sandbox/flow";
import { requireTerraform, terraformEnv } from "../../ops/terraform";
import { parseConfig } from "../../config/load";
import { formatHcl } from "../../synth/hcl-format";
import { synthesize } from "../../synth/synth";
import { exampleJson, tempDirs } from "../support/synth";

jest.setTimeout(300_000);

/** What `terraform fmt` makes of `hcl`. */
function terraformFmt(hcl: string): string {
  const r = spawnSync("terraform", ["fmt", "-no-color", "-"], { input: hcl, env: terraformEnv(), encoding: "utf8" });
  if (r.status !== 0) throw new Error(`terraform fmt failed: ${r.stderr}`);
  return r.stdout;
}

/** `terraform fmt -check -diff` on every cdk.tf of an output: the files it would change, with the diff. */
function unformatted(outdir: string): { files: number; status: number | null; diff: string } {
  const files = fs.readdirSync(path.join(outdir, "stacks")).filter((s) => fs.existsSync(path.join(outdir, "stacks", s, "cdk.tf"))).length;
  const r = spawnSync("terraform", ["fmt", "-check", "-diff", "-recursive", "-no-color", outdir], { env: terraformEnv(), encoding: "utf8" });
  return { files, status: r.status, diff: r.stdout + r.stderr };
}

const EDGE_CASES = `# a comment
locals {
a = "\${foo}"
bb = "x\${foo}" // trailing
ccc = "\${a}\${b}" # another
d = "\${foo("\${bar}")}"
e = "\${
  foo
}"
f = "\${a ?
b : c}"
g = -1
h = 1 - 2
i = !true
j = a ? -1 : b
k = [for x in [1, 2] : x * -1]
l = {for k, v in var.m : k => v...}
m = var.list[*].id
n = var.list.*.id
o = provider::aws::arn_parse("x")
p = {
"ünïcödé" = 1
b = "\${x}"
}
q = {}
ñame-ü = "\${x}"
r = "$\${literal} %%{literal} \\"quoted\\" \\\\"
s = <<EOT
  \${var.x} and $\${not} here
  %{ if true }yes%{ endif }
EOT
t = <<-EOT
    indented
    EOT
uu = ["\${a.b}", "\${c}"]
v = "\${{a = 1}}"
w = "\${a}" /* block */
x=1
    yy     =    2


z = (1 + 2) * 3
}
block "one" "two" { inline = "\${x}" }
empty {}
resource "x" "y" {
\ttabbed = true
  nested {
    deep {
      a = 1
      bbbb = 2
    }
  }
  list = [
    1,
    2,
  ]
  obj = {
    k = "\${v}"
    kk = { n = 1 }
  }
  call = foo(
    1,
    2
  )
  lifecycle {
    postcondition {
condition = "\${length(self.x) == 0}"
error_message = "x \${self.id} y"
    }
  }
}
`;

describe("formatHcl", () => {
  beforeAll(() => requireTerraform());

  test("lays out edge cases (unwrapping, alignment, comments, heredocs, operators, nesting) exactly as terraform fmt does", () => {
    const want = terraformFmt(EDGE_CASES);
    expect(want).not.toBe(EDGE_CASES);
    expect(formatHcl(EDGE_CASES)).toBe(want);
  });

  test("leaves terraform fmt's own output unchanged", () => {
    const formatted = terraformFmt(EDGE_CASES);
    expect(formatHcl(formatted)).toBe(formatted);
  });

  test("keeps what only looks like code inside strings and heredocs as it is", () => {
    const hcl = 'a {\nb = "x = { y }"\nc = <<EOF\n  d   =   1\n}\nEOF\n}\n';
    expect(formatHcl(hcl)).toBe(terraformFmt(hcl));
    expect(formatHcl(hcl)).toContain("\n  d   =   1\n}\nEOF\n");
  });
});

describe("the synthesized HCL passes terraform fmt -check", () => {
  const tmp = tempDirs("pl-hcl-fmt-");
  const configs: Record<string, () => Record<string, any>> = {
    example: exampleJson,
    "S3 state and external DNS": () => {
      const c = exampleJson();
      c.state = { backend: "s3", bucket: "tf-state", region: "us-west-2", keyPrefix: "pl/", roleArn: "arn:aws:iam::111111111111:role/tf" };
      c.dns = { provider: "external", startVerification: true };
      return c;
    },
    sandbox: () => sandboxConfigJson("http://127.0.0.1:4566", "local"),
    "several consumers and TLS listeners": () => {
      const c = exampleJson();
      c.service.loadBalancer.listeners = [
        { port: 443, protocol: "TLS", certificateArn: "arn:aws:acm:us-west-2:111111111111:certificate/12345678-1234-1234-1234-123456789012", alpnPolicy: "HTTP2Preferred" },
        { port: 8443, protocol: "TLS", certificateArn: "arn:aws:acm:us-west-2:111111111111:certificate/12345678-1234-1234-1234-123456789013" },
        { port: 80, protocol: "TCP" },
      ];
      const template = c.consumers[0];
      c.consumers = ["one", "two", "three"].map((name, i) => ({
        ...template,
        name,
        network: { create: { ipv4Cidr: `10.${i + 10}.0.0/16`, availabilityZones: ["us-west-2a", "us-west-2b"] } },
        allowFrom: { ipv4Cidrs: [`10.${i + 10}.0.0/16`], ipv6Cidrs: ["fd00::/8"] },
        privateDns: i !== 1,
      }));
      return c;
    },
  };

  describe.each(["cdktf-aws5", "cdktn"])("flavour %s", (flavour) => {
    test.each(Object.keys(configs))("%s: every stack's cdk.tf", (name) => {
      // GIVEN the config written to a project folder
      const dir = tmp();
      const file = path.join(dir, "privatelink.config.json");
      fs.writeFileSync(file, JSON.stringify(configs[name]()));
      // WHEN npm run synth -- --flavour <flavour> --hcl runs on it
      const outdir = path.join(dir, "cdktf.out");
      const r = runCompiledApp(file, outdir, { flavour, args: ["--hcl"] });
      expect({ code: r.status, stderr: r.stderr.replace(/^installing the .*\n/m, "") }).toEqual({ code: 0, stderr: "" });
      // THEN terraform fmt would change none of its stacks
      const result = unformatted(outdir);
      expect(result.files).toBeGreaterThanOrEqual(5);
      expect({ status: result.status, diff: result.diff }).toEqual({ status: 0, diff: "" });
    });
  });

  test("retire stacks with their removed blocks too", () => {
    // GIVEN the example synthesized, then changed so that stacks are retired
    const dir = tmp();
    const recordFile = path.join(dir, "privatelink.stacks.json");
    synthesize(parseConfig(exampleJson()), path.join(dir, "json"), { recordFile });
    const changed = exampleJson();
    changed.consumers = changed.consumers.filter((c: { name: string }) => c.name !== "reports");
    changed.service.endpointService.acceptanceRequired = false;
    // WHEN it is synthesized as HCL
    const outdir = path.join(dir, "cdktf.out");
    const result = synthesize(parseConfig(changed), outdir, { recordFile, hcl: true });
    // THEN the retire stacks are there, and terraform fmt would change no stack
    expect(result.retired.map((s) => s.name)).toEqual(["acceptance", "consumer-app-private-dns", "consumer-reports"]);
    expect(fs.readFileSync(path.join(outdir, "stacks", "acceptance", "cdk.tf"), "utf8")).toMatch(/^removed \{$/m);
    expect(unformatted(outdir)).toEqual({ files: 6, status: 0, diff: "" });
  });
});
