import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App } from "cdktf";
import { buildStacks } from "../../stacks/app";
import { EXAMPLE_CONFIG_PATH, PrivateLinkConfig, parseConfig } from "../../stacks/config";

/** The built-in example as raw JSON, for tests to vary. */
export function exampleJson(): Record<string, any> {
  return JSON.parse(fs.readFileSync(EXAMPLE_CONFIG_PATH, "utf8"));
}

export interface SynthResult {
  readonly outdir: string;
  readonly config: PrivateLinkConfig;
  /** Stack name -> synthesized Terraform JSON. */
  readonly stacks: Record<string, any>;
  readonly manifest: any;
}

// Temporary outdirs of the test file that imported this module, removed after its tests.
const temporary: string[] = [];
afterAll(() => temporary.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** Parses a config, builds its stacks and synthesizes them (to a temporary folder by default). */
export function synthConfig(json: unknown, outdir?: string): SynthResult {
  if (!outdir) {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), "pl-synth-"));
    temporary.push(outdir);
  }
  const config = parseConfig(json);
  const app = new App({ outdir });
  buildStacks(app, config);
  app.synth();
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"));
  const stacks = Object.fromEntries(
    Object.entries<any>(manifest.stacks).map(([name, s]) => [name, JSON.parse(fs.readFileSync(path.join(outdir, s.synthesizedStackPath), "utf8"))]),
  );
  return { outdir, config, stacks, manifest };
}
