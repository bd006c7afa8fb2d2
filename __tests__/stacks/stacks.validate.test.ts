/** Real `terraform validate` on every stack of the built-in example and of an S3-backend config. */
import * as fs from "fs";
import { requireTerraform, validateDir } from "../../ops/terraform";
import { validateStacks } from "../support/validate";
import * as os from "os";
import * as path from "path";
import { parseConfig } from "../../config/load";
import { synthesize } from "../../synth/synth";
import { exampleJson, synthConfig } from "../support/synth";

describe("terraform validate on synthesized stacks", () => {
  beforeAll(() => requireTerraform());

  test.each([
    ["the built-in example (local state)", () => exampleJson()],
    [
      "the example with S3 state, external DNS and existing networks",
      () => {
        const c = exampleJson();
        c.state = { backend: "s3", bucket: "tf-state", region: "us-west-2", keyPrefix: "pl/", roleArn: "arn:aws:iam::111111111111:role/tf" };
        c.dns = { provider: "external", startVerification: true };
        c.service.network = { vpcId: "vpc-0123456789abcdef0", subnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"] };
        c.consumers[0].network = { vpcId: "vpc-0123456789abcdef1", subnetIds: ["subnet-0123456789abcdef2"] };
        c.service.account.roleArn = "arn:aws:iam::111111111111:role/deploy";
        return c;
      },
    ],
    [
      "the example with networks by zone id, a TLS listener and the hosted zone in a separate DNS account",
      () => {
        const c = exampleJson();
        c.service.account.id = "111111111111";
        c.service.network.create.availabilityZones = ["usw2-az1", "usw2-az2"];
        c.consumers[0].network.create.availabilityZones = ["usw2-az1"];
        c.service.loadBalancer.listeners = [{ port: 443, protocol: "TLS", certificateArn: "arn:aws:acm:us-west-2:111111111111:certificate/0b2c3d4e" }];
        c.dns.account = { region: "us-east-1", roleArn: "arn:aws:iam::333333333333:role/dns" };
        return c;
      },
    ],
    [
      "the example with HCP Terraform state: a cloud block per stack, outputs read through the remote backend",
      () => {
        const c = exampleJson();
        c.state = { backend: "hcp-terraform", organization: "acme", project: "privatelink" };
        return c;
      },
    ],
  ])("%s", (_name, config) => {
    // GIVEN a synthesized config
    const { outdir, manifest } = synthConfig(config());
    try {
      // WHEN every stack is validated by terraform
      const results = validateStacks(outdir);
      // THEN every stack is valid
      expect(results.map((r) => r.stack).sort()).toEqual(Object.keys(manifest.stacks).sort());
      for (const r of results) expect({ stack: r.stack, errors: r.messages }).toEqual({ stack: r.stack, errors: [] });
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  }, 600_000);

  test("a broken stack among valid ones, validated in one run: exactly it fails, with the messages terraform gives it alone", () => {
    // GIVEN stacks seen nowhere else in this file (a tag of their own), one with an argument its resource does not have
    const c = exampleJson();
    c.tags = { suite: "validate-together" };
    const { outdir, manifest } = synthConfig(c);
    try {
      const file = path.join(outdir, "stacks", "consumer-app", "cdk.tf.json");
      const stack = JSON.parse(fs.readFileSync(file, "utf8"));
      Object.values(stack.resource.aws_vpc_endpoint as Record<string, any>)[0].no_such_argument = "x";
      fs.writeFileSync(file, JSON.stringify(stack, null, 2));
      // WHEN validated together, and the broken one alone
      const results = validateStacks(outdir);
      const alone = validateDir("consumer-app", path.join(outdir, "stacks", "consumer-app"));
      // THEN only it fails, with the same messages as alone
      expect(alone).toMatchObject({ valid: false, messages: [expect.stringMatching(/Extraneous JSON object property: No argument or block type is named "no_such_argument"/)] });
      expect(results.filter((r) => !r.valid)).toEqual([{ stack: "consumer-app", valid: false, messages: alone.messages }]);
      expect(results.map((r) => r.stack).sort()).toEqual(Object.keys(manifest.stacks).sort());
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  }, 600_000);

  test("the HCL output passes terraform validate too", () => {
    // GIVEN the example with --hcl
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "pl-hcl-")), "cdktf.out");
    synthesize(parseConfig(exampleJson()), dir, { hcl: true });
    // THEN every stack folder holds cdk.tf instead of cdk.tf.json, as cdktf synth --hcl writes, and the manifest says so
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8"));
    for (const [name, stack] of Object.entries<any>(manifest.stacks)) {
      expect(stack.synthesizedStackPath).toBe(`stacks/${name}/cdk.tf`);
      expect(fs.readdirSync(path.join(dir, "stacks", name)).filter((f) => f.startsWith("cdk.tf"))).toEqual(["cdk.tf"]);
    }
    expect(fs.readFileSync(path.join(dir, "stacks", "consumer-app", "cdk.tf"), "utf8")).toContain('"../../../terraform-state/provider.tfstate"');
    // AND every stack is valid
    try {
      for (const r of validateStacks(dir)) expect({ stack: r.stack, errors: r.messages }).toEqual({ stack: r.stack, errors: [] });
    } finally {
      fs.rmSync(path.dirname(dir), { recursive: true, force: true });
    }
  }, 300_000);

  test("retire stacks pass terraform validate, as JSON and as HCL, with their removed blocks", () => {
    // GIVEN the example (with the hosted zone in a DNS account) synthesized, then changed so that
    // every kind of stack is retired: a consumer removed, acceptance off, no private DNS name
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "pl-retire-validate-"));
    const dir = path.join(root, "cdktf.out");
    const recordFile = path.join(root, "privatelink.stacks.json");
    const first = exampleJson();
    first.dns.account = { region: "us-east-1", roleArn: "arn:aws:iam::333333333333:role/dns" };
    synthesize(parseConfig(first), dir, { recordFile });
    const changed = exampleJson();
    changed.consumers = changed.consumers.filter((c: { name: string }) => c.name !== "reports");
    changed.service.endpointService.acceptanceRequired = false;
    delete changed.service.endpointService.privateDnsName;
    delete changed.dns;
    changed.consumers[0].privateDns = false;
    const hclDir = path.join(root, "hcl", "cdktf.out");
    const json = synthesize(parseConfig(changed), dir, { recordFile });
    fs.copyFileSync(recordFile, path.join(root, "hcl.stacks.json"));
    synthesize(parseConfig(changed), hclDir, { recordFile: path.join(root, "hcl.stacks.json"), hcl: true });
    expect(json.retired.map((r) => r.name)).toEqual(["acceptance", "consumer-app-private-dns", "consumer-reports", "dns-verification"]);
    // THEN the HCL of a retire stack keeps its removed blocks, and the DNS retire stack its aliased provider
    expect(fs.readFileSync(path.join(hclDir, "stacks", "acceptance", "cdk.tf"), "utf8")).toMatch(/removed \{\n  from = aws_vpc_endpoint_connection_accepter\.Accepter_Accept-app_[0-9A-F]{8}\n  lifecycle \{\n    destroy = false/);
    expect(JSON.parse(fs.readFileSync(path.join(dir, "stacks", "dns-verification", "cdk.tf.json"), "utf8")).provider.aws).toHaveLength(2);
    // AND every stack is valid in both forms
    try {
      for (const out of [dir, hclDir]) {
        for (const r of validateStacks(out)) expect({ out, stack: r.stack, errors: r.messages }).toEqual({ out, stack: r.stack, errors: [] });
      }
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  }, 600_000);
});
