import * as fs from "fs";
import * as path from "path";
import { ParseError, parse as parseJson, printParseErrorCode } from "jsonc-parser";
import { z } from "zod";
import { ListenerProtocol, TargetIpAddressType, TargetType, HealthCheckProtocol, LoadBalancerIpAddressType } from "../modules/dual-stack-nlb";
import { ConnectionEvent, ServiceIpAddressType } from "../modules/endpoint-service";
import { COMPATIBLE_DNS_RECORD_IP_TYPES, DnsRecordIpType, EndpointIpAddressType } from "../modules/consumer-endpoint";
import { Problem, Problems, formatProblem } from "../modules/validation";

/**
 * The config file's shape. The JSON schema shipped for editors (privatelink.schema.json) is
 * generated from this same definition by `npm run schema`.
 */
const region = z.string().describe("AWS region code, such as us-west-2");
const account = z.strictObject({
  region,
  roleArn: z.string().optional().describe("IAM role that Terraform assumes in this account"),
  externalId: z.string().optional().describe("External id for the role assumption"),
});

const network = z.union([
  z.strictObject({
    vpcId: z.string().describe("Existing VPC"),
    subnetIds: z.array(z.string()).min(1).describe("Existing subnets, one per Availability Zone"),
  }),
  z.strictObject({
    create: z.strictObject({
      ipv4Cidr: z.string().describe("IPv4 CIDR of the new VPC, /16 to /24"),
      availabilityZones: z.array(z.string()).min(1).describe("One subnet (IPv4 + IPv6 /64) per zone"),
      internetGateway: z.boolean().default(false).describe("Attach an internet gateway and default routes"),
    }),
  }),
]);

const healthCheck = z.strictObject({
  protocol: z.enum(HealthCheckProtocol).optional(),
  port: z.number().int().optional(),
  path: z.string().optional(),
  intervalSeconds: z.number().int().optional(),
  healthyThreshold: z.number().int().optional(),
  unhealthyThreshold: z.number().int().optional(),
  matcher: z.string().optional(),
});

const listener = z.strictObject({
  port: z.number().int(),
  protocol: z.enum(ListenerProtocol).default(ListenerProtocol.TCP),
  certificateArn: z.string().optional().describe("ACM certificate, required for TLS"),
  sslPolicy: z.string().optional(),
  alpnPolicy: z.string().optional(),
});

const target = z.strictObject({
  type: z.enum(TargetType).default(TargetType.INSTANCE),
  port: z.number().int().optional().describe("Port on the targets; default: the listener port"),
  ipAddressType: z.enum(TargetIpAddressType).default(TargetIpAddressType.IPV4),
  ids: z.array(z.string()).default([]).describe("Instance ids or IP addresses to register"),
  demoInstance: z
    .strictObject({
      instanceType: z.string().default("t3.micro"),
      amiId: z.string().optional().describe("Default: the latest Amazon Linux 2023 AMI"),
    })
    .optional()
    .describe("Launch an instance serving 'Hello World from <hostname>' as the target"),
  healthCheck: healthCheck.optional(),
  preserveClientIp: z.boolean().optional(),
  deregistrationDelaySeconds: z.number().int().optional(),
});

const allowFrom = z.strictObject({
  securityGroupIds: z.array(z.string()).default([]),
  ipv4Cidrs: z.array(z.string()).default([]),
  ipv6Cidrs: z.array(z.string()).default([]),
  allowAnyAddress: z.boolean().default(false).describe("Accept 0.0.0.0/0 and ::/0"),
});

const consumer = z.strictObject({
  name: z.string().describe("Lowercase name; the stack is consumer-<name>"),
  account,
  network,
  ipAddressType: z.enum(EndpointIpAddressType).default(EndpointIpAddressType.DUALSTACK),
  dnsRecordIpType: z.enum(DnsRecordIpType).optional().describe("Default: matches ipAddressType"),
  privateDns: z.boolean().optional().describe("Default: true when the service has a private DNS name"),
  serviceRegion: z.string().optional().describe("Region of the service, for cross-region PrivateLink"),
  allowFrom,
});

const state = z.discriminatedUnion("backend", [
  z.strictObject({
    backend: z.literal("local"),
    directory: z.string().default("terraform-state").describe("Relative to the project root"),
  }),
  z.strictObject({
    backend: z.literal("s3"),
    bucket: z.string(),
    region,
    keyPrefix: z.string().default("privatelink/"),
    roleArn: z.string().optional(),
    kmsKeyId: z.string().optional(),
  }),
]);

