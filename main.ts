import * as path from "path";
import { loadConfig } from "./config/load";
import { shownPath } from "./config/shown-path";
import { isSynthProblem, synthPaths, synthesize } from "./synth/synth";
import { installFastSynth } from "./synth/fast";
import { formatFindings } from "./rules";

// Load and check the config, then synthesize every stack. `--hcl` (or cdktf synth --hcl) writes HCL.
const hcl = process.argv.includes("--hcl") || process.env.SYNTH_HCL_OUTPUT === "true";
delete process.env.SYNTH_HCL_OUTPUT; // synthesize() sets it for the HCL pass only
// Only the cdktf CLI sets this: it runs the app, then cleans up after it (see keepVanishedStackFolders).
const underCdktfCli = process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS !== undefined;
// The app's entry is the one place that installs the synth's speed layer (PRIVATELINK_FAST_SYNTH=0: plain cdktf).
installFastSynth();
try {
  const paths = synthPaths();
  const { findings, retired, recordChanged, order } = synthesize(loadConfig(paths.configFile), paths.outdir, {
    hcl,
    recordFile: paths.recordFile,
    configFile: paths.configFile,
    lockFile: paths.lockFile,
    keepVanishedStackFolders: underCdktfCli,
  });
  // Warnings and suppressed findings do not stop synth: stdout, so the cdktf CLI does not print them as errors.
  if (findings.length > 0) console.log(formatFindings(findings));
  for (const r of retired) {
    console.log(`retire stack ${r.name} (${shownPath(path.join(paths.outdir, r.workingDirectory))}): terraform apply there ${r.action}. Once applied: npm run forget -- ${r.name}`);
  }
  if (paths.recordFile && recordChanged) console.log(`stack record written: ${shownPath(paths.recordFile)} (commit it with the config)`);
  const live = order.apply.map((s) => s.name);
  console.log(
    `synthesized ${live.length} stack(s)${retired.length > 0 ? ` and ${retired.length} retire stack(s)` : ""} from ${shownPath(paths.configFile)} into ${shownPath(paths.outdir)} ` +
      `(${hcl ? "HCL" : "Terraform JSON"}; order in ${shownPath(path.join(paths.outdir, "deploy-order.json"))}): ${live.join(", ")}`,
  );
  if (!underCdktfCli) console.log("next: npm run plan (what applying would change), then npm run deploy");
} catch (e) {
  if (isSynthProblem(e)) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
}
