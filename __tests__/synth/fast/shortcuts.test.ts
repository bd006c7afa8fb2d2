/**
 * The synth's speed layer (synth/fast/) writes exactly what plain cdktf writes, is installed only
 * through its one door, by the app's entry point, and only on the versions it was checked on.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseConfig } from "../../../config/load";
import { synthesize } from "../../../synth/synth";
import { FAST_SYNTH_PARTS, installFastSynth } from "../../../synth/fast";
import { installShortcuts } from "../../../synth/fast/shortcuts";
import { stackCollector, writtenStacks } from "../../../synth/stack-output";
import { Lazy, Tokenization } from "cdktf";
import { PrivateLinkStack } from "../../../stacks/privatelink-stack";
import { runApp } from "../../support/app";
import { exampleJson } from "../../support/synth";

const ROOT = path.join(__dirname, "..", "..", "..");
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
const tmp = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pl-fast-"));
  dirs.push(dir);
  return dir;
};
/** manifest.json, deploy-order.json and every stack file, by path. */
const read = (out: string) => {
  const files: Record<string, string> = {};
  for (const f of ["manifest.json", "deploy-order.json"]) files[f] = fs.readFileSync(path.join(out, f), "utf8");
  for (const stack of fs.readdirSync(path.join(out, "stacks"))) {
    for (const f of fs.readdirSync(path.join(out, "stacks", stack))) files[`stacks/${stack}/${f}`] = fs.readFileSync(path.join(out, "stacks", stack, f), "utf8");
  }
  return files;
};
// What the door changes, as found before it opens: everything must be so again once it closes.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const traces = require("cdktf/lib/tokens/private/stack-trace");
const cdktfOwn = () => ({
  captureStackTrace: traces.captureStackTrace,
  prepareStack: Object.getOwnPropertyDescriptor(PrivateLinkStack.prototype, "prepareStack"),
  toTerraform: Object.getOwnPropertyDescriptor(PrivateLinkStack.prototype, "toTerraform"),
  collector: stackCollector(),
});

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
/** HCP Terraform state read with tfe_outputs, and the workspace set (written by its own cdktf app). */
const hcpTerraform = () => {
  const c = exampleJson();
  c.state = { backend: "hcp-terraform", organization: "acme", project: "privatelink", readOutputsWith: "tfe_outputs" };
  c.service.account.id = "123456789012";
  c.consumers.forEach((x: any) => (x.account.id = "123456789012"));
  c.pipelines = { hcpTerraform: {} };
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
  return c;
};

describe("the speed layer writes what plain cdktf writes", () => {
  const synthTo = (json: unknown, hcl: boolean, fast: boolean) => {
    const out = path.join(tmp(), "out");
    const restore = fast ? installFastSynth({}) : () => {};
    try {
      synthesize(parseConfig(json), out, { hcl });
    } finally {
      restore();
    }
    return read(out);
  };

  test.each([
    ["the built-in example, JSON", exampleJson, false],
    ["the built-in example, HCL", exampleJson, true],
    ["S3 state and external DNS", s3ExternalDns, false],
    ["a separate DNS account", dnsAccount, false],
    ["HCP Terraform state, tfe_outputs reads and the workspace set", hcpTerraform, false],
    ["many consumers", manyConsumers, false],
    ["many consumers, HCL", manyConsumers, true],
  ] as const)("%s: byte for byte", (_name, config, hcl) => {
    const fast = synthTo(config(), hcl, true);
    expect(Object.keys(fast).length).toBeGreaterThan(6);
    expect(fast).toEqual(synthTo(config(), hcl, false));
    // and nothing of the speed layer is left installed afterwards
    expect(cdktfOwn()).toEqual(ownBefore);
  });

  const ownBefore = cdktfOwn();

  test("the app with PRIVATELINK_FAST_SYNTH=0 (plain cdktf end to end) writes the same files as with the speed layer", () => {
    const fast = path.join(tmp(), "cdktf.out");
    const plain = path.join(tmp(), "cdktf.out");
    const config = manyConsumers();
    const ran = [runApp(config, fast), runApp(config, plain, { PRIVATELINK_FAST_SYNTH: "0" })];
    expect(ran.map((r) => ({ status: r.status, stderr: r.stderr }))).toEqual([
      { status: 0, stderr: "" },
      { status: 0, stderr: "" },
    ]);
    expect(read(fast)).toEqual(read(plain));
  });
});

describe("the one door", () => {
  test("token stack traces are off while installed (cdktf's only use of them is naming a token that fails to resolve), and back after", () => {
    const creationStack = () => Tokenization.reverseString(Lazy.stringValue({ produce: () => "x" })).tokens[0]?.creationStack ?? [];
    expect(creationStack().length).toBeGreaterThan(0);
    const restore = installShortcuts({ tokenTraces: true });
    try {
      expect(creationStack()).toEqual([]);
    } finally {
      restore();
    }
    expect(creationStack().length).toBeGreaterThan(0);
  });

  test("PRIVATELINK_FAST_SYNTH=0 installs nothing; an unchecked cdktf version installs nothing and says so in one line", () => {
    const own = cdktfOwn();
    const notices: string[] = [];
    installFastSynth({ PRIVATELINK_FAST_SYNTH: "0" }, (l) => notices.push(l))();
    expect(cdktfOwn()).toEqual(own);
    const restore = installFastSynth({}, (l) => notices.push(l), { name: "cdktf", version: "0.22.0" });
    expect(cdktfOwn()).toEqual(own);
    restore();
    expect(notices).toEqual([expect.stringMatching(/^notice: cdktf 0\.22\.0 is not a version the synth's speed layer was checked on \(cdktf 0\.21\.0; cdktn 0\.24\.0\): synthesizing with plain cdktf$/)]);
  });

  test("PRIVATELINK_FAST_SYNTH_SKIP names parts the bench can leave out; an unknown part is refused with the valid ones", () => {
    const own = cdktfOwn();
    const restore = installFastSynth({ PRIVATELINK_FAST_SYNTH_SKIP: "token-traces" });
    try {
      expect(traces.captureStackTrace).toBe(own.captureStackTrace);
      expect(Object.getOwnPropertyDescriptor(PrivateLinkStack.prototype, "toTerraform")).not.toEqual(own.toTerraform);
      expect(Object.getOwnPropertyDescriptor(PrivateLinkStack.prototype, "toTerraform")).toBeDefined();
      expect(stackCollector()).not.toBe(writtenStacks);
    } finally {
      restore();
    }
    expect(stackCollector()).toBe(writtenStacks);
    expect(() => installFastSynth({ PRIVATELINK_FAST_SYNTH_SKIP: "everything" })).toThrow(`PRIVATELINK_FAST_SYNTH_SKIP: received everything; expected a comma-separated list of ${FAST_SYNTH_PARTS.join(", ")}`);
  });

  test("no file outside synth/fast/ imports a private cdktf path, and only the app's entry point opens the door", () => {
    const sources = (dir: string): string[] =>
      fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : []));
    const product = ["main.ts", ...["modules", "config", "stacks", "synth", "rules", "ops", "sandbox"].flatMap(sources)].filter((f) => !f.startsWith(`synth${path.sep}fast${path.sep}`));
    const privateImports = product.filter((f) => /["']cdktf\/lib\/|require\.resolve\(["']cdktf["']\)/.test(fs.readFileSync(path.join(ROOT, f), "utf8")));
    expect(privateImports).toEqual([]);
    const doorOpeners = product.filter((f) => /installFastSynth\(/.test(fs.readFileSync(path.join(ROOT, f), "utf8")));
    expect(doorOpeners).toEqual(["main.ts"]);
  });
});
