import * as fs from "fs";
import * as path from "path";
import { App } from "cdktf";
import { CheckOptions, Finding, Suppression, blockingFindings, checkSynthesized, formatFindings } from "../rules";
import { resourceOrigins } from "../stacks/config-origin";
import { buildRetireStacks, buildStacks, retireAction } from "../stacks/app";
import { consumerStackName } from "../stacks/consumer-stack";
import { PROVIDER_STACK } from "../stacks/provider-stack";
import { ConfigError, EXAMPLE_CONFIG_PATH, resolveConfigPath } from "../config/load";
import { PrivateLinkConfig, SANDBOX_ACCOUNT_ID } from "../config/schema";
import { formatHcl } from "./hcl-format";
import { PipelineError, githubActionsFiles } from "./pipelines/github-actions";
import { AwsAccessError, accessPipelineFiles, accountHints, awsAccessPipelineFiles, readAccess } from "./pipelines/aws-access";
import { HcpTerraformError, hcpTerraformFiles, hcpTerraformIdentity, stateReads } from "./pipelines/hcp-terraform";
import { SynthesizedStack, stackCollector, writeOutput } from "./stack-output";
import { compareNames, EMPTY_RECORD, StackRecord, StackRecordError, nextRecord, readRecord, recordPathFor, writeRecord } from "./stack-record";
import { PropsError } from "../modules/validation";

/** Where one run of the app reads and writes. */
export interface SynthPaths {
  readonly configFile: string;
  /** The stack record beside the config; none for the built-in example, which never changes. */
  readonly recordFile?: string;
  /** `.terraform.lock.hcl` beside the config (in the working folder for the built-in example). */
  readonly lockFile: string;
  /** $CDKTF_OUTDIR, else cdktf.out. */
  readonly outdir: string;
}

export function synthPaths(cwd = process.cwd(), env = process.env): SynthPaths {
  const configFile = resolveConfigPath(cwd, env);
  const example = configFile === EXAMPLE_CONFIG_PATH;
  return {
    configFile,
    recordFile: example ? undefined : recordPathFor(configFile),
    lockFile: path.join(example ? cwd : path.dirname(configFile), ".terraform.lock.hcl"),
    outdir: path.resolve(cwd, env.CDKTF_OUTDIR ?? "cdktf.out"),
  };
}

/** A stack that left the config, synthesized to remove what it created. */
export interface RetiredStack {
  readonly name: string;
  /** Relative to the output folder, like the manifest's. */
  readonly workingDirectory: string;
  /** What `terraform apply` in its folder does. */
  readonly action: string;
}

export interface SynthResult {
  readonly order: DeployOrder;
  /** Security rule findings: warnings and suppressed ones (errors stop synthesis). */
  readonly findings: Finding[];
  /** Retire stacks, in the order of deploy-order.json's "retire". */
  readonly retired: RetiredStack[];
  /** Whether the stack record file was created or changed. */
  readonly recordChanged: boolean;
}

export interface SynthOptions {
  /** Write HCL (stacks/<stack>/cdk.tf) instead of Terraform JSON (cdk.tf.json), as `cdktf synth --hcl` does. */
  readonly hcl?: boolean;
  /**
   * Leave an empty folder for each stack of the previous output that is gone (a forgotten retire
   * stack): the cdktf CLI deletes those itself after running the app, and fails on a missing one.
   * @default false
   */
  readonly keepVanishedStackFolders?: boolean;
  /**
   * The stack record of this config (see stack-record.ts): read to retire stacks that left the
   * config, and rewritten once the output is complete. @default - no record: nothing is retired
   */
  readonly recordFile?: string;
  /**
   * The config file, named in the pipelines' workflows relative to the project folder (the one
   * that holds the output folder). @default privatelink.config.json there
   */
  readonly configFile?: string;
  /**
   * A lock file for stacks that have none yet in the previous output (each stack's own
   * .terraform.lock.hcl from the previous output is always kept). @default - none
   */
  readonly lockFile?: string;
}

/** Raised when security rules find errors that no suppression covers; cdktf.out is left as it was. */
export class RulesError extends Error {
  constructor(readonly findings: readonly Finding[]) {
    super(`${formatFindings(findings)}\nSynthesis stopped: fix the errors above or suppress them in the config with a reason ("suppressions").`);
    this.name = "RulesError";
  }
}

