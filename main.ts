import * as path from "path";
import { ConfigError, loadConfig } from "./stacks/config";
import { StackRecordError } from "./stacks/stack-record";
import { RulesError, synthPaths, synthesize } from "./stacks/synth";
import { formatFindings } from "./rules";
import { PropsError } from "./modules/validation";

// Load and check the config, then synthesize every stack. `--hcl` (or cdktf synth --hcl) adds HCL.
const hcl = process.argv.includes("--hcl") || process.env.SYNTH_HCL_OUTPUT === "true";
delete process.env.SYNTH_HCL_OUTPUT; // the JSON output is always written; HCL goes beside it
try {
  const paths = synthPaths();
  const { findings, retired, recordChanged } = synthesize(loadConfig(paths.configFile), paths.outdir, { hcl, recordFile: paths.recordFile, lockFile: paths.lockFile });
  if (findings.length > 0) console.error(formatFindings(findings));
  const shown = (file: string) => path.relative(process.cwd(), file) || ".";
  for (const r of retired) {
    console.log(`retire stack ${r.name} (${shown(path.join(paths.outdir, r.workingDirectory))}): terraform apply there ${r.action}. Once applied: npm run forget -- ${r.name}`);
  }
  if (paths.recordFile && recordChanged) console.log(`stack record written: ${shown(paths.recordFile)} (commit it with the config)`);
} catch (e) {
  if (e instanceof ConfigError || e instanceof PropsError || e instanceof RulesError || e instanceof StackRecordError) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
}
