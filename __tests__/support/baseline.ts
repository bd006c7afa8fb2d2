import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { restoreEmulator, snapshotEmulator, startEmulator } from "../../sandbox/emulator";
import { SandboxRun, sandboxConfigJson } from "../../sandbox/flow";
import { requireTerraform } from "../../ops/terraform";
import { SandboxFixture, startSandbox, stopSandbox } from "./sandbox";

/**
 * One applied setup shared by the emulator flows that start from it: the sandbox config with
 * local state, every stack applied, accepted and verified, every plain plan empty. It is built
 * once per test run and copied for each flow: the emulator's whole state (a snapshot loaded into
 * the flow's own emulator) and the work folder (config, cdktf.out, state, stack record). Each
 * flow then changes its own copy, so flows still run side by side and never see each other.
 *
 * The first flow to claim it builds it by applying every stack, shares it, and goes on with its
 * own scenario on it; the others wait for it. The run's folder is named by the global setup.
 */
const BASELINE_ENV = "PRIVATELINK_TEST_BASELINE";

function baselineDir(): string {
  if (!process.env[BASELINE_ENV]) {
    // Without the global setup (a file run outside jest's config) the process keeps its own.
    const own = fs.mkdtempSync(path.join(os.tmpdir(), "pl-baseline-"));
    process.env[BASELINE_ENV] = own;
    process.once("exit", () => fs.rmSync(own, { recursive: true, force: true }));
  }
  return process.env[BASELINE_ENV]!;
}

const marker = (name: "claimed" | "ready" | "failed") => path.join(baselineDir(), name);

/** Claims the building of the baseline; true for the one caller that gets it. */
function claimBaseline(): boolean {
  try {
    fs.mkdirSync(marker("claimed"));
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw e;
  }
}

/** Publishes a fixture's current state as the baseline (call it while nothing runs against the emulator). */
async function publishBaseline(fixture: SandboxFixture): Promise<void> {
  const dir = baselineDir();
  await snapshotEmulator(fixture.emulator.endpoint, path.join(dir, "emulator.pickle"));
  fs.cpSync(fixture.workDir, path.join(dir, "work"), { recursive: true, verbatimSymlinks: true });
  fs.writeFileSync(marker("ready"), "");
}

/** Tells the waiting flows that the claimed baseline will not come, and why. */
function abandonBaseline(reason: string): void {
  if (!fs.existsSync(marker("ready"))) fs.writeFileSync(marker("failed"), reason);
}

async function waitForBaseline(timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (fs.existsSync(marker("ready"))) return;
    if (fs.existsSync(marker("failed"))) throw new Error(`the applied baseline was not built: ${fs.readFileSync(marker("failed"), "utf8")}`);
    if (Date.now() > deadline) throw new Error(`the applied baseline was not ready within ${timeoutMs / 1000}s (${baselineDir()})`);
    await new Promise((r) => setTimeout(r, 2000));
  }
}

/**
 * For a flow that starts from the applied baseline: its own emulator holding the baseline's
 * state and its own copy of the work folder, re-synthesized for that emulator (the provider
 * blocks name its endpoint; the state holds nothing that does). Everything is removed after the
 * file's tests.
 */
export function useBaselineSandbox(): SandboxFixture {
  const fixture = {} as SandboxFixture;
  beforeAll(async () => {
    requireTerraform();
    if (claimBaseline()) {
      // Nobody has built it: this flow builds it by applying every stack, and shares it.
      Object.assign(fixture, await buildBaseline());
      return;
    }
    await waitForBaseline(45 * 60_000);
    fixture.emulator = await startEmulator();
    await restoreEmulator(fixture.emulator.endpoint, path.join(baselineDir(), "emulator.pickle"));
    fixture.workDir = fs.mkdtempSync(path.join(os.tmpdir(), "pl-sandbox-baseline-"));
    fs.cpSync(path.join(baselineDir(), "work"), fixture.workDir, {
      recursive: true,
      verbatimSymlinks: true,
    });
    fixture.run = new SandboxRun(fixture.workDir, sandboxConfigJson(fixture.emulator.endpoint, "local"));
  }, 50 * 60_000);
  afterAll(() => stopSandbox(fixture));
  return fixture;
}

async function buildBaseline(): Promise<SandboxFixture> {
  const fixture = await startSandbox("local");
  try {
    await fixture.run.applyAll();
    await publishBaseline(fixture);
    return fixture;
  } catch (e) {
    abandonBaseline((e as Error).message);
    await stopSandbox(fixture);
    throw e;
  }
}