/**
 * A problem with the config or what it makes (a config, prop, rule, stack record or pipeline
 * error): the commands that synthesize print its message alone, without a stack trace.
 */
export function isSynthProblem(e: unknown): e is Error {
  return e instanceof ConfigError || e instanceof PropsError || e instanceof RulesError || e instanceof StackRecordError || e instanceof PipelineError || e instanceof AwsAccessError || e instanceof HcpTerraformError;
}

/** The config's suppressions, plus the ones its own explicit allowances (and the sandbox) stand for. */
export function suppressionsOf(config: PrivateLinkConfig): Suppression[] {
  const explicit: Suppression[] = config.consumers
    .filter((c) => c.allowFrom.allowAnyAddress)
    .map((c) => ({ id: "PL-EP2", stack: consumerStackName(c.name), reason: `consumers: ${c.name}.allowFrom.allowAnyAddress is true` }));
  const withoutGroup = config.service.loadBalancer.withoutSecurityGroup;
  if (withoutGroup) explicit.push({ id: "PL-NLB4", stack: PROVIDER_STACK, reason: `service.loadBalancer.withoutSecurityGroup: ${withoutGroup.reason}` });
  const unlogged = [{ at: "service.network", stack: PROVIDER_STACK, network: config.service.network }, ...config.consumers.map((c, i) => ({ at: `consumers[${i}].network`, stack: consumerStackName(c.name), network: c.network }))];
  for (const { at, stack, network } of unlogged) {
    const without = network.create?.withoutFlowLogs;
    if (without) explicit.push({ id: "PL-VPC1", stack, config: `${at}.create`, reason: `${at}.create.withoutFlowLogs: ${without.reason}` });
  }
  if (config.sandbox && config.service.loadBalancer.deletionProtection !== true) {
    explicit.push({ id: "PL-NLB2", stack: PROVIDER_STACK, reason: "sandbox: everything it builds on the emulator is destroyed after the run" });
  }
  return [...config.suppressions, ...explicit];
}

/** Runs the security rules on synthesized stacks (name -> Terraform JSON); `origins` names the config path behind each resource. */
export function checkStacks(stacks: Record<string, unknown>, config: PrivateLinkConfig, origins: CheckOptions["origins"] = {}): Finding[] {
  return checkSynthesized(stacks, { suppressions: suppressionsOf(config), origins });
}

export interface DeployOrder {
  /** Stacks in apply order; `wave` groups stacks that may run in parallel. */
  readonly apply: { readonly name: string; readonly wave: number; readonly dependsOn: string[]; readonly workingDirectory: string }[];
  /** Stacks that left the config: apply each (in any order) after the apply waves. */
  readonly retire: { readonly name: string; readonly workingDirectory: string }[];
  /** Stack names in destroy order: retire stacks first, then the apply order reversed. */
  readonly destroy: string[];
}

/**
 * Apply order from cdktf's manifest: waves of stacks whose dependencies are all in earlier
 * waves; the retire stacks apart, after them.
 */
export function deployOrder(manifest: { stacks: Record<string, { dependencies: string[]; workingDirectory: string }> }, retireNames: readonly string[] = []): DeployOrder {
  const retire = Object.keys(manifest.stacks)
    .filter((name) => retireNames.includes(name))
    .sort()
    .map((name) => ({ name, workingDirectory: manifest.stacks[name].workingDirectory }));
  const stacks = Object.fromEntries(Object.entries(manifest.stacks).filter(([name]) => !retireNames.includes(name)));
  const wave = new Map<string, number>();
  const waveOf = (name: string, seen: string[] = []): number => {
    if (seen.includes(name)) throw new Error(`dependency cycle: ${[...seen, name].join(" -> ")}`);
    if (!wave.has(name)) wave.set(name, Math.max(-1, ...stacks[name].dependencies.map((d) => waveOf(d, [...seen, name]))) + 1);
    return wave.get(name)!;
  };
  const apply = Object.keys(stacks)
    .map((name) => ({ name, wave: waveOf(name), dependsOn: [...stacks[name].dependencies].sort(), workingDirectory: stacks[name].workingDirectory }))
    .sort((a, b) => a.wave - b.wave || compareNames(a.name, b.name));
  return { apply, retire, destroy: [...retire.map((s) => s.name), ...apply.map((s) => s.name).reverse()] };
}

