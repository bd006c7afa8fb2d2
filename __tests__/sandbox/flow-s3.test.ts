/** provider -> consumer -> acceptance with S3 state on the emulator: values cross through S3. */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Emulator, seedEmulator, startEmulator } from "../../sandbox/emulator";
import { SANDBOX_BUCKET, SANDBOX_ZONE, SandboxRun, sandboxConfigJson } from "../../sandbox/flow";
import { requireTerraform } from "../../sandbox/terraform";

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
  let emulator: Emulator;
  let run: SandboxRun;
  let workDir: string;

  beforeAll(async () => {
    requireTerraform();
    emulator = await startEmulator();
    seedEmulator(emulator.endpoint, { region: "us-west-2", zoneName: SANDBOX_ZONE, bucket: SANDBOX_BUCKET });
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "pl-sandbox-s3-"));
    run = new SandboxRun(workDir, sandboxConfigJson(emulator.endpoint, "s3"));
  });

  afterAll(async () => {
    await emulator?.stop();
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });

  test("provider -> consumer -> acceptance, with each stack's state under its own key", async () => {
    // WHEN the three stages are applied
    await run.apply("provider");
    await run.apply("consumer-app");
    await run.apply("acceptance");
    const provider = await run.outputs("provider");
    const app = await run.outputs("consumer-app");
    const acceptance = await run.outputs("acceptance");
    // THEN the state is in S3 and nowhere on disk
    expect(stateKeys(emulator.endpoint)).toEqual(["privatelink/acceptance.tfstate", "privatelink/consumer-app.tfstate", "privatelink/provider.tfstate"]);
    expect(fs.existsSync(path.join(workDir, "terraform-state"))).toBe(false);
    // AND the values crossed through it
    expect(app.service_name).toBe(provider.service_name);
    expect(acceptance.accepted_endpoints.app).toBe(app.endpoint_id);
    await run.refresh("consumer-app");
    expect((await run.outputs("consumer-app")).endpoint_state).toBe("available");
  });

  test("the second plan is empty and destroy leaves nothing", async () => {
    for (const stack of ["provider", "consumer-app", "acceptance"]) await run.refresh(stack);
    for (const stack of ["provider", "consumer-app", "acceptance"]) expect({ stack, empty: (await run.planIsEmpty(stack)).empty }).toEqual({ stack, empty: true });
    for (const stack of ["acceptance", "consumer-app", "provider"]) await run.destroy(stack);
    for (const stack of ["acceptance", "consumer-app", "provider"]) expect({ stack, left: await run.resources(stack) }).toEqual({ stack, left: [] });
  });
});
