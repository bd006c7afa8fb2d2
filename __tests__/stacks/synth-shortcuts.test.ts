/**
 * The synth's shortcuts (no cdktf cross-stack preparing pass, one resolve per element, no token
 * stack traces) write exactly what cdktf's own code paths write.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { TerraformStack } from "cdktf";
import { parseConfig } from "../../stacks/config";
import { PrivateLinkStack } from "../../stacks/privatelink-stack";
import { synthesize } from "../../stacks/synth";
import { digest } from "../support/app";
import { exampleJson } from "../support/synth";

describe("synth shortcuts", () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  const synthTo = (json: unknown, hcl: boolean) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pl-shortcut-"));
    dirs.push(dir);
    synthesize(parseConfig(json), path.join(dir, "out"), { hcl });
    return digest(path.join(dir, "out"));
  };
  /** The same synth with cdktf's own prepareStack and toTerraform, and token stack traces on. */
  const synthByCdktf = (json: unknown, hcl: boolean) => {
    const proto = PrivateLinkStack.prototype as any;
    const own = { prepareStack: proto.prepareStack, toTerraform: proto.toTerraform };
    proto.prepareStack = TerraformStack.prototype.prepareStack;
    proto.toTerraform = TerraformStack.prototype.toTerraform;
    process.env.PRIVATELINK_TOKEN_TRACES = "1";
    try {
      return synthTo(json, hcl);
    } finally {
      Object.assign(proto, own);
      delete process.env.PRIVATELINK_TOKEN_TRACES;
    }
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

  test.each([
    ["the built-in example, JSON", exampleJson, false],
    ["the built-in example, HCL", exampleJson, true],
    ["S3 state and external DNS", s3ExternalDns, false],
    ["a separate DNS account", dnsAccount, false],
  ] as const)("%s: byte for byte what cdktf writes", (_name, config, hcl) => {
    expect(synthTo(config(), hcl)).toBe(synthByCdktf(config(), hcl));
  });
});
