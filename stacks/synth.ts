import * as fs from "fs";
import * as path from "path";
import { App } from "cdktf";
import { buildStacks } from "./app";
import type { PrivateLinkConfig } from "./config";

export interface SynthOptions {
  /** Also write HCL, in stacks-hcl/<stack>/cdk.tf beside stacks/<stack>/cdk.tf.json. */
  readonly hcl?: boolean;
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

function synthInto(config: PrivateLinkConfig, outdir: string, hclOutput: boolean): void {
  const app = new App({ outdir, hclOutput });
  buildStacks(app, config);
  app.synth();
}

/**
 * Synthesizes a checked config into `outdir`. Everything is written to a staging folder first
 * and replaces `outdir` only when complete, so a failure leaves the previous output as it was.
 */
export function synthesize(config: PrivateLinkConfig, outdir: string, options: SynthOptions = {}): DeployOrder {
  const staging = `${outdir}.partial-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  try {
    synthInto(config, staging, false);
    if (options.hcl) {
      const hclDir = `${staging}.hcl`;
      synthInto(config, hclDir, true);
      fs.renameSync(path.join(hclDir, "stacks"), path.join(staging, "stacks-hcl"));
      fs.rmSync(hclDir, { recursive: true, force: true });
    }
    const order = deployOrder(JSON.parse(fs.readFileSync(path.join(staging, "manifest.json"), "utf8")));
    fs.writeFileSync(path.join(staging, "deploy-order.json"), `${JSON.stringify(order, null, 2)}\n`);
    fs.rmSync(outdir, { recursive: true, force: true });
    fs.renameSync(staging, outdir);
    return order;
  } catch (e) {
    fs.rmSync(staging, { recursive: true, force: true });
    fs.rmSync(`${staging}.hcl`, { recursive: true, force: true });
    throw e;
  }
}
