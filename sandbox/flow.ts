import * as fs from "fs";
import * as path from "path";
import { PrivateLinkConfig, parseConfig } from "../stacks/config";
import { DeployOrder, synthesize } from "../stacks/synth";
import { EMULATOR_ACCOUNT } from "./emulator";
import { TerraformRun, terraform, terraformError } from "./terraform";

export const SANDBOX_ZONE = "sandbox.example.com";
export const SANDBOX_BUCKET = "privatelink-sandbox-state";

/** A sandbox config: created dual-stack networks, a Route 53 zone, every stage, two consumers. */
export function sandboxConfigJson(endpoint: string, backend: "local" | "s3"): Record<string, unknown> {
  const region = "us-west-2";
  const network = (cidr: string, zones: string[]) => ({ create: { ipv4Cidr: cidr, availabilityZones: zones.map((z) => `${region}${z}`) } });
  return {
    name: "sandbox",
    tags: { environment: "sandbox" },
    state: backend === "local" ? { backend: "local", directory: "terraform-state" } : { backend: "s3", bucket: SANDBOX_BUCKET, region, keyPrefix: "privatelink/" },
    service: {
      account: { region },
      network: network("10.0.0.0/16", ["a", "b"]),
      loadBalancer: {
        listeners: [{ port: 80, protocol: "TCP" }],
        target: { type: "instance", port: 80, demoInstance: {} },
        proxyProtocolV2: true,
      },
      endpointService: {
        acceptanceRequired: true,
        allowedPrincipals: [`arn:aws:iam::${EMULATOR_ACCOUNT}:root`],
        supportedIpAddressTypes: ["ipv4", "ipv6"],
        privateDnsName: `api.${SANDBOX_ZONE}`,
      },
    },
    dns: { provider: "route53", zoneName: SANDBOX_ZONE },
    consumers: [
      {
        name: "app",
        account: { region },
        network: network("10.1.0.0/16", ["a", "b"]),
        ipAddressType: "dualstack",
        dnsRecordIpType: "dualstack",
        privateDns: true,
        allowFrom: { ipv4Cidrs: ["10.1.0.0/16"] },
      },
      {
        name: "reports",
        account: { region },
        network: network("10.2.0.0/16", ["a"]),
        ipAddressType: "ipv4",
        privateDns: false,
        allowFrom: { ipv4Cidrs: ["10.2.0.0/16"] },
      },
    ],
    sandbox: { endpoint },
  };
}

export class StackFailure extends Error {
  constructor(
    readonly stackName: string,
    readonly command: string,
    readonly run: TerraformRun,
  ) {
    super(`${stackName}: terraform ${command} failed (exit ${run.code}):\n${terraformError(run)}${orderHint(run)}`);
    this.name = "StackFailure";
  }
}

/**
 * One synthesized config in a work folder, with terraform steps per stack. Local state lands in
 * `<workDir>/terraform-state`, beside `<workDir>/cdktf.out`, as the relative paths say.
 */
export class SandboxRun {
  readonly outdir: string;
  readonly config: PrivateLinkConfig;
  /** Apply order, as written to cdktf.out/deploy-order.json. */
  readonly order: DeployOrder;
  private readonly initialized = new Set<string>();

  constructor(
    readonly workDir: string,
    configJson: unknown,
  ) {
    this.config = parseConfig(configJson, "sandbox config");
    this.outdir = path.join(workDir, "cdktf.out");
    fs.mkdirSync(workDir, { recursive: true });
    // The same synthesis as npm run synth: security rules, deploy order, staging folder.
    this.order = synthesize(this.config, this.outdir).order;
  }

  /** Stacks grouped in waves: each wave depends only on earlier ones, so a wave may run in parallel. */
  waves(): string[][] {
    const waves: string[][] = [];
    for (const { name, wave } of this.order.apply) (waves[wave] ??= []).push(name);
    return waves;
  }

