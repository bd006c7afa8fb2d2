/** What `npm run plan`, `npm run deploy` and `npm run destroy` share: the synth they start with and how they exit. */
import { formatFindings } from "../rules";
import { loadConfig } from "../config/load";
import { SynthPaths, isSynthProblem, synthesize } from "../synth/synth";
import { UsageError } from "./errors";
import { DEFAULT_PARALLELISM } from "./scheduler";

/** One progress line of a stack: its name, the seconds it took (when it ended), what happened. */
export function stackLine(stack: string, seconds: number | undefined, text: string): string {
  return `  ${stack.padEnd(28)} ${(seconds === undefined ? "" : `${seconds.toFixed(1)}s`).padStart(7)}  ${text}`;
}

/** `--parallelism N`: how many stacks terraform runs in at once. */
export function parallelismOption(value: string | undefined): number {
  if (value === undefined) return DEFAULT_PARALLELISM;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1) throw new UsageError(`--parallelism: received "${value}"; expected a whole number of at least 1, such as ${DEFAULT_PARALLELISM}`);
  return n;
}

/** Synthesizes the config as `npm run synth` does, printing the rule findings and one line per retire stack. */
export function synthesizeFirst(paths: SynthPaths): void {
  const { findings, retired } = synthesize(loadConfig(paths.configFile), paths.outdir, { recordFile: paths.recordFile, configFile: paths.configFile, lockFile: paths.lockFile });
  if (findings.length > 0) console.error(formatFindings(findings));
  for (const r of retired) console.log(`retire stack ${r.name}: terraform apply there ${r.action}`);
}

/** Runs a command's main and exits with its code; a bad command line, config or rule error prints its message alone. */
export function runCommand(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (e) => {
      // parseArgs reports an unknown or malformed option as a TypeError with an ERR_PARSE_ARGS_* code.
      const badOption = e instanceof TypeError && String((e as NodeJS.ErrnoException).code).startsWith("ERR_PARSE_ARGS_");
      const known = badOption || e instanceof UsageError || isSynthProblem(e);
      console.error(known ? e.message : e instanceof Error ? (e.stack ?? e.message) : e);
      process.exit(1);
    },
  );
}

