import * as fs from "fs";
import * as path from "path";
import { ParseError, parse as parseJson, printParseErrorCode } from "jsonc-parser";
import { z } from "zod";
import { ListenerProtocol, TargetIpAddressType, TargetType, HealthCheckProtocol, LoadBalancerIpAddressType } from "../modules/dual-stack-nlb";
import { ConnectionEvent, ServiceIpAddressType } from "../modules/endpoint-service";
import { DnsRecordIpType, EndpointIpAddressType } from "../modules/consumer-endpoint";
import { FlowLogDestination, FlowLogTrafficType } from "../modules/dual-stack-vpc";
import { Problem, Problems, formatProblem } from "../modules/validation";
import { checkPrivateLinkRules } from "./preflight";

/**
 * The config file's shape. The JSON schema shipped for editors (privatelink.schema.json) is
 * generated from this same definition by `npm run schema`.
 */
const region = z.string().describe("AWS region code, such as us-west-2");
/**
 * An integer whose range editors are told (in privatelink.schema.json) while the constructs'
 * own checks judge it, so that a value out of range is reported with the other problems.
 */
const integer = (minimum: number, maximum: number) => z.number().int().meta({ minimum, maximum });
const port = () => integer(1, 65535);
const account = z.strictObject({
  region,
  id: z.string().optional().describe("The 12-digit account id; default: read from roleArn. Lets synth check a consumer against the allowed principals"),
  roleArn: z.string().optional().describe("IAM role that Terraform assumes in this account"),
  externalId: z.string().optional().describe("External id for the role assumption"),
});

const network = z
  .strictObject({
    vpcId: z.string().optional().describe("Existing VPC (with subnetIds)"),
    subnetIds: z.array(z.string()).optional().describe("Existing subnets, one per Availability Zone"),
    create: z
      .strictObject({
        ipv4Cidr: z.string().describe("IPv4 CIDR of the new VPC, /16 to /24"),
        availabilityZones: z
          .array(z.string())
          .describe("One subnet (IPv4 + IPv6 /64) per zone of the account's region: zone names (us-west-2a) or zone ids (usw2-az1), not both. An id is the same physical zone in every account; a name may not be"),
        internetGateway: z.boolean().default(false).describe("Attach an internet gateway and default routes"),
        flowLogs: z
          .strictObject({
            destination: z.enum(FlowLogDestination).describe('"cloud-watch-logs" (a log group and its writer role are created) or "s3" (bucketArn)'),
            bucketArn: z.string().optional().describe("S3 only: arn:aws:s3:::bucket, optionally /prefix"),
            retentionDays: integer(1, 3653).optional().describe("CloudWatch Logs only: days to keep the records; default 365"),
            trafficType: z.enum(FlowLogTrafficType).optional().describe("ALL (default), ACCEPT or REJECT"),
          })
          .optional()
          .describe("Record the VPC's traffic in flow logs; default: none (a PL-VPC1 warning outside the sandbox)"),
      })
      .optional()
      .describe("A new dual-stack VPC instead of an existing one"),
  })
  .describe('Either { "vpcId", "subnetIds" } or { "create": { ... } }');

const healthCheck = z.strictObject({
  protocol: z.enum(HealthCheckProtocol).optional(),
  port: port().optional(),
  path: z.string().optional(),
  intervalSeconds: integer(5, 300).optional(),
  healthyThreshold: integer(2, 10).optional(),
  unhealthyThreshold: integer(2, 10).optional(),
  matcher: z.string().optional(),
});

const listener = z.strictObject({
  id: z.string().optional().describe("Stable name of the listener in Terraform addresses (letters, digits, '-', '_'); default: its position. Name listeners whose order may change"),
  port: port(),
  protocol: z.enum(ListenerProtocol).default(ListenerProtocol.TCP),
  certificateArn: z.string().optional().describe("TLS only, and required there: an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>) in the service's region and account"),
  sslPolicy: z.string().optional(),
  alpnPolicy: z.string().optional(),
});

