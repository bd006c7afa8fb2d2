import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Emulator, seedEmulator, startEmulator } from "../../sandbox/emulator";
import { SANDBOX_BUCKET, SANDBOX_ZONE, SandboxRun, sandboxConfigJson } from "../../sandbox/flow";
import { requireTerraform, terraformEnv } from "../../ops/terraform";
import { runChild } from "./app";

export interface SandboxFixture {
  emulator: Emulator;
  run: SandboxRun;
  workDir: string;
}

/**
 * For one test file: an emulator on a free loopback port with the sandbox's zone (and bucket),
 * the sandbox config synthesized into a temporary folder (with another flavour and a provider
 * pin when asked); all of it removed after the tests.
 */
/** How a sandbox differs from the sandbox config: another flavour, a provider pin, only some of the consumers. */
export interface SandboxOptions {
  readonly flavour?: string;
  readonly awsProviderVersion?: string;
  /** The consumers to keep, by name. @default both, app and reports */
  readonly consumers?: readonly string[];
}

export function useSandbox(backend: "local" | "s3", options: SandboxOptions = {}): SandboxFixture {
  const fixture = {} as SandboxFixture;
  beforeAll(async () => {
    Object.assign(fixture, await startSandbox(backend, options));
  });
  afterAll(() => stopSandbox(fixture));
  return fixture;
}

/** What useSandbox sets up, for a caller that starts and stops it itself. */
export async function startSandbox(backend: "local" | "s3", options: SandboxOptions = {}): Promise<SandboxFixture> {
  requireTerraform();
  const emulator = await startEmulator();
  seedEmulator(emulator.endpoint, { region: "us-west-2", zoneName: SANDBOX_ZONE, bucket: backend === "s3" ? SANDBOX_BUCKET : undefined });
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), `pl-sandbox-${backend}-`));
  const config = sandboxConfigJson(emulator.endpoint, backend);
  if (options.awsProviderVersion) config.terraform = { awsProviderVersion: options.awsProviderVersion };
  if (options.consumers) config.consumers = (config.consumers as { name: string }[]).filter((c) => options.consumers!.includes(c.name));
  return { emulator, workDir, run: new SandboxRun(workDir, config, options.flavour) };
}

/** Stops a sandbox's emulator and removes its work folder. */
export async function stopSandbox(fixture: Partial<SandboxFixture>): Promise<void> {
  await fixture.emulator?.stop();
  if (fixture.workDir) fs.rmSync(fixture.workDir, { recursive: true, force: true });
}

/**
 * Runs the cdktf CLI on a sandbox's config and output folder, as a user would: `cdktf deploy '*'`
 * and `cdktf destroy '*'` synthesize through main.ts, then drive terraform in every stack. The
 * provider lock step needs the public registry, so it is skipped (the CLI config installs the
 * provider from the mirror).
 */
export async function cdktf(fixture: SandboxFixture, args: string[]): Promise<{ code: number; output: string }> {
  const root = path.join(__dirname, "..", "..");
  const { code, output } = await runChild(path.join(root, "node_modules", ".bin", "cdktf"), [...args, "--output", fixture.run.outdir], {
    ...terraformEnv(),
    PRIVATELINK_CONFIG: path.join(fixture.workDir, "privatelink.config.json"),
    CI: "true",
  });
  return { code, output };
}

/**
 * Runs one of the project's npm scripts (`npm run deploy`, `npm run destroy`, ...) on a sandbox's
 * config and output folder, as an operator would: PRIVATELINK_CONFIG and CDKTF_OUTDIR name them.
 */
export async function npmRun(fixture: SandboxFixture, script: string, args: string[] = []): Promise<{ code: number; stdout: string; stderr: string }> {
  const { code, stdout, stderr } = await runChild("npm", ["run", "--silent", script, "--", ...args], {
    ...process.env,
    PRIVATELINK_CONFIG: path.join(fixture.workDir, "privatelink.config.json"),
    CDKTF_OUTDIR: fixture.run.outdir,
    CHECKPOINT_DISABLE: "1",
  });
  return { code, stdout, stderr };
}
