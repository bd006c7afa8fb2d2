import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Emulator, seedEmulator, startEmulator } from "../../sandbox/emulator";
import { SANDBOX_BUCKET, SANDBOX_ZONE, SandboxRun, sandboxConfigJson } from "../../sandbox/flow";
import { requireTerraform } from "../../sandbox/terraform";

export interface SandboxFixture {
  emulator: Emulator;
  run: SandboxRun;
  workDir: string;
}

/**
 * For one test file: an emulator on a free loopback port with the sandbox's zone (and bucket),
 * the sandbox config synthesized into a temporary folder; all of it removed after the tests.
 */
export function useSandbox(backend: "local" | "s3"): SandboxFixture {
  const fixture = {} as SandboxFixture;
  beforeAll(async () => {
    requireTerraform();
    fixture.emulator = await startEmulator();
    seedEmulator(fixture.emulator.endpoint, { region: "us-west-2", zoneName: SANDBOX_ZONE, bucket: backend === "s3" ? SANDBOX_BUCKET : undefined });
    fixture.workDir = fs.mkdtempSync(path.join(os.tmpdir(), `pl-sandbox-${backend}-`));
    fixture.run = new SandboxRun(fixture.workDir, sandboxConfigJson(fixture.emulator.endpoint, backend));
  });
  afterAll(async () => {
    await fixture.emulator?.stop();
    if (fixture.workDir) fs.rmSync(fixture.workDir, { recursive: true, force: true });
  });
  return fixture;
}
