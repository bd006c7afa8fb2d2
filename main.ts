import * as fs from "fs";
import * as path from "path";
import { App } from "cdktf";
import { buildStacks } from "./stacks/app";
import { ConfigError, loadConfig, resolveConfigPath } from "./stacks/config";
import { PropsError } from "./modules/validation";

// Load and check the config, build the stacks, synthesize. Synthesis goes to a fresh folder
// that replaces the output folder only when complete: bad input leaves cdktf.out as it was.
const outdir = path.resolve(process.env.CDKTF_OUTDIR ?? "cdktf.out");
const staging = `${outdir}.partial-${process.pid}`;
try {
  const config = loadConfig(resolveConfigPath());
  const app = new App({ outdir: staging });
  buildStacks(app, config);
  app.synth();
  fs.rmSync(outdir, { recursive: true, force: true });
  fs.renameSync(staging, outdir);
} catch (e) {
  fs.rmSync(staging, { recursive: true, force: true });
  if (e instanceof ConfigError || e instanceof PropsError) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
}
