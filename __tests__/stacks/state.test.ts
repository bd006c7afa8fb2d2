/** Backends, remote-state reads and the sandbox settings of every stack. */
import * as fs from "fs";
import * as path from "path";
import { SynthResult, exampleJson, synthConfig } from "../support/synth";

const synth = synthConfig;

const EXAMPLE_STACKS = ["provider", "dns-verification", "consumer-app", "consumer-reports", "acceptance", "consumer-app-private-dns"];
const SANDBOX = "http://127.0.0.1:4566";

function withS3State(state: Record<string, unknown> = { backend: "s3", bucket: "tf-state", region: "eu-west-1", keyPrefix: "pl/" }): Record<string, any> {
  const c = exampleJson();
  c.state = state;
  return c;
}

function withSandbox(c: Record<string, any>): Record<string, any> {
  c.sandbox = { endpoint: SANDBOX };
  return c;
}

/** Every remote-state data source of a synthesized config, with the stack that holds it. */
function remoteStates(r: SynthResult): { stack: string; id: string; state: any }[] {
  return Object.entries<any>(r.stacks).flatMap(([stack, json]) =>
    Object.entries<any>(json.data?.terraform_remote_state ?? {}).map(([id, state]) => ({ stack, id, state })),
  );
}

/** Every string value (not key) in a JSON document, with its path. */
function stringValues(value: unknown, at: string[] = []): { at: string[]; value: string }[] {
  if (typeof value === "string") return [{ at, value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringValues(v, [...at, String(i)]));
  if (value !== null && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => stringValues(v, [...at, k]));
  return [];
}

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/**
 * String values starting with "/" in every file of the outdir, except the one legitimate kind: the
 * name of the provider stack's aws_ssm_parameter data source (the public AMI parameter /aws/service/...).
 */
function absolutePaths(outdir: string): { file: string; at: string; value: string }[] {
  return filesUnder(outdir).flatMap((file) => {
    const relative = path.relative(outdir, file);
    return stringValues(JSON.parse(fs.readFileSync(file, "utf8")))
      .filter(({ value }) => value.startsWith("/"))
      .filter(
        ({ at, value }) =>
          !(
            relative === path.join("stacks", "provider", "cdk.tf.json") &&
            at.length === 4 &&
            at[0] === "data" &&
            at[1] === "aws_ssm_parameter" &&
            at[3] === "name" &&
            value.startsWith("/aws/service/")
          ),
      )
      .map(({ at, value }) => ({ file: relative, at: at.join("."), value }));
  });
}

describe("local state", () => {
  let example: SynthResult;
  beforeAll(() => {
    example = synth(exampleJson());
  });

  test.each(EXAMPLE_STACKS)("%s keeps its state in a relative path under the state directory", (stack) => {
    // GIVEN the example with local state in terraform-state
    // WHEN the stack's backend is read
    // THEN it is a local backend at ../../../terraform-state/<stack>.tfstate (relative to cdktf.out/stacks/<stack>)
    expect(example.stacks[stack].terraform.backend).toEqual({ local: { path: `../../../terraform-state/${stack}.tfstate` } });
  });

  test("remote-state reads use the same relative paths as the backends that write them", () => {
    // GIVEN the synthesized example
    // WHEN every remote-state data source is read
    const reads = remoteStates(example);
    const written = EXAMPLE_STACKS.map((s) => example.stacks[s].terraform.backend.local.path);
    // THEN each is a local read of a path some stack writes
    expect(reads.length).toBeGreaterThan(0);
    for (const { state } of reads) {
      expect(state.backend).toBe("local");
      expect(written).toContain(state.config.path);
    }
  });

  test("another state directory is used, still relative", () => {
    // GIVEN state.directory "state/dev"
    const c = exampleJson();
    c.state = { backend: "local", directory: "state/dev" };
    // WHEN the config is synthesized
    const r = synth(c);
    // THEN the backends and the remote-state reads use ../../../state/dev/<stack>.tfstate
    expect(r.stacks.provider.terraform.backend.local.path).toBe("../../../state/dev/provider.tfstate");
    expect(r.stacks["consumer-app"].data.terraform_remote_state.provider.config.path).toBe("../../../state/dev/provider.tfstate");
  });

  test("the outdir holds no absolute path, except the public SSM parameter name of the demo AMI", () => {
    // GIVEN the synthesized example
    // WHEN every string value of every file in the outdir is checked
    // THEN none starts with "/" apart from the provider stack's aws_ssm_parameter name
    expect(absolutePaths(example.outdir)).toEqual([]);
  });

  test("the one exception really is the AMI parameter under /aws/service/", () => {
    // GIVEN the synthesized example with a demo instance
    // WHEN the provider stack's SSM parameter data sources are read
    const names = Object.values<any>(example.stacks.provider.data.aws_ssm_parameter).map((p) => p.name);
    // THEN there is exactly one, the public AWS parameter
    expect(names).toEqual([expect.stringMatching(/^\/aws\/service\//)]);
  });

  test("without a demo instance, no string value starts with / at all", () => {
    // GIVEN the example with configured target ids instead of a demo instance
    const c = exampleJson();
    c.service.loadBalancer.target = { type: "instance", port: 80, ipAddressType: "ipv4", ids: ["i-0123456789abcdef0"] };
    // WHEN it is synthesized
    const r = synth(c);
    // THEN no string value in the outdir starts with "/"
    const all = filesUnder(r.outdir).flatMap((file) => stringValues(JSON.parse(fs.readFileSync(file, "utf8"))).map((s) => s.value));
    expect(all.filter((v) => v.startsWith("/"))).toEqual([]);
  });

  test("the S3 and sandbox variant's outdir holds no absolute path either", () => {
    // GIVEN S3 state, external DNS, existing networks and the sandbox
    const c = withSandbox(withS3State());
    c.dns = { provider: "external" };
    c.service.network = { vpcId: "vpc-0123456789abcdef0", subnetIds: ["subnet-0123456789abcdef0"] };
    // WHEN it is synthesized
    const r = synth(c);
    // THEN no string value starts with "/" apart from the AMI parameter name
    expect(absolutePaths(r.outdir)).toEqual([]);
  });
});

describe("S3 state", () => {
  let s3: SynthResult;
  beforeAll(() => {
    s3 = synth(withS3State({ backend: "s3", bucket: "tf-state", region: "eu-west-1", keyPrefix: "pl/", roleArn: "arn:aws:iam::111111111111:role/tf" }));
  });

  test.each(EXAMPLE_STACKS)("%s writes its state to <keyPrefix><stack>.tfstate, encrypted and locked", (stack) => {
    // GIVEN S3 state in bucket tf-state (eu-west-1), key prefix pl/, role arn:aws:iam::111111111111:role/tf
    // WHEN the stack's backend is read
    const backend = s3.stacks[stack].terraform.backend;
    // THEN it is an S3 backend with the stack's key, encryption, S3 locking and the role
    expect(Object.keys(backend)).toEqual(["s3"]);
    expect(backend.s3).toEqual(
      expect.objectContaining({
        bucket: "tf-state",
        region: "eu-west-1",
        key: `pl/${stack}.tfstate`,
        encrypt: true,
        use_lockfile: true,
        assume_role: expect.objectContaining({ role_arn: "arn:aws:iam::111111111111:role/tf" }),
      }),
    );
  });

  test("no role is assumed for state without roleArn", () => {
    // GIVEN S3 state without roleArn
    // WHEN the config is synthesized
    const r = synth(withS3State());
    // THEN no backend and no remote-state read assumes a role
    for (const stack of EXAMPLE_STACKS) expect(r.stacks[stack].terraform.backend.s3.assume_role).toBeUndefined();
    for (const { state } of remoteStates(r)) expect(state.config.assume_role).toBeUndefined();
  });

  test("the key prefix defaults to privatelink/", () => {
    // GIVEN S3 state without keyPrefix
    // WHEN the config is synthesized
    const r = synth(withS3State({ backend: "s3", bucket: "tf-state", region: "eu-west-1" }));
    // THEN the provider's key is privatelink/provider.tfstate
    expect(r.stacks.provider.terraform.backend.s3.key).toBe("privatelink/provider.tfstate");
  });

  test("a KMS key encrypts the state when kmsKeyId is given", () => {
    // GIVEN S3 state with kmsKeyId
    const kmsKeyId = "arn:aws:kms:eu-west-1:111111111111:key/00000000-0000-0000-0000-000000000000";
    // WHEN the config is synthesized
    const r = synth(withS3State({ backend: "s3", bucket: "tf-state", region: "eu-west-1", kmsKeyId }));
    // THEN the backend names that key
    expect(r.stacks.provider.terraform.backend.s3.kms_key_id).toBe(kmsKeyId);
  });

  test("every remote-state read is an S3 read of a key some stack writes, with the same bucket, region and role", () => {
    // GIVEN the S3-state config
    // WHEN every remote-state data source is read
    const reads = remoteStates(s3);
    const keys = EXAMPLE_STACKS.map((s) => `pl/${s}.tfstate`);
    // THEN each reads from S3 a key in that set
    expect(reads.length).toBeGreaterThan(0);
    for (const { state } of reads) {
      expect(state.backend).toBe("s3");
      expect(state.config).toEqual(
        expect.objectContaining({ bucket: "tf-state", region: "eu-west-1", assume_role: expect.objectContaining({ role_arn: "arn:aws:iam::111111111111:role/tf" }) }),
      );
      expect(keys).toContain(state.config.key);
    }
  });

  test.each([
    ["dns-verification", "pl/provider.tfstate"],
    ["consumer-app", "pl/provider.tfstate"],
    ["acceptance", "pl/provider.tfstate"],
    ["acceptance", "pl/consumer-app.tfstate"],
    ["acceptance", "pl/consumer-reports.tfstate"],
    ["consumer-app-private-dns", "pl/consumer-app.tfstate"],
  ])("%s reads %s", (stack, key) => {
    // GIVEN the S3-state config
    // WHEN the stack's remote-state reads are listed
    const readKeys = remoteStates(s3)
      .filter((r) => r.stack === stack)
      .map((r) => r.state.config.key);
    // THEN one reads the key of the stack it needs
    expect(readKeys).toContain(key);
  });
});

describe("sandbox", () => {
  let sandbox: SynthResult;
  beforeAll(() => {
    sandbox = synth(withSandbox(withS3State()));
  });

  test.each(EXAMPLE_STACKS)("%s's AWS provider sends every service to the emulator", (stack) => {
    // GIVEN sandbox.endpoint http://127.0.0.1:4566
    // WHEN the stack's AWS provider is read
    const provider = sandbox.stacks[stack].provider.aws[0];
    // THEN it has one endpoints block whose services, including ec2, elbv2, route53 and sts, all point at the emulator
    expect(provider.endpoints).toHaveLength(1);
    const endpoints = provider.endpoints[0];
    expect(Object.keys(endpoints)).toEqual(expect.arrayContaining(["ec2", "elbv2", "route53", "sts"]));
    for (const url of Object.values(endpoints)) expect(url).toBe(SANDBOX);
  });

  test.each(EXAMPLE_STACKS)("%s's AWS provider uses path-style S3 and keeps requesting the account id", (stack) => {
    // GIVEN the sandbox
    // WHEN the stack's AWS provider is read
    // THEN s3_use_path_style is true and skip_requesting_account_id is false
    expect(sandbox.stacks[stack].provider.aws[0]).toEqual(expect.objectContaining({ s3_use_path_style: true, skip_requesting_account_id: false }));
  });

  test.each(EXAMPLE_STACKS)("%s's S3 backend talks to the emulator with path-style addressing", (stack) => {
    // GIVEN the sandbox and S3 state
    // WHEN the stack's backend is read
    const backend = sandbox.stacks[stack].terraform.backend.s3;
    // THEN its S3 endpoint is the emulator and use_path_style is true
    expect(backend.endpoints).toEqual(expect.objectContaining({ s3: SANDBOX }));
    expect(backend.use_path_style).toBe(true);
  });

  test("remote-state reads talk to the emulator with path-style addressing", () => {
    // GIVEN the sandbox and S3 state
    // WHEN every remote-state data source is read
    const reads = remoteStates(sandbox);
    // THEN each reads S3 through the emulator with use_path_style
    expect(reads.length).toBeGreaterThan(0);
    for (const { state } of reads) expect(state.config).toEqual(expect.objectContaining({ endpoints: expect.objectContaining({ s3: SANDBOX }), use_path_style: true }));
  });

  test("without a sandbox, providers and backends keep AWS's own endpoints", () => {
    // GIVEN S3 state and no sandbox
    // WHEN the config is synthesized
    const r = synth(withS3State());
    // THEN no provider or backend has endpoints
    for (const stack of EXAMPLE_STACKS) {
      expect(r.stacks[stack].provider.aws[0].endpoints).toBeUndefined();
      expect(r.stacks[stack].terraform.backend.s3.endpoints).toBeUndefined();
    }
  });
});