/**
 * What cdktf 0.21 renders as HCL that Terraform refuses or warns of, made valid: lifecycle
 * pre/postconditions added by override come out as a list attribute (`postcondition = [{ ... }]`)
 * where Terraform wants one block per condition, and the references in `replace_triggered_by`
 * (refused), `ignore_changes` and `depends_on` (deprecated since Terraform 0.12) come out quoted.
 */
export function validHcl(hcl: string): string {
  const triggers = hcl.replace(/^(\s*(?:replace_triggered_by|ignore_changes|depends_on) = \[\n)((?:\s*"[\w.[\]-]+",?\n)+)/gm, (_all, head: string, items: string) => head + items.replace(/"([\w.[\]-]+)"/g, "$1"));
  return triggers.replace(/^(\s*)(precondition|postcondition) = \[\n((?:\{\n[\s\S]*?\n\},\n)+)\]/gm, (_all, indent: string, kind: string, items: string) =>
    items
      .split(/\n\},\n/)
      .filter((item) => item.trim().length > 0)
      .map((item) => `${indent}${kind} {\n${item.replace(/^\{\n/, "")}\n${indent}}`)
      .join("\n"),
  );
}

interface Synthesized {
  /** cdktf's manifest.json. */
  readonly manifest: string;
  /** Stack name -> its files and (for JSON output) its Terraform JSON. */
  readonly stacks: Map<string, SynthesizedStack>;
  readonly retired: RetiredStack[];
  /** Retire stack name -> addresses it forgets. */
  readonly forgotten: Record<string, readonly string[]>;
  /** Stack name -> resource address -> the config path it was built from. */
  readonly origins: NonNullable<CheckOptions["origins"]>;
  readonly record: StackRecord;
}

/** HCL `removed` blocks (cdktf 0.21 leaves stack-level overrides out of its HCL output). */
function removedBlocks(addresses: readonly string[]): string {
  return addresses.map((from) => `\nremoved {\n  from = ${from}\n  lifecycle {\n    destroy = false\n  }\n}\n`).join("");
}

/** Runs `fn` with cdktf's stacks synthesizing HCL (or JSON): cdktf 0.21 stacks read SYNTH_HCL_OUTPUT from the environment, not from the App's option. */
export function withHclOutput<T>(hclOutput: boolean, fn: () => T): T {
  const saved = process.env.SYNTH_HCL_OUTPUT;
  process.env.SYNTH_HCL_OUTPUT = String(hclOutput);
  try {
    return fn();
  } finally {
    if (saved === undefined) delete process.env.SYNTH_HCL_OUTPUT;
    else process.env.SYNTH_HCL_OUTPUT = saved;
  }
}

function synthInto(config: PrivateLinkConfig, outdir: string, hclOutput: boolean, record: StackRecord): Synthesized {
  return withHclOutput(hclOutput, () => {
    // cdktf's own validations only check that each stack has its provider (ours always do) and,
    // for moved blocks, run `terraform version` once per stack: some 70 ms each, on every synth.
    // The README asks for Terraform >= 1.10; the runner checks for terraform before using it.
    // `outdir` is a scratch folder: the stacks' files come back from the collector (in memory with the speed layer).
    const app = new App({ outdir, hclOutput, skipValidation: true });
    const live = buildStacks(app, config);
    const retire = buildRetireStacks(app, config, record, live);
    const stacks = stackCollector()(app, outdir);
    const liveNames = new Set(live.map((s) => s.node.id));
    return {
      manifest: fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"),
      stacks,
      retired: retire.map((s) => ({ name: s.node.id, workingDirectory: path.posix.join("stacks", s.node.id), action: retireAction(s, liveNames) })),
      forgotten: Object.fromEntries(retire.map((s) => [s.node.id, s.forgotten])),
      origins: Object.fromEntries(live.map((s) => [s.node.id, resourceOrigins(s)])),
      record: nextRecord(
        record,
        live.map((s) => ({ name: s.node.id, accounts: s.accounts, forget: s.forgetOnRetire() })),
      ),
    };
  });
}

/**
 * Synthesizes a checked config into `outdir`. The whole output is built and checked in memory
 * first and written only when complete, so a failure leaves the previous output (and the stack
 * record) as they were. Each stack keeps its provider lock file from the previous output, or gets
 * the project's, so pipelines install the same provider versions run after run.
 */
