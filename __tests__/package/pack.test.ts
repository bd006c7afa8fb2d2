/**
 * The published packages: `npm pack` (the default package, for cdktf with @cdktf/provider-aws 20.x
 * or 21.x) and `npm run pack:cdktn` (privatelink-as-code-cdktn, for CDK Terrain); each tarball is
 * installed into a fresh project that synthesizes a provider + consumer pair through the public
 * API only (JavaScript and TypeScript).
 */
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.join(__dirname, "..", "..");

jest.setTimeout(300_000);

interface PackageCase {
  readonly name: string;
  /** Packs the package into a folder; returns npm pack's --json report. */
  readonly pack: (dir: string) => string;
  /** The family's packages, linked into the fresh project from where they are installed here. */
  readonly core: string;
  readonly provider: string;
  readonly peersFrom: string;
  readonly peerDependencies: Record<string, string>;
}

const CASES: PackageCase[] = [
  {
    name: "privatelink-as-code",
    pack: (dir) => execFileSync("npm", ["pack", "--json", "--pack-destination", dir], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }),
    core: "cdktf",
    provider: "@cdktf/provider-aws",
    peersFrom: path.join(ROOT, "node_modules"),
    peerDependencies: { cdktf: "^0.21.0", constructs: "^10.4.2", "@cdktf/provider-aws": ">=20.1.0 <22.0.0", "@cdktf/provider-tfe": ">=12.5.0 <13.0.0" },
  },
  {
    name: "privatelink-as-code-cdktn",
    pack: (dir) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require("../../scripts/flavours").ensureFlavourInstalled("cdktn");
      return execFileSync(process.execPath, [path.join(ROOT, "scripts", "pack-flavour.js"), "cdktn", "--pack-destination", dir, "--json"], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    },
    core: "cdktn",
    provider: "@cdktn/provider-aws",
    peersFrom: path.join(ROOT, "flavours", "cdktn", "node_modules"),
    peerDependencies: { cdktn: "^0.24.0", "@cdktn/provider-aws": ">=25.0.0 <26.0.0", constructs: ">=10.6.0 <10.8.0" },
  },
];

