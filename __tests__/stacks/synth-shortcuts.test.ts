/**
 * The synth's shortcuts (no cdktf cross-stack preparing pass, one resolve per element, attribute
 * references written directly, no token stack traces, cdktf helpers replaced while synthesizing,
 * stacks kept in memory and written by our own stable stringify) write exactly what cdktf's own
 * code paths write.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App, TerraformStack } from "cdktf";
import { StackSynthesizer } from "cdktf/lib/synthesize/synthesizer";
import { buildStacks } from "../../stacks/app";
import { parseConfig } from "../../stacks/config";
import { PrivateLinkStack } from "../../stacks/privatelink-stack";
import { formatHcl } from "../../stacks/hcl-format";
import { synthesize, validHcl } from "../../stacks/synth";
import { withSynthShortcuts } from "../../stacks/synth-shortcuts";
import { exampleJson } from "../support/synth";

describe("synth shortcuts", () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  const tmp = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pl-shortcut-"));
    dirs.push(dir);
    return dir;
  };
  /** manifest.json and every stack file, by path. */
  const read = (out: string) => {
    const files: Record<string, string> = { "manifest.json": fs.readFileSync(path.join(out, "manifest.json"), "utf8") };
    for (const stack of fs.readdirSync(path.join(out, "stacks"))) {
      for (const f of fs.readdirSync(path.join(out, "stacks", stack))) files[`stacks/${stack}/${f}`] = fs.readFileSync(path.join(out, "stacks", stack, f), "utf8");
    }
    return files;
  };
  const synthTo = (json: unknown, hcl: boolean) => {
    const out = path.join(tmp(), "out");
    synthesize(parseConfig(json), out, { hcl });
    return read(out);
  };
  /**
   * The same stacks written by cdktf alone: its own App.synth, stack synthesizer, prepareStack and
   * toTerraform, with token stack traces and none of our shortcuts (HCL then made valid and laid
   * out as ours is: the comparison is of what cdktf renders, not of our formatter).
   */
  const synthByCdktf = (json: unknown, hcl: boolean) => {
    const out = path.join(tmp(), "out");
    const proto = PrivateLinkStack.prototype as any;
    const own = { prepareStack: proto.prepareStack, toTerraform: proto.toTerraform };
    proto.prepareStack = TerraformStack.prototype.prepareStack;
    proto.toTerraform = TerraformStack.prototype.toTerraform;
    const saved = process.env.SYNTH_HCL_OUTPUT;
    process.env.SYNTH_HCL_OUTPUT = String(hcl);
    try {
      const app = new App({ outdir: out, hclOutput: hcl, skipValidation: true });
      for (const stack of buildStacks(app, parseConfig(json))) stack.synthesizer = new StackSynthesizer(stack, false, hcl);
      app.synth();
    } finally {
      Object.assign(proto, own);
      if (saved === undefined) delete process.env.SYNTH_HCL_OUTPUT;
      else process.env.SYNTH_HCL_OUTPUT = saved;
    }
    const files = read(out);
    for (const f of Object.keys(files)) if (f.endsWith("/cdk.tf")) files[f] = formatHcl(validHcl(files[f]));
    return files;
  };
  const s3ExternalDns = () => {
    const c = exampleJson();
    c.state = { backend: "s3", bucket: "tf-state", region: "us-west-2", keyPrefix: "pl/", roleArn: "arn:aws:iam::111111111111:role/tf" };
    c.dns = { provider: "external", startVerification: true };
    return c;
  };
  const dnsAccount = () => {
    const c = exampleJson();
    c.dns.account = { region: "us-east-1", roleArn: "arn:aws:iam::333333333333:role/dns" };
    return c;
  };

  /** Many consumers, names that look like encoded numbers (c1e5), IPv6 sources, no private DNS. */
  const manyConsumers = () => {
    const c = exampleJson();
    const template = c.consumers[0];
    c.consumers = ["c1e5", "b2", "a-3", "d1e-4"].map((name, i) => ({
      ...template,
      name,
      network: { create: { ipv4Cidr: `10.${i + 10}.0.0/16`, availabilityZones: ["us-west-2a", "us-west-2b"] } },
      allowFrom: { ipv4Cidrs: [`10.${i + 10}.0.0/16`], ipv6Cidrs: ["fd00::/8"] },
      privateDns: i % 2 === 0,
    }));
    c.suppressions = [{ id: "PL-VPC1", reason: "test networks" }];
    return c;
  };

  test.each([
    ["the built-in example, JSON", exampleJson, false],
    ["the built-in example, HCL", exampleJson, true],
    ["S3 state and external DNS", s3ExternalDns, false],
    ["a separate DNS account", dnsAccount, false],
    ["many consumers", manyConsumers, false],
    ["many consumers, HCL", manyConsumers, true],
  ] as const)("%s: byte for byte what cdktf writes", (_name, config, hcl) => {
    const ours = synthTo(config(), hcl);
    expect(Object.keys(ours).length).toBeGreaterThan(6);
    expect(ours).toEqual(synthByCdktf(config(), hcl));
  });

  test("cdktf's helpers replaced during synth give what cdktf's give, and are put back after", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const unique = require("cdktf/lib/private/unique");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const util = require("cdktf/lib/util");
    const own = { makeUniqueId: unique.makeUniqueId, keysToSnakeCase: util.keysToSnakeCase };
    const ids = [["a"], ["Default", "b"], ["x", "Default", "Resource"], ["Vpc", "VpcSubnet"], ["Network", "Subnet-us-west-2a"], ["a".repeat(300)], ["p", "q".repeat(300)], ["Endpoint", "Sg", "Ingress_10_1_0_0_16_443_tcp"]];
    const meta = [{ dependsOn: ["x"], lifecycle: { createBeforeDestroy: true, ignoreChanges: ["privateDnsEnabled"], postcondition: [{ condition: "c", errorMessage: "m" }] }, tags: { KeepCase: "v" } }, [{ someKey: 1 }, "x"]];
    const inside = withSynthShortcuts(() => ({
      ids: ids.map((c) => unique.makeUniqueId(c)),
      meta: meta.map((m) => util.keysToSnakeCase(m)),
      replaced: unique.makeUniqueId !== own.makeUniqueId && util.keysToSnakeCase !== own.keysToSnakeCase,
    }));
    expect(inside.replaced).toBe(true);
    expect(inside.ids).toEqual(ids.map((c) => own.makeUniqueId(c)));
    expect(inside.meta).toEqual(meta.map((m) => own.keysToSnakeCase(m)));
    expect(() => withSynthShortcuts(() => unique.makeUniqueId(["Default"]))).toThrow(/empty set of components/);
    expect({ makeUniqueId: unique.makeUniqueId, keysToSnakeCase: util.keysToSnakeCase }).toEqual(own);
  });
});