const target = z.strictObject({
  type: z.enum(TargetType).default(TargetType.INSTANCE),
  port: port().optional().describe("Port on the targets; default: the listener port"),
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
  deregistrationDelaySeconds: integer(0, 3600).optional(),
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

/** A Terraform version constraint: one or more comma-separated `[operator] version` parts. */
const PROVIDER_VERSION = /^\s*(?:(?:=|!=|>=?|<=?|~>)\s*)?\d+(?:\.\d+){0,2}(?:-[0-9A-Za-z.-]+)?\s*(?:,\s*(?:(?:=|!=|>=?|<=?|~>)\s*)?\d+(?:\.\d+){0,2}(?:-[0-9A-Za-z.-]+)?\s*)*$/;

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
      deletionProtection: z.boolean().optional().describe("Default: true, except with sandbox (which destroys what it builds). Turn it off before a planned removal"),
      securityGroupIds: z.array(z.string()).optional().describe("Your own security groups instead of the load balancer's own"),
      allowDirectFrom: z
        .strictObject({
          securityGroupIds: z.array(z.string()).default([]),
          ipv4Cidrs: z.array(z.string()).default([]),
          ipv6Cidrs: z.array(z.string()).default([]),
        })
        .optional()
        .describe("Clients that may reach the listeners directly, not through PrivateLink; default: none"),
      withoutSecurityGroup: z
        .strictObject({ reason: z.string().describe("Why the load balancer has no security group; shown with the suppressed PL-NLB4 finding") })
        .optional()
        .describe("No security group at all (AWS cannot add one later): give the reason"),
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
      z.strictObject({
        provider: z.literal("route53"),
        zoneName: z.string().optional(),
        zoneId: z.string().optional(),
        account: account.optional().describe("The account that owns the hosted zone, when it is not the service's"),
      }),
      z.strictObject({ provider: z.literal("external"), startVerification: z.boolean().default(false) }),
    ])
    .optional()
    .describe("Where the private DNS name's TXT verification record lives"),
  consumers: z.array(consumer).default([]),
  sandbox: z.strictObject({ endpoint: z.string().describe("Local AWS emulator, such as http://127.0.0.1:4566") }).optional(),
  terraform: z
    .strictObject({
      awsProviderVersion: z
        .string()
        .regex(PROVIDER_VERSION, { error: 'a version such as "5.100.0", or a constraint such as "~> 6.0" or ">= 5.100, < 7.0"' })
        .optional()
        .describe("The AWS provider version every stack requires (required_providers); default: the one the construct library was generated from"),
    })
    .default({}),
  suppressions: z
    .array(
      z.strictObject({
        id: z.string().describe("Rule id, such as PL-NLB2 (see RULES.md)"),
        reason: z.string().describe("Why this finding is acceptable here; required"),
        stack: z.string().optional().describe("Only in this stack"),
        resource: z.string().optional().describe("Only for this resource, <type>.<logical id>"),
        config: z.string().optional().describe("Only for what this config path (or a path below it) produced, such as consumers[0].allowFrom"),
      }),
    )
    .default([])
    .describe("Security rule findings accepted on purpose, each with its reason"),
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
        const valid = keysAt(configSchema, issue.path, input);
        return issue.keys.map((key) => ({ path: jsonPath([...issue.path, key]), received: valueAt(input, [...issue.path, key]), expected: unknownKeyHint(key, valid) }));
      }
      const received = valueAt(input, issue.path);
      return [{ path: jsonPath(issue.path), received, expected: expectedOf(issue, received) }];
    });
    // Shape problems do not hide the other rules: judge the config without the faulty values
    // (unknown keys, optional values of the wrong kind) when what is left is well formed.
    const stripped = configSchema.safeParse(withoutPaths(input, parsed.error.issues));
    const reported = problems.map((q) => q.path);
    const more = stripped.success ? ruleProblems(stripped.data).filter((q) => !reported.some((r) => q.path === r || q.path.startsWith(`${r}.`) || q.path.startsWith(`${r}[`))) : [];
    throw new ConfigError(source, [...problems, ...more]);
  }
  const rules = ruleProblems(parsed.data);
  if (rules.length > 0) throw new ConfigError(source, rules);
  return parsed.data;
}

