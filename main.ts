import * as path from "path";
import { ConfigError, loadConfig, resolveConfigPath } from "./stacks/config";
import { RulesError, synthesize } from "./stacks/synth";
import { formatFindings } from "./rules";
import { PropsError } from "./modules/validation";

// Load and check the config, then synthesize every stack. `--hcl` (or cdktf synth --hcl) adds HCL.
const hcl = process.argv.includes("--hcl") || process.env.SYNTH_HCL_OUTPUT === "true";
delete process.env.SYNTH_HCL_OUTPUT; // the JSON output is always written; HCL goes beside it
try {
  const { findings } = synthesize(loadConfig(resolveConfigPath()), path.resolve(process.env.CDKTF_OUTDIR ?? "cdktf.out"), { hcl });
  if (findings.length > 0) console.error(formatFindings(findings));
} catch (e) {
  if (e instanceof ConfigError || e instanceof PropsError || e instanceof RulesError) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
}