export const configSchema = z.strictObject({
  $schema: z.string().optional(),
  name: z.string().describe("Prefix for resource names and tags"),
  tags: z.record(z.string(), z.string()).default({}),
  state: state.default({ backend: "local", directory: "terraform-state" }),
  service: z.strictObject({
    account,
    network,
    loadBalancer: z.strictObject({
      name: z.string().optional(),
      ipAddressType: z.enum(LoadBalancerIpAddressType).default(LoadBalancerIpAddressType.DUALSTACK),
      listeners: z.array(listener).min(1),
      target: target.default({ type: TargetType.INSTANCE, ipAddressType: TargetIpAddressType.IPV4, ids: [] }),
      proxyProtocolV2: z.boolean().default(false),
      crossZone: z.boolean().default(true),
      deletionProtection: z.boolean().default(false),
      securityGroupIds: z.array(z.string()).optional(),
      accessLogs: z.strictObject({ bucket: z.string(), prefix: z.string().optional() }).optional(),
    }),
    endpointService: z.strictObject({
      acceptanceRequired: z.boolean().default(true),
      allowedPrincipals: z.array(z.string()).default([]),
      supportedIpAddressTypes: z.array(z.enum(ServiceIpAddressType)).default([ServiceIpAddressType.IPV4, ServiceIpAddressType.IPV6]),
      privateDnsName: z.string().optional(),
      supportedRegions: z.array(z.string()).default([]),
      connectionNotification: z
        .strictObject({ topicArn: z.string(), events: z.array(z.enum(ConnectionEvent)).optional() })
        .optional(),
    }),
  }),
  dns: z
    .discriminatedUnion("provider", [
      z.strictObject({ provider: z.literal("route53"), zoneName: z.string().optional(), zoneId: z.string().optional() }),
      z.strictObject({ provider: z.literal("external"), startVerification: z.boolean().default(false) }),
    ])
    .optional()
    .describe("Where the private DNS name's TXT verification record lives"),
  consumers: z.array(consumer).default([]),
  sandbox: z.strictObject({ endpoint: z.string().describe("Local AWS emulator, such as http://127.0.0.1:4566") }).optional(),
});

export type PrivateLinkConfig = z.output<typeof configSchema>;
export type ConsumerConfig = PrivateLinkConfig["consumers"][number];
export type NetworkConfig = ConsumerConfig["network"];
export type StateConfig = PrivateLinkConfig["state"];
export type AccountConfig = ConsumerConfig["account"];