  dir(stack: string): string {
    return path.join(this.outdir, "stacks", stack);
  }

  private async step(stack: string, name: string, args: string[], okCodes = [0]): Promise<TerraformRun> {
    if (!this.initialized.has(stack)) {
      const init = await terraform(this.dir(stack), ["init", "-input=false", "-no-color"]);
      if (init.code !== 0) throw new StackFailure(stack, "init", init);
      this.initialized.add(stack);
    }
    const run = await terraform(this.dir(stack), args);
    if (!okCodes.includes(run.code)) throw new StackFailure(stack, name, run);
    return run;
  }

  apply(stack: string): Promise<TerraformRun> {
    return this.step(stack, "apply", ["apply", "-input=false", "-auto-approve", "-no-color"]);
  }

  /** Records what changed since the apply (endpoint accepted, domain verified) in state and outputs. */
  refresh(stack: string): Promise<TerraformRun> {
    return this.step(stack, "apply -refresh-only", ["apply", "-refresh-only", "-input=false", "-auto-approve", "-no-color"]);
  }

  /** `terraform plan -detailed-exitcode`: true when the plan is empty. */
  async planIsEmpty(stack: string): Promise<{ empty: boolean; run: TerraformRun }> {
    const run = await this.step(stack, "plan", ["plan", "-input=false", "-detailed-exitcode", "-no-color"], [0, 2]);
    return { empty: run.code === 0, run };
  }

  destroy(stack: string): Promise<TerraformRun> {
    return this.step(stack, "destroy", ["destroy", "-input=false", "-auto-approve", "-no-color"]);
  }

  async outputs(stack: string): Promise<Record<string, any>> {
    const run = await this.step(stack, "output", ["output", "-json", "-no-color"]);
    return Object.fromEntries(Object.entries<any>(JSON.parse(run.stdout)).map(([k, v]) => [k, v.value]));
  }

  /** Attribute values of the first managed resource of a type, from `terraform show -json`. */
  async resourceValues(stack: string, type: string): Promise<Record<string, any> | undefined> {
    const run = await this.step(stack, "show", ["show", "-json", "-no-color"]);
    const resources: any[] = JSON.parse(run.stdout).values?.root_module?.resources ?? [];
    return resources.find((r) => r.mode === "managed" && r.type === type)?.values;
  }

  /** Resources left in a stack's state (empty after a clean destroy). */
  async resources(stack: string): Promise<string[]> {
    const run = await this.step(stack, "state list", ["state", "list"], [0, 1]);
    return run.stdout.split("\n").filter((l) => l.trim() && !l.startsWith("data."));
  }
}

/** When a stack read the state of a stack that was never applied, say which one to apply first. */
function orderHint(run: TerraformRun): string {
  const text = `${run.stderr}\n${run.stdout}`;
  const missing = /Unable to find remote state[\s\S]*?with data\.terraform_remote_state\.([\w-]+)/.exec(text);
  return missing ? `\nStack ${missing[1]} has no state yet: apply stack ${missing[1]} first (the order is in cdktf.out/manifest.json).` : "";
}

/** The few outputs worth one summary line per stack. */
export function summarize(stack: string, outputs: Record<string, any>): string {
  const parts: [string, unknown][] =
    stack === "provider"
      ? [["service", outputs.service_name], ["verification", outputs.private_dns_verification_state]]
      : stack === "dns-verification"
        ? [["txt", outputs.verification_record_fqdn]]
        : stack === "acceptance"
          ? [["accepted", (outputs.accepted_endpoint_ids ?? []).join(",")]]
          : stack.endsWith("-private-dns")
            ? [["private dns", outputs.private_dns_name]]
            : [["endpoint", outputs.endpoint_id], ["state", outputs.endpoint_state], ["dns", (outputs.dns_names ?? [])[0]]];
  return parts.map(([k, v]) => `${k}=${v ?? "-"}`).join("  ");
}
