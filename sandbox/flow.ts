import * as fs from "fs";
import * as path from "path";
import { parseConfig } from "../config/load";
import { PrivateLinkConfig } from "../config/schema";
import { runCompiledApp } from "./run-app";
import { RetiredStack, synthesize } from "../synth/synth";
import { EMULATOR_ACCOUNT, emulatorCall } from "./emulator";
import { StackRunner } from "../ops/runner";

export { StackFailure } from "../ops/runner";

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
      network: { create: { ...network("10.0.0.0/16", ["a", "b"]).create, flowLogs: { destination: "cloud-watch-logs", retentionDays: 7 } } },
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
        // By zone id (the emulator's us-west-2a and us-west-2b), as a platform team names zones across accounts.
        network: { create: { ipv4Cidr: "10.1.0.0/16", availabilityZones: ["usw2-az2", "usw2-az1"] } },
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

/**
 * One config synthesized into a work folder, driven by the runner. Local state lands in
 * `<workDir>/terraform-state`, beside `<workDir>/cdktf.out`, as the relative paths say; the
 * stack record is `<workDir>/privatelink.stacks.json`, as it would be beside a config file.
 */
export class SandboxRun extends StackRunner {
  config: PrivateLinkConfig;
  /** What the last synth retired. */
  retired: RetiredStack[] = [];

  constructor(
    readonly workDir: string,
    configJson: unknown,
    /** The construct library family to synthesize with (scripts/flavours.js). @default the default flavour, in this process */
    readonly flavour?: string,
  ) {
    super(path.join(workDir, "cdktf.out"));
    fs.mkdirSync(workDir, { recursive: true });
    this.config = this.synth(configJson);
  }

  get recordFile(): string {
    return path.join(this.workDir, "privatelink.stacks.json");
  }

  /** Synthesizes a (changed) config into the same folder, as `npm run synth` does: rules, deploy order, record, lock files. */
  synth(configJson: unknown): PrivateLinkConfig {
    fs.writeFileSync(path.join(this.workDir, "privatelink.config.json"), `${JSON.stringify(configJson, null, 2)}\n`);
    this.config = parseConfig(configJson, "sandbox config");
    this.retired = this.flavour ? this.synthWithFlavour(this.flavour) : synthesize(this.config, this.outdir, { recordFile: this.recordFile }).retired;
    return this.config;
  }

  /** `npm run synth -- --flavour <name>` on the config in the work folder. */
  private synthWithFlavour(flavour: string): RetiredStack[] {
    const r = runCompiledApp(path.join(this.workDir, "privatelink.config.json"), this.outdir, { flavour });
    if (r.status !== 0) throw new Error(`synth with the ${flavour} flavour failed:\n${r.stdout}${r.stderr}`);
    return [...r.stdout.matchAll(/^retire stack (\S+) \(.*?\): terraform apply there (.*)\. Once applied: /gm)].map((m) => ({
      name: m[1],
      workingDirectory: path.posix.join("stacks", m[1]),
      action: m[2],
    }));
  }
}

/**
 * The few values worth one summary line per stack: its outputs, and the states that change
 * after apply (verification, acceptance) as the emulator reports them now.
 */
export function summarize(stack: string, outputs: Record<string, any>, endpoint: string, region = "us-west-2"): string {
  const parts: [string, unknown][] =
    stack === "provider"
      ? [
          ["service", outputs.service_name],
          ["verification", outputs.service_id ? emulatorCall(endpoint, region, "ec2", "describe_vpc_endpoint_service_configurations", { ServiceIds: [outputs.service_id] }).ServiceConfigurations[0]?.PrivateDnsNameConfiguration?.State : undefined],
        ]
      : stack === "dns-verification"
        ? [["txt", outputs.verification_record_fqdn]]
        : stack === "acceptance"
          ? [["accepted", (outputs.accepted_endpoint_ids ?? []).join(",")]]
          : stack.endsWith("-private-dns")
            ? [["private dns", outputs.private_dns_name]]
            : [
                ["endpoint", outputs.endpoint_id],
                ["state", outputs.endpoint_id ? emulatorCall(endpoint, region, "ec2", "describe_vpc_endpoints", { VpcEndpointIds: [outputs.endpoint_id] }).VpcEndpoints[0]?.State : undefined],
                ["dns", (outputs.dns_names ?? [])[0]],
              ];
  return parts.map(([k, v]) => `${k}=${v ?? "-"}`).join("  ");
}
