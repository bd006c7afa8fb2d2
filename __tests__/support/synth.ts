import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App } from "cdktf";
import { buildStacks } from "../../stacks/app";
import { EXAMPLE_CONFIG_PATH, parseConfig } from "../../config/load";
import { PrivateLinkConfig } from "../../config/schema";

/**
 * Every file under a folder, by path relative to it, with its text; each folder too, as
 * "<path>/" with empty text, so an empty folder shows.
 */
export function outputFiles(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) =>
    fs.readdirSync(d, { withFileTypes: true }).forEach((e) => {
      const full = path.join(d, e.name);
      if (e.isDirectory()) {
        out[`${path.relative(dir, full)}/`] = "";
        walk(full);
      } else out[path.relative(dir, full)] = fs.readFileSync(full, "utf8");
    });
  walk(dir);
  return out;
}

/** A maker of fresh temporary folders (named after `prefix`), all removed after the test file. */
export function tempDirs(prefix: string): () => string {
  const made: string[] = [];
  afterAll(() => made.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  return () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    made.push(d);
    return d;
  };
}

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