/** zod's wording, turned into what would be valid. */
function expectedOf(issue: z.core.$ZodIssue, received: unknown): string {
  const article = (t: string) => (/^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`);
  if (issue.code === "invalid_type") return received === undefined ? `${article(issue.expected)}: this key is required` : article(issue.expected);
  if (issue.code === "invalid_value") return `one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
  if (issue.code === "invalid_union" && "options" in issue && Array.isArray(issue.options)) return `one of ${issue.options.map((v) => JSON.stringify(v)).join(", ")}`;
  if (issue.code === "too_small" && issue.origin === "array") return `at least ${issue.minimum} item(s)`;
  return issue.message.replace(/^(Invalid input|Too small|Too big): (expected )?/, "");
}

function withoutPaths(input: unknown, issues: readonly z.core.$ZodIssue[]): unknown {
  const copy = JSON.parse(JSON.stringify(input ?? null));
  for (const issue of issues) {
    const paths = issue.code === "unrecognized_keys" ? issue.keys.map((k) => [...issue.path, k]) : [issue.path];
    for (const at of paths) {
      const holder = valueAt(copy, at.slice(0, -1)) as Record<PropertyKey, unknown> | undefined;
      if (holder !== null && typeof holder === "object" && at.length > 0) delete holder[at[at.length - 1] as string];
    }
  }
  return copy;
}

/** The PrivateLink rules of a config whose shape is right. */
function ruleProblems(config: PrivateLinkConfig): Problem[] {
  const problems = new Problems();
  checkPrivateLinkRules(config, problems);
  // One mistake can reach a rule through several consumers (their shared listener ports): say it once.
  return [...new Map(problems.all.map((q) => [`${q.path}|${q.expected}|${JSON.stringify(q.received)}`, q])).values()];
}

/** The keys a config object may have at a JSON path, read from the schema itself. */
function keysAt(schema: z.ZodType, segments: readonly PropertyKey[], input: unknown): string[] {
  const unwrap = (t: any): any => {
    while (t?._zod?.def && ["optional", "default", "prefault", "nullable"].includes(t._zod.def.type)) t = t._zod.def.innerType;
    return t;
  };
  // Of a union's object options, the one whose keys best cover the value's keys.
  const pick = (t: any, v: unknown): any => {
    if (t?._zod?.def?.type !== "union") return t;
    // A discriminated union's option is the one its discriminator names ("provider": "external").
    const discriminator: string | undefined = t._zod.def.discriminator;
    if (discriminator && v !== null && typeof v === "object") {
      const named = (t._zod.def.options as any[]).map(unwrap).find((o) => o._zod.def.shape?.[discriminator]?._zod?.def?.values?.includes((v as Record<string, unknown>)[discriminator]));
      if (named) return named;
    }
    const keys = v !== null && typeof v === "object" ? Object.keys(v) : [];
    const score = (o: any) => keys.filter((k) => k in o._zod.def.shape).length;
    const options = (t._zod.def.options as any[]).map(unwrap).filter((o) => o._zod.def.type === "object");
    return options.sort((a, b) => score(b) - score(a))[0];
  };
  let t = pick(unwrap(schema), input);
  segments.forEach((seg, i) => {
    const def = t?._zod?.def;
    const next = def?.type === "object" ? def.shape[seg as string] : def?.type === "array" ? def.element : undefined;
    t = pick(unwrap(next), valueAt(input, segments.slice(0, i + 1)));
  });
  return t?._zod?.def?.type === "object" ? Object.keys(t._zod.def.shape) : [];
}

function unknownKeyHint(key: string, valid: string[]): string {
  const distance = (a: string, b: string): number => {
    const d = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      let prev = d[0];
      d[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const tmp = d[j];
        d[j] = Math.min(d[j] + 1, d[j - 1] + 1, prev + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1));
        prev = tmp;
      }
    }
    return d[b.length];
  };
  const best = valid.map((k) => ({ k, d: distance(key, k) })).sort((a, b) => a.d - b.d)[0];
  const near = best && best.d <= Math.max(2, Math.floor(best.k.length / 3)) ? `did you mean "${best.k}"? ` : "";
  return `no such key: ${near}valid keys here: ${valid.join(", ")}`;
}

/** Where the config comes from: $PRIVATELINK_CONFIG, else ./privatelink.config.json, else the built-in example. */
export function resolveConfigPath(cwd = process.cwd(), env = process.env): string {
  if (env.PRIVATELINK_CONFIG) return path.resolve(cwd, env.PRIVATELINK_CONFIG);
  const local = path.join(cwd, "privatelink.config.json");
  return fs.existsSync(local) ? local : EXAMPLE_CONFIG_PATH;
}

/**
 * The built-in example: beside stacks/ in the project, two levels up in the compiled package, four
 * in a flavour's build (flavours/<name>/.build/stacks).
 */
export const EXAMPLE_CONFIG_PATH = [1, 2, 3, 4]
  .map((up) => path.join(__dirname, ...Array<string>(up).fill(".."), "examples", "privatelink.config.json"))
  .find((f) => fs.existsSync(f)) as string;

/** Reads and checks a config file; JSON syntax errors name the line and column. */
export function loadConfig(file: string): PrivateLinkConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new ConfigError(file, [{ path: "(file)", received: file, expected: `a readable JSON file (${(e as Error).message})` }]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  // V8's message gives no position for several mistakes: jsonc-parser finds each one's line and
  // column, needed only when JSON.parse refused the text.
  const errors: ParseError[] = [];
  if (json === undefined) parseJson(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  if (errors.length > 0) {
    throw new ConfigError(
      file,
      errors.map((e) => {
        const where = lineColumn(text, e.offset);
        return { path: `(line ${where.line}, column ${where.column})`, received: text.slice(e.offset, e.offset + Math.max(e.length, 1)), expected: `valid JSON (${printParseErrorCode(e.error)})` };
      }),
    );
  }
  return parseConfig(json === undefined ? JSON.parse(text) : json, file);
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split("\n");
  return { line: before.length, column: before[before.length - 1].length + 1 };
}