export function synthesize(config: PrivateLinkConfig, outdir: string, options: SynthOptions = {}): SynthResult {
  // cdktf's App writes its manifest (and wants its folders) here; the stacks stay in memory.
  const scratch = `${outdir}.partial-${process.pid}`;
  fs.rmSync(scratch, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(outdir), { recursive: true });
  try {
    const record = options.recordFile ? readRecord(options.recordFile) : EMPTY_RECORD;
    // The rules always read the Terraform JSON; with hcl, the HCL synthesis of the same stacks is the output.
    const synthesized = synthInto(config, scratch, false, record);
    const json = Object.fromEntries([...synthesized.stacks].map(([name, s]) => [name, s.json]));
    const findings = checkStacks(json, config, synthesized.origins);
    if (blockingFindings(findings).length > 0) throw new RulesError(findings);
    const output = options.hcl ? synthInto(config, scratch, true, record) : synthesized;
    // HCL as cdktf writes it, made valid, with the removed blocks cdktf leaves out, laid out as
    // terraform fmt lays it out.
    const stackFiles = (name: string, files: Readonly<Record<string, string>>) =>
      options.hcl ? { ...files, "cdk.tf": formatHcl(validHcl(files["cdk.tf"]) + removedBlocks(synthesized.forgotten[name] ?? [])) } : files;
    const retireNames = synthesized.retired.map((r) => r.name);
    const order = deployOrder(JSON.parse(output.manifest), retireNames);
    const pipelines = pipelineFiles(config, order, synthesized.record, outdir, options, json);
    writeOutput(
      outdir,
      { manifest: output.manifest, deployOrder: `${JSON.stringify(order, null, 2)}\n`, stacks: new Map([...output.stacks].map(([name, s]) => [name, stackFiles(name, s.files)])), pipelines },
      { lockFile: options.lockFile, keepVanishedStackFolders: options.keepVanishedStackFolders },
    );
    const recordChanged = options.recordFile ? writeRecord(options.recordFile, synthesized.record) : false;
    return { order, findings, retired: synthesized.retired, recordChanged };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * What the config's pipelines need, by path under cdktf.out/pipelines/ (throws PipelineError).
 * Files are named relative to the project folder, the one that holds the output folder: there
 * the pipelines run npm run synth.
 */
function pipelineFiles(config: PrivateLinkConfig, order: DeployOrder, record: StackRecord, outdir: string, options: SynthOptions, stacks: Readonly<Record<string, Record<string, unknown> | undefined>>): Record<string, string> {
  const files: Record<string, string> = {};
  const project = path.dirname(outdir);
  const relative = (file: string | undefined) => (file === undefined ? undefined : path.relative(project, file).split(path.sep).join("/"));
  const accounts = Object.fromEntries(Object.entries(record.stacks).map(([name, s]) => [name, s.accounts.default]));
  const github = config.pipelines?.githubActions;
  if (github) {
    Object.assign(files, githubActionsFiles({ config, order, accounts, configFile: relative(options.configFile), recordFile: relative(options.recordFile) }));
    // The access the workflow's roles need, one Terraform folder per account (aws-access/<account-id>/).
    const synthesized = Object.fromEntries(Object.entries(stacks).flatMap(([name, json]) => (json ? [[name, json]] : [])));
    Object.assign(files, awsAccessPipelineFiles({ stacks: synthesized, retire: order.retire.map((r) => r.name) }, { ...github, accounts: accountHints(accounts, config.sandbox ? SANDBOX_ACCOUNT_ID : undefined) }));
  }
  const hcp = config.pipelines?.hcpTerraform;
  if (hcp) {
    const reads = Object.fromEntries(Object.entries(stacks).map(([name, json]) => [name, json ? stateReads(json) : []]));
    Object.assign(files, hcpTerraformFiles({ config, order, accounts, reads, recordFile: relative(options.recordFile) }));
    // The access the workspaces' dynamic credentials need, one Terraform folder per account (aws-access/<account-id>/).
    const synthesized = Object.fromEntries(Object.entries(stacks).flatMap(([name, json]) => (json ? [[name, json]] : [])));
    const identity = hcpTerraformIdentity(config, [...order.apply.map((s) => s.name), ...order.retire.map((s) => s.name)]);
    Object.assign(files, accessPipelineFiles(readAccess({ stacks: synthesized, retire: order.retire.map((r) => r.name) }, identity, { accounts: accountHints(accounts) })));
  }
  return files;
}