describe.each(CASES)("npm package $name", ({ name, pack, core, provider, peersFrom, peerDependencies }) => {
  const PEERS = [core, "constructs", provider];
  let dir: string;
  let files: string[];
  let pkg: any;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "pl-pack-"));
    const info = JSON.parse(pack(dir))[0];
    files = info.files.map((f: { path: string }) => f.path);
    pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
    if (name !== pkg.name) pkg = JSON.parse(execFileSync("tar", ["-xzOf", path.join(dir, info.filename), "package/package.json"], { encoding: "utf8" }));

    // A fresh project: the tarball and its dependencies from npm (the cache when warm), the peers
    // linked from this checkout, since their versions are the ones we test with.
    const project = path.join(dir, "consumer-project");
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "consumer-project", version: "1.0.0", private: true }));
    const install = spawnSync("npm", ["install", "--prefer-offline", "--legacy-peer-deps", "--ignore-scripts", "--no-audit", "--no-fund", path.join(dir, info.filename)], {
      cwd: project,
      encoding: "utf8",
    });
    if (install.status !== 0) throw new Error(`npm install of the tarball failed:\n${install.stderr}`);
    for (const peer of PEERS) {
      const target = path.join(project, "node_modules", peer);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.symlinkSync(path.join(peersFrom, peer), target, "dir");
    }
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("holds compiled JavaScript and declarations, the README and the licence, and no tests or output", () => {
    for (const f of ["dist/modules/index.js", "dist/modules/index.d.ts", "dist/synth/index.js", "dist/synth/index.d.ts", "dist/stacks/index.js", "dist/config/load.js", "dist/rules/index.js", "README.md", "docs/constructs.md", "docs/api.md", "LICENSE", "package.json", "privatelink.schema.json", "examples/privatelink.config.json"]) {
      expect(files).toContain(f);
    }
    expect(files.filter((f) => /__tests__|cdktf\.out|\.ts$(?<!\.d\.ts)|^sandbox\/|^bench\//.test(f))).toEqual([]);
    // the jsii assembly of the constructs, in the default package only (it describes them on cdktf)
    expect({ name, jsii: files.includes(".jsii") }).toEqual({ name, jsii: name === "privatelink-as-code" });
  });

  test("its compiled code and declarations import only its own family", () => {
    const installed = path.join(dir, "consumer-project", "node_modules", name, "dist");
    const other = core === "cdktf" ? "cdktn" : "cdktf";
    const offending: string[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const file = path.join(d, e.name);
        if (e.isDirectory()) walk(file);
        else if (new RegExp(`(require\\(|from |import\\()\\s*["'](${other}|@${other}/provider-aws)(/|["'])`).test(fs.readFileSync(file, "utf8"))) offending.push(path.relative(installed, file));
      }
    };
    walk(installed);
    expect(offending).toEqual([]);
    expect(fs.readFileSync(path.join(installed, "synth", "synth.js"), "utf8")).toContain(`require("${core}")`);
  });

  test("declares the peer dependency ranges and an exports map", () => {
    expect(pkg.name).toBe(name);
    expect(pkg.peerDependencies).toEqual(peerDependencies);
    expect(pkg.exports["."]).toEqual({ types: "./dist/modules/index.d.ts", default: "./dist/modules/index.js" });
    expect(pkg.exports["./stacks"]).toEqual({ types: "./dist/synth/index.d.ts", default: "./dist/synth/index.js" });
  });

  test("a provider + consumer pair synthesizes through the public API", () => {
    // GIVEN a script in the fresh project that uses only the package's exports
    const project = path.join(dir, "consumer-project");
    fs.writeFileSync(
      path.join(project, "app.js"),
      `
const { App, TerraformStack, DataTerraformRemoteStateLocal } = require("${core}");
const { AwsProvider } = require("${provider}/lib/provider");
const pl = require("${name}");
const app = new App({ outdir: "out" });
const provider = new TerraformStack(app, "provider");
new AwsProvider(provider, "aws", { region: "us-west-2" });
const nlb = new pl.DualStackNlb(provider, "Nlb", { vpcId: "vpc-0123456789abcdef0", subnetIds: ["subnet-0123456789abcdef0"], listeners: [{ port: 443 }] });
new pl.EndpointService(provider, "Service", { networkLoadBalancerArns: [nlb.loadBalancerArn], supportedIpAddressTypes: [pl.ServiceIpAddressType.IPV4, pl.ServiceIpAddressType.IPV6] });
const consumer = new TerraformStack(app, "consumer");
new AwsProvider(consumer, "aws", { region: "us-west-2" });
const state = new DataTerraformRemoteStateLocal(consumer, "provider", { path: "../provider/terraform.tfstate" });
new pl.ConsumerEndpoint(consumer, "Endpoint", { serviceName: state.getString("service_name"), vpcId: "vpc-0fedcba9876543210", subnetIds: ["subnet-0fedcba9876543210"], ports: [{ port: 443 }], allowFrom: { ipv4Cidrs: ["10.1.0.0/16"] }, ipAddressType: pl.EndpointIpAddressType.DUALSTACK });
app.synth();
const stacks = require("${name}/stacks");
const example = JSON.parse(require("fs").readFileSync(stacks.EXAMPLE_CONFIG_PATH, "utf8"));
console.log(JSON.stringify({ example: typeof stacks.EXAMPLE_CONFIG_PATH, parsed: stacks.parseConfig(example).name }));
`,
    );
    // WHEN it runs
    const run = spawnSync(process.execPath, ["app.js"], { cwd: project, encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    // THEN both stacks are synthesized with the package's resources, and the stacks entry works
    const providerJson = JSON.parse(fs.readFileSync(path.join(project, "out", "stacks", "provider", "cdk.tf.json"), "utf8"));
    const consumerJson = JSON.parse(fs.readFileSync(path.join(project, "out", "stacks", "consumer", "cdk.tf.json"), "utf8"));
    expect(Object.values<any>(providerJson.resource.aws_lb)[0]).toMatchObject({ internal: true, ip_address_type: "dualstack" });
    expect(Object.values<any>(providerJson.resource.aws_vpc_endpoint_service)[0]).toMatchObject({ supported_ip_address_types: ["ipv4", "ipv6"] });
    expect(Object.values<any>(consumerJson.resource.aws_vpc_endpoint)[0]).toMatchObject({ service_name: "${data.terraform_remote_state.provider.outputs.service_name}", ip_address_type: "dualstack" });
    expect(JSON.parse(run.stdout)).toEqual({ example: "string", parsed: "demo" });
  });

  test("exports every construct the docs document, and each one builds from the tarball", () => {
    // GIVEN the construct names of docs/constructs.md's construct table
    const readme = fs.readFileSync(path.join(ROOT, "docs", "constructs.md"), "utf8");
    const table = readme.slice(readme.indexOf("| construct | creates | exposes |"));
    const documented = [...table.slice(0, table.indexOf("\n\n")).matchAll(/^\| `(\w+)` \|/gm)].map((m) => m[1]);
    expect(documented).toEqual(expect.arrayContaining(["DualStackNlb", "EndpointService", "DualStackVpc", "HelloWorldInstance", "PrivateLinkService", "PrivateLinkConsumer"]));
    // WHEN the fresh project requires the package and reads them
    const project = path.join(dir, "consumer-project");
    const run = spawnSync(process.execPath, ["-e", `const pl = require("${name}"); console.log(JSON.stringify(${JSON.stringify(documented)}.map((n) => [n, typeof pl[n]])))`], { cwd: project, encoding: "utf8" });
    // THEN each is an exported class
    expect(run.stderr).toBe("");
    expect(JSON.parse(run.stdout)).toEqual(documented.map((n) => [n, "function"]));
  });

  test("the declarations type-check a TypeScript user of the package", () => {
    const project = path.join(dir, "consumer-project");
    fs.writeFileSync(
      path.join(project, "typed.ts"),
      `import { App, TerraformStack } from "${core}";
import { ConsumerEndpoint, DualStackVpc, EndpointIpAddressType, HelloWorldInstance, ListenerProtocol, PrivateLinkConsumer, PrivateLinkService } from "${name}";
import { buildStacks, parseConfig } from "${name}/stacks";
const app = new App();
const stack = new TerraformStack(app, "s");
const ep: ConsumerEndpoint = new ConsumerEndpoint(stack, "E", { serviceName: "com.amazonaws.vpce.us-west-2.vpce-svc-0123456789abcdef0", vpcId: "vpc-0123456789abcdef0", subnetIds: ["subnet-0123456789abcdef0"], ports: [{ port: 53, protocol: ListenerProtocol.TCP_UDP }], allowFrom: { securityGroupIds: ["sg-0123456789abcdef0"] }, ipAddressType: EndpointIpAddressType.IPV4 });
const id: string = ep.endpointId;
const vpc = new DualStackVpc(stack, "Vpc", { ipv4Cidr: "10.0.0.0/16", availabilityZones: ["us-west-2a"] });
const demo = new HelloWorldInstance(stack, "Demo", { vpcId: vpc.vpcId, subnetId: vpc.subnetIds[0] });
const svc = new PrivateLinkService(stack, "Svc", { loadBalancer: { vpcId: vpc.vpcId, subnetIds: vpc.subnetIds, listeners: [{ port: 80 }], target: { ids: [demo.instanceId] } }, endpointService: { allowedPrincipals: ["arn:aws:iam::123456789012:root"] } });
demo.allowFrom(svc.nlb.securityGroupId!);
new PrivateLinkConsumer(stack, "C", { service: svc, vpcId: vpc.vpcId, subnetIds: vpc.subnetIds, allowFrom: { ipv4Cidrs: ["10.0.0.0/16"] } });
buildStacks(new App(), parseConfig({}));
export { id };
`,
    );
    const tsc = spawnSync(process.execPath, [path.join(ROOT, "node_modules", "typescript", "bin", "tsc"), "--noEmit", "--strict", "--module", "node16", "--moduleResolution", "node16", "--skipLibCheck", "typed.ts"], { cwd: project, encoding: "utf8" });
    expect(tsc.stdout + tsc.stderr).toBe("");
    expect(tsc.status).toBe(0);
  });
});
