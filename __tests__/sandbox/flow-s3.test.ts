/**
 * provider -> consumer -> acceptance with S3 state on the emulator: values cross through S3 (one
 * consumer is enough to show it; the local flows have two).
 * Synthesized with the cdktn flavour (CDK Terrain and @cdktn/provider-aws, AWS provider 6.x), its
 * provider pin set to 5.100.0, the one AWS provider binary on these machines.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { emulatorCall } from "../../sandbox/emulator";
import { SANDBOX_BUCKET } from "../../sandbox/flow";
import { useSandbox } from "../support/sandbox";

jest.setTimeout(600_000);

function stateKeys(endpoint: string): string[] {
  const r = spawnSync("aws", ["--endpoint-url", endpoint, "--region", "us-west-2", "s3api", "list-objects-v2", "--bucket", SANDBOX_BUCKET, "--output", "json"], {
    encoding: "utf8",
    env: { ...process.env, AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" },
  });
  if (r.status !== 0) throw new Error(r.stderr);
  return (JSON.parse(r.stdout || "{}").Contents ?? []).map((o: { Key: string }) => o.Key).sort();
}

describe("sandbox flow, S3 state", () => {
  const sandbox = useSandbox("s3", { flavour: "cdktn", awsProviderVersion: "5.100.0", consumers: ["app"] });

  test("the stacks were synthesized by the cdktn flavour, pinned to AWS provider 5.100.0", () => {
    const stack = JSON.parse(fs.readFileSync(path.join(sandbox.run.outdir, "stacks", "provider", "cdk.tf.json"), "utf8"));
    expect({ cdk: stack["//"].metadata.version, aws: stack.terraform.required_providers.aws }).toEqual({ cdk: "0.24.0", aws: { source: "hashicorp/aws", version: "5.100.0" } });
  });

  test("provider -> consumer -> acceptance, with each stack's state under its own key", async () => {
    // WHEN the three stages are applied (acceptance reads the consumer's state)
    await sandbox.run.apply("provider");
    await sandbox.run.apply("consumer-app");
    await sandbox.run.apply("acceptance");
    const provider = await sandbox.run.outputs("provider");
    const app = await sandbox.run.outputs("consumer-app");
    const acceptance = await sandbox.run.outputs("acceptance");
    // THEN the state is in S3 and nowhere on disk
    expect(stateKeys(sandbox.emulator.endpoint)).toEqual(["privatelink/acceptance.tfstate", "privatelink/consumer-app.tfstate", "privatelink/provider.tfstate"]);
    expect(fs.existsSync(path.join(sandbox.workDir, "terraform-state"))).toBe(false);
    // AND the values crossed through it
    expect(app.service_name).toBe(provider.service_name);
    expect(acceptance.accepted_endpoints.app).toBe(app.endpoint_id);
    expect(emulatorCall(sandbox.emulator.endpoint, "us-west-2", "ec2", "describe_vpc_endpoints", { VpcEndpointIds: [app.endpoint_id] }).VpcEndpoints[0].State).toBe("available");
  });

  test("a plain second plan is empty and destroy leaves nothing", async () => {
    const stacks = ["provider", "consumer-app", "acceptance"];
    expect((await sandbox.run.emptyPlans(stacks)).map(({ stack, empty }) => ({ stack, empty }))).toEqual(stacks.map((stack) => ({ stack, empty: true })));
    for (const stack of [...stacks].reverse()) await sandbox.run.destroy(stack);
    for (const stack of stacks) expect({ stack, left: await sandbox.run.resources(stack) }).toEqual({ stack, left: [] });
  });
});