/** Raised when a config has problems; lists every one with its JSON path. */
export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly Problem[],
  ) {
    super(`${source}: ${problems.length} problem(s) in the config:\n${problems.map((p) => `  - ${formatProblem(p)}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

export function jsonPath(segments: readonly PropertyKey[]): string {
  return segments.reduce<string>((acc, s) => (typeof s === "number" ? `${acc}[${s}]` : acc ? `${acc}.${String(s)}` : String(s)), "") || "(root)";
}

function valueAt(input: unknown, segments: readonly PropertyKey[]): unknown {
  return segments.reduce<unknown>((v, s) => (v !== null && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[s] : undefined), input);
}

/** Checks shape and PrivateLink rules; returns the config with defaults applied, or throws ConfigError. */
export function parseConfig(input: unknown, source = "config"): PrivateLinkConfig {
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.flatMap((issue): Problem[] => {
      if (issue.code === "unrecognized_keys") {
        return issue.keys.map((key) => ({ path: jsonPath([...issue.path, key]), received: valueAt(input, [...issue.path, key]), expected: "no such key: remove it or fix its spelling" }));
      }
      return [{ path: jsonPath(issue.path), received: valueAt(input, issue.path), expected: issue.message }];
    });
    throw new ConfigError(source, problems);
  }
  const problems = new Problems();
  checkRules(parsed.data, problems);
  if (problems.all.length > 0) throw new ConfigError(source, problems.all);
  return parsed.data;
}

/** Rules that span several keys: the PrivateLink part of the checks. */
function checkRules(c: PrivateLinkConfig, p: Problems): void {
  p.check(/^[a-z][a-z0-9-]{0,19}$/.test(c.name), "name", c.name, "1 to 20 characters: lowercase letters, digits and '-', starting with a letter");
  const svc = c.service.endpointService;
  const names = new Set<string>();
  c.consumers.forEach((consumer, i) => {
    const at = `consumers[${i}]`;
    p.check(/^[a-z][a-z0-9-]{0,19}$/.test(consumer.name), `${at}.name`, consumer.name, "1 to 20 characters: lowercase letters, digits and '-', starting with a letter");
    p.check(!names.has(consumer.name), `${at}.name`, consumer.name, "a name no other consumer has");
    p.check(!consumer.name.endsWith("-private-dns"), `${at}.name`, consumer.name, 'a name not ending in "-private-dns": consumer-<name>-private-dns is the stack that turns private DNS on');
    names.add(consumer.name);
    if (consumer.privateDns === true) {
      p.check(svc.privateDnsName !== undefined, `${at}.privateDns`, true, "false, or set service.endpointService.privateDnsName: the service has no private DNS name");
    }
    if (consumer.dnsRecordIpType !== undefined) {
      const ok = COMPATIBLE_DNS_RECORD_IP_TYPES[consumer.ipAddressType];
      p.check(ok.includes(consumer.dnsRecordIpType), `${at}.dnsRecordIpType`, consumer.dnsRecordIpType, `one of ${ok.join(", ")} for ipAddressType ${consumer.ipAddressType}`);
    }
    const needsV6 = consumer.ipAddressType !== EndpointIpAddressType.IPV4;
    const needsV4 = consumer.ipAddressType !== EndpointIpAddressType.IPV6;
    p.check(!needsV6 || svc.supportedIpAddressTypes.includes(ServiceIpAddressType.IPV6), `${at}.ipAddressType`, consumer.ipAddressType, `"ipv4", or add "ipv6" to service.endpointService.supportedIpAddressTypes`);
    p.check(!needsV4 || svc.supportedIpAddressTypes.includes(ServiceIpAddressType.IPV4), `${at}.ipAddressType`, consumer.ipAddressType, `"ipv6", or add "ipv4" to service.endpointService.supportedIpAddressTypes`);
    if (consumer.serviceRegion !== undefined && consumer.serviceRegion !== c.service.account.region) {
      p.check(svc.supportedRegions.includes(consumer.serviceRegion), `${at}.serviceRegion`, consumer.serviceRegion, `the service's region (${c.service.account.region}) or one of service.endpointService.supportedRegions (${JSON.stringify(svc.supportedRegions)})`);
    }
  });
  p.check(!svc.supportedIpAddressTypes.includes(ServiceIpAddressType.IPV6) || c.service.loadBalancer.ipAddressType === LoadBalancerIpAddressType.DUALSTACK, "service.endpointService.supportedIpAddressTypes", svc.supportedIpAddressTypes, `["ipv4"], or service.loadBalancer.ipAddressType "dualstack": IPv6 needs a dual-stack load balancer`);
  if (svc.privateDnsName !== undefined) {
    p.check(c.dns !== undefined, "dns", c.dns, '{ "provider": "route53", "zoneName": "<zone holding the private DNS name>" } or { "provider": "external" }: a private DNS name must be verified');
    if (c.dns?.provider === "route53") {
      p.check(c.dns.zoneName !== undefined || c.dns.zoneId !== undefined, "dns.zoneName", c.dns.zoneName, "the public hosted zone that holds the private DNS name (or dns.zoneId)");
    }
  }
  if (c.state.backend === "local") {
    p.check(!path.isAbsolute(c.state.directory), "state.directory", c.state.directory, "a path relative to the project root, so cdktf.out can move to another machine");
  }
}

/** Where the config comes from: $PRIVATELINK_CONFIG, else ./privatelink.config.json, else the built-in example. */
export function resolveConfigPath(cwd = process.cwd(), env = process.env): string {
  if (env.PRIVATELINK_CONFIG) return path.resolve(cwd, env.PRIVATELINK_CONFIG);
  const local = path.join(cwd, "privatelink.config.json");
  return fs.existsSync(local) ? local : EXAMPLE_CONFIG_PATH;
}

export const EXAMPLE_CONFIG_PATH = path.join(__dirname, "..", "examples", "privatelink.config.json");

/** Reads and checks a config file; JSON syntax errors name the line and column. */
export function loadConfig(file: string): PrivateLinkConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new ConfigError(file, [{ path: "(file)", received: file, expected: `a readable JSON file (${(e as Error).message})` }]);
  }
  const errors: ParseError[] = [];
  parseJson(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  if (errors.length > 0) {
    throw new ConfigError(
      file,
      errors.map((e) => {
        const where = lineColumn(text, e.offset);
        return { path: `(line ${where.line}, column ${where.column})`, received: text.slice(e.offset, e.offset + Math.max(e.length, 1)), expected: `valid JSON (${printParseErrorCode(e.error)})` };
      }),
    );
  }
  const json: unknown = JSON.parse(text);
  return parseConfig(json, file);
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split("\n");
  return { line: before.length, column: before[before.length - 1].length + 1 };
}
