import * as fs from "fs";
import * as path from "path";
import { App } from "cdktf";
import { Finding, Suppression, blockingFindings, checkSynthesized, formatFindings } from "../rules";
import { buildStacks } from "./app";
import { consumerStackName } from "./consumer-stack";
import type { PrivateLinkConfig } from "./config";

export interface SynthResult {
  readonly order: DeployOrder;
  /** Security rule findings: warnings and suppressed ones (errors stop synthesis). */
  readonly findings: Finding[];
}

export interface SynthOptions {
  /** Also write HCL, in stacks-hcl/<stack>/cdk.tf beside stacks/<stack>/cdk.tf.json. */
  readonly hcl?: boolean;
}

/** Raised when security rules find errors that no suppression covers; cdktf.out is left as it was. */
export class RulesError extends Error {
  constructor(readonly findings: readonly Finding[]) {
    super(`${formatFindings(findings)}\nSynthesis stopped: fix the errors above or suppress them in the config with a reason ("suppressions").`);
    this.name = "RulesError";
  }
}

/** The config's suppressions, plus the ones its own explicit allowances stand for. */
export function suppressionsOf(config: PrivateLinkConfig): Suppression[] {
  const explicit = config.consumers
    .filter((c) => c.allowFrom.allowAnyAddress)
    .map((c) => ({ id: "PL-EP2", stack: consumerStackName(c.name), reason: `consumers: ${c.name}.allowFrom.allowAnyAddress is true` }));
  return [...config.suppressions, ...explicit];
}

/** Runs the security rules on a synthesized folder. */
export function checkOutput(outdir: string, config: PrivateLinkConfig): Finding[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"));
  const stacks = Object.fromEntries(
    Object.entries<any>(manifest.stacks).map(([name, s]) => [name, JSON.parse(fs.readFileSync(path.join(outdir, s.synthesizedStackPath), "utf8"))]),
  );
  return checkSynthesized(stacks, { suppressions: suppressionsOf(config) });
}

export interface DeployOrder {
  /** Stacks in apply order; `wave` groups stacks that may run in parallel. */
  readonly apply: { readonly name: string; readonly wave: number; readonly dependsOn: string[]; readonly workingDirectory: string }[];
  /** Stack names in destroy order (apply order reversed). */
  readonly destroy: string[];
}

/** Apply order from cdktf's manifest: waves of stacks whose dependencies are all in earlier waves. */
export function deployOrder(manifest: { stacks: Record<string, { dependencies: string[]; workingDirectory: string }> }): DeployOrder {
  const stacks = manifest.stacks;
  const wave = new Map<string, number>();
  const waveOf = (name: string, seen: string[] = []): number => {
    if (seen.includes(name)) throw new Error(`dependency cycle: ${[...seen, name].join(" -> ")}`);
    if (!wave.has(name)) wave.set(name, Math.max(-1, ...stacks[name].dependencies.map((d) => waveOf(d, [...seen, name]))) + 1);
    return wave.get(name)!;
  };
  const apply = Object.keys(stacks)
    .map((name) => ({ name, wave: waveOf(name), dependsOn: [...stacks[name].dependencies].sort(), workingDirectory: stacks[name].workingDirectory }))
    .sort((a, b) => a.wave - b.wave || a.name.localeCompare(b.name));
  return { apply, destroy: apply.map((s) => s.name).reverse() };
}

/**
 * What cdktf 0.21 renders as HCL that Terraform refuses, made valid: lifecycle pre/postconditions
 * added by override come out as a list attribute (`postcondition = [{ ... }]`) where Terraform
 * wants one block per condition, and `replace_triggered_by` references come out quoted.
 */
export function validHcl(hcl: string): string {
  const triggers = hcl.replace(/^(\s*replace_triggered_by = \[\n)((?:\s*"[\w.-]+",?\n)+)/gm, (_all, head: string, items: string) => head + items.replace(/"([\w.-]+)"/g, "$1"));
  return triggers.replace(/^(\s*)(precondition|postcondition) = \[\n((?:\{\n[\s\S]*?\n\},\n)+)\]/gm, (_all, indent: string, kind: string, items: string) =>
    items
      .split(/\n\},\n/)
      .filter((item) => item.trim().length > 0)
      .map((item) => `${indent}${kind} {\n${item.replace(/^\{\n/, "")}\n${indent}}`)
      .join("\n"),
  );
}

function synthInto(config: PrivateLinkConfig, outdir: string, hclOutput: boolean): void {
  // cdktf 0.21 stacks read SYNTH_HCL_OUTPUT from the environment, not from the App's option.
  const saved = process.env.SYNTH_HCL_OUTPUT;
  process.env.SYNTH_HCL_OUTPUT = String(hclOutput);
  try {
    const app = new App({ outdir, hclOutput });
    buildStacks(app, config);
    app.synth();
  } finally {
    if (saved === undefined) delete process.env.SYNTH_HCL_OUTPUT;
    else process.env.SYNTH_HCL_OUTPUT = saved;
  }
}

/**
 * Synthesizes a checked config into `outdir`. Everything is written to a staging folder first
 * and replaces `outdir` only when complete, so a failure leaves the previous output as it was.
 */
export function synthesize(config: PrivateLinkConfig, outdir: string, options: SynthOptions = {}): SynthResult {
  const staging = `${outdir}.partial-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  try {
    synthInto(config, staging, false);
    const findings = checkOutput(staging, config);
    if (blockingFindings(findings).length > 0) throw new RulesError(findings);
    if (options.hcl) {
      const hclDir = `${staging}.hcl`;
      synthInto(config, hclDir, true);
      for (const stack of fs.readdirSync(path.join(hclDir, "stacks"))) {
        const file = path.join(hclDir, "stacks", stack, "cdk.tf");
        fs.writeFileSync(file, validHcl(fs.readFileSync(file, "utf8")));
      }
      fs.renameSync(path.join(hclDir, "stacks"), path.join(staging, "stacks-hcl"));
      fs.rmSync(hclDir, { recursive: true, force: true });
    }
    const order = deployOrder(JSON.parse(fs.readFileSync(path.join(staging, "manifest.json"), "utf8")));
    fs.writeFileSync(path.join(staging, "deploy-order.json"), `${JSON.stringify(order, null, 2)}\n`);
    fs.rmSync(outdir, { recursive: true, force: true });
    fs.renameSync(staging, outdir);
    return { order, findings };
  } catch (e) {
    fs.rmSync(staging, { recursive: true, force: true });
    fs.rmSync(`${staging}.hcl`, { recursive: true, force: true });
    throw e;
  }
}
