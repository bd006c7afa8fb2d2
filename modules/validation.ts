import { Token } from "cdktf";
import type { IConstruct } from "constructs";
import { parse as parseArn } from "@aws-sdk/util-arn-parser";
import * as ipaddr from "ipaddr.js";

/**
 * One problem in construct props or config: where it is, what was received, what is valid.
 * The same messages serve the constructs (prop paths) and the config file (JSON paths).
 */
export interface Problem {
  readonly path: string;
  readonly received: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- any value of the props or config
  readonly expected: string;
}

export function formatProblem(p: Problem): string {
  return `${p.path}: received ${show(p.received)}; expected ${p.expected}`;
}

function show(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/**
 * Thrown by a construct whose props break one or more rules; lists them all, and names the
 * construct's path so that two constructs of one kind in an app can be told apart.
 */
class PropsErrorClass extends Error {
  constructor(
    /** The construct's class, such as DualStackNlb. */
    readonly construct: string,
    readonly problems: Problem[],
    /** The construct's path in the app, such as provider/LoadBalancer. @default - not known */
    readonly constructPath?: string,
  ) {
    super(`Invalid props for ${construct}${constructPath ? ` at ${constructPath}` : ""}:\n${problems.map((p) => `  - ${formatProblem(p)}`).join("\n")}`);
    this.name = "PropsError";
  }
}

/**
 * The error a construct throws when its props break rules (`instanceof PropsError`, `problems`).
 * A value and a type rather than an exported class: the jsii assembly, from which the packages
 * for other languages are generated, cannot carry a subclass of Error, and leaves it out; there
 * the error arrives as the language's own exception with the same message.
 */
export const PropsError = PropsErrorClass;
export type PropsError = PropsErrorClass;

/** Collects problems so that every one is reported at once. */
export class Problems {
  constructor(
    private readonly mapPath: (path: string) => string = (path) => path,
    private readonly list: Problem[] = [],
  ) {}

  /**
   * A view that records into the same list with paths rewritten: the config checks run the
   * constructs' prop checks and report them at the config's JSON paths.
   */
  scoped(mapPath: (path: string) => string): Problems {
    return new Problems((path) => this.mapPath(mapPath(path)), this.list);
  }

  add(path: string, received: unknown, expected: string): void {
    this.list.push({ path: this.mapPath(path), received, expected });
  }

  /** Records a problem when `ok` is false and the value is not an unresolved token. */
  check(ok: boolean, path: string, received: unknown, expected: string): void {
    if (!ok && !isToken(received)) this.add(path, received, expected);
  }

  get all(): readonly Problem[] {
    return this.list;
  }

  /** Throws a PropsError naming the construct's class and, given the construct, its path. */
  throwIfAny(construct: string, scope?: IConstruct): void {
    if (this.list.length > 0) throw new PropsError(construct, this.list, scope?.node.path);
  }
}

/** True for values that Terraform resolves later (tokens): those are not judged here. */
export function isToken(value: unknown): boolean {
  // An element of a list token (Token.asList) is only recognized when wrapped in a list.
  if (typeof value === "string") return Token.isUnresolved(value) || Token.isUnresolved([value]);
  if (typeof value === "number") return Token.isUnresolved(value);
  if (Array.isArray(value)) return Token.isUnresolved(value);
  return value !== null && typeof value === "object" && Token.isUnresolved(value);
}

/** An inclusive integer range. */
export interface IntegerRange {
  readonly minimum: number;
  readonly maximum: number;
}

/** The integer ranges the constructs accept, defined once: the config schema tells editors the same ones. */
export const RANGES = {
  port: { minimum: 1, maximum: 65535 },
  deregistrationDelaySeconds: { minimum: 0, maximum: 3600 },
  healthCheckIntervalSeconds: { minimum: 5, maximum: 300 },
  healthCheckThreshold: { minimum: 2, maximum: 10 },
} as const satisfies Record<string, IntegerRange>;

export const inRange = (v: unknown, range: IntegerRange): boolean => Number.isInteger(v) && (v as number) >= range.minimum && (v as number) <= range.maximum;
export const rangeText = (range: IntegerRange): string => `an integer from ${range.minimum} to ${range.maximum}`;
export const PORT_RANGE = rangeText(RANGES.port);
export const isPort = (v: unknown): boolean => inRange(v, RANGES.port);

export const REGION_FORMAT = "an AWS region code such as us-west-2";
/** A region code (also the Terraform modules' validation pattern). */
export const REGION_PATTERN = "^(us|eu|ap|sa|ca|me|af|il|mx|cn|us-gov|us-iso|us-isob|eu-isoe)-(east|west|north|south|central|northeast|southeast|northwest|southwest)-[0-9]{1,2}$";
const REGION_REGEXP = new RegExp(REGION_PATTERN);
export const isRegion = (v: unknown): boolean => typeof v === "string" && REGION_REGEXP.test(v);

/**
 * The zone-id prefix of every current AWS region (commercial, China, GovCloud): a zone id is
 * `<prefix>-az<n>`, the same physical zone in every account, while a zone name (`<region><letter>`)
 * may map to another zone in another account. The prefix is no simple function of the code
 * (ap-southeast-2 is apse2, us-gov-west-1 usgw1).
 */
export const ZONE_ID_PREFIXES: Readonly<Record<string, string>> = {
  "us-east-1": "use1", "us-east-2": "use2", "us-west-1": "usw1", "us-west-2": "usw2",
  "ca-central-1": "cac1", "ca-west-1": "caw1", "mx-central-1": "mxc1", "sa-east-1": "sae1",
  "af-south-1": "afs1",
  "ap-east-1": "ape1", "ap-east-2": "ape2",
  "ap-northeast-1": "apne1", "ap-northeast-2": "apne2", "ap-northeast-3": "apne3",
  "ap-south-1": "aps1", "ap-south-2": "aps2",
  "ap-southeast-1": "apse1", "ap-southeast-2": "apse2", "ap-southeast-3": "apse3", "ap-southeast-4": "apse4",
  "ap-southeast-5": "apse5", "ap-southeast-6": "apse6", "ap-southeast-7": "apse7",
  "eu-central-1": "euc1", "eu-central-2": "euc2", "eu-north-1": "eun1", "eu-south-1": "eus1", "eu-south-2": "eus2",
  "eu-west-1": "euw1", "eu-west-2": "euw2", "eu-west-3": "euw3",
  "il-central-1": "ilc1", "me-central-1": "mec1", "me-south-1": "mes1",
  "cn-north-1": "cnn1", "cn-northwest-1": "cnnw1",
  "us-gov-east-1": "usge1", "us-gov-west-1": "usgw1",
};
const REGION_OF_PREFIX = new Map(Object.entries(ZONE_ID_PREFIXES).map(([region, prefix]) => [prefix, region]));

/** An Availability Zone as written: a name (`us-west-2a`) or an id (`usw2-az1`), and its region when known. */
export type Zone = { readonly kind: "name" | "id"; readonly region?: string };

/**
 * Reads a zone name or zone id; undefined when it is neither. Names of any region code are
 * read (a region newer than the table still synthesizes); ids only of the regions in the table.
 * Local and Wavelength Zones are not Availability Zones here: load balancers and endpoints need AZs.
 */
export function parseZone(v: unknown): Zone | undefined {
  if (typeof v !== "string") return undefined;
  const name = /^(.+-\d{1,2})[a-z]$/.exec(v);
  if (name && isRegion(name[1])) return { kind: "name", region: name[1] };
  const id = /^([a-z]+\d{1,2})-az\d{1,2}$/.exec(v);
  if (id && REGION_OF_PREFIX.has(id[1])) return { kind: "id", region: REGION_OF_PREFIX.get(id[1]) };
  return undefined;
}

/** What a zone of `region` looks like, for error messages. */
export function zoneFormat(region?: string): string {
  if (region === undefined) return "an Availability Zone name such as us-west-2a, or a zone id such as usw2-az1";
  const prefix = ZONE_ID_PREFIXES[region];
  return prefix ? `a zone of region ${region}: a name such as ${region}a, or a zone id such as ${prefix}-az1` : `a zone of region ${region}: a name such as ${region}a (the zone ids of ${region} are not known to this version: use names)`;
}

/** The ARN partition of a region. */
export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  if (region.startsWith("us-isob-")) return "aws-iso-b";
  if (region.startsWith("us-iso-")) return "aws-iso";
  if (region.startsWith("eu-isoe-")) return "aws-iso-e";
  return "aws";
}

export function isArn(v: unknown, service?: string): boolean {
  if (typeof v !== "string" || !v.startsWith("arn:")) return false;
  try {
    const arn = parseArn(v);
    return arn.resource.length > 0 && (service === undefined || arn.service === service);
  } catch {
    return false;
  }
}

export const NLB_ARN_FORMAT = "a Network Load Balancer ARN (arn:aws:elasticloadbalancing:<region>:<account>:loadbalancer/net/<name>/<id>)";
export const GWLB_ARN_FORMAT = "a Gateway Load Balancer ARN (arn:aws:elasticloadbalancing:<region>:<account>:loadbalancer/gwy/<name>/<id>)";
/** A load balancer ARN of the kind: "net" (Network) or "gwy" (Gateway). */
export function isLoadBalancerArn(v: unknown, kind: "net" | "gwy"): boolean {
  return isArn(v, "elasticloadbalancing") && (v as string).includes(":loadbalancer/") && (v as string).includes(`loadbalancer/${kind}/`);
}

export const ACM_CERTIFICATE_FORMAT = "an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)";
/** The parts of an ACM certificate ARN, or undefined when it is none. */
/** An ACM certificate ARN: partition, region, account (also the Terraform modules' validation pattern). */
export const ACM_CERTIFICATE_PATTERN = "^arn:(aws[a-z-]*):acm:([a-z0-9-]+):([0-9]{12}):certificate/[A-Za-z0-9-]+$";
export function parseAcmCertificateArn(v: unknown): { partition: string; region: string; account: string } | undefined {
  if (typeof v !== "string") return undefined;
  const m = new RegExp(ACM_CERTIFICATE_PATTERN).exec(v);
  return m && isRegion(m[2]) ? { partition: m[1], region: m[2], account: m[3] } : undefined;
}

export const PRINCIPAL_FORMAT =
  'an IAM principal ARN (arn:aws:iam::123456789012:root, :role/name or :user/name) or "*"';
export function isPrincipal(v: unknown): boolean {
  if (v === "*") return true;
  if (!isArn(v)) return false;
  const arn = parseArn(v as string);
  return (arn.service === "iam" && /^\d{12}$/.test(arn.accountId)) || arn.service === "organizations";
}

/** A DNS name: labels of letters, digits and hyphens, each <= 63, total <= 253; `*.` allowed first. */
export const DOMAIN_FORMAT = "a domain name such as api.example.com (labels of a-z, 0-9 and '-', each at most 63 characters, at most 253 in all)";
/** One label of a domain name (also the Terraform modules' validation pattern, case-insensitive). */
export const DOMAIN_LABEL_PATTERN = "^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$";
const DOMAIN_LABEL_REGEXP = new RegExp(DOMAIN_LABEL_PATTERN, "i");
export function isDomainName(v: unknown, allowWildcard = false): boolean {
  if (typeof v !== "string" || v.length === 0 || v.length > 253) return false;
  const name = allowWildcard && v.startsWith("*.") ? v.slice(2) : v;
  const labels = name.replace(/\.$/, "").split(".");
  return labels.length >= 2 && labels.every((l) => DOMAIN_LABEL_REGEXP.test(l));
}

/** True when `name` is `zone` or inside it (case-insensitive, trailing dots ignored). */
export function isWithinDomain(name: string, zone: string): boolean {
  const n = name.toLowerCase().replace(/\.$/, "").replace(/^\*\./, "");
  const z = zone.toLowerCase().replace(/\.$/, "");
  return n === z || n.endsWith(`.${z}`);
}

export const IPV4_CIDR_FORMAT = "an IPv4 CIDR block such as 10.0.0.0/16";
export const IPV6_CIDR_FORMAT = "an IPv6 CIDR block such as 2001:db8::/56";
export function isCidr(v: unknown, family: "ipv4" | "ipv6"): boolean {
  if (typeof v !== "string" || !v.includes("/")) return false;
  return parseCidr(v)?.[0].kind() === family;
}

// A config names the same few CIDRs again and again (config checks, then each construct's own).
const parsedCidrs = new Map<string, [ipaddr.IPv4 | ipaddr.IPv6, number] | null>();
const networkCidrs = new Map<string, string | undefined>();

/**
 * `ipaddr.parseCIDR`, or null, remembered per text. ipaddr tries IPv6 first and throws for every
 * IPv4 CIDR; an IPv6 address always has a colon and an IPv4 one never, so the family is picked first.
 */
export function parseCidr(v: string): [ipaddr.IPv4 | ipaddr.IPv6, number] | null {
  let parsed = parsedCidrs.get(v);
  if (parsed === undefined) {
    try {
      parsed = v.includes(":") ? ipaddr.IPv6.parseCIDR(v) : ipaddr.IPv4.parseCIDR(v);
    } catch {
      parsed = null;
    }
    parsedCidrs.set(v, parsed);
  }
  return parsed;
}

/** The CIDR written with its network address (host bits zero), or undefined if it is no CIDR. */
export function networkCidr(v: unknown): string | undefined {
  if (typeof v !== "string" || !v.includes("/")) return undefined;
  if (networkCidrs.has(v)) return networkCidrs.get(v);
  const parsed = parseCidr(v);
  let network: string | undefined;
  if (parsed) {
    const [addr, len] = parsed;
    network = `${(addr.kind() === "ipv4" ? ipaddr.IPv4.networkAddressFromCIDR(v) : ipaddr.IPv6.networkAddressFromCIDR(v)).toString()}/${len}`;
  }
  networkCidrs.set(v, network);
  return network;
}

/** True when a CIDR has no host bits set (10.1.0.0/16, not 10.1.0.5/16): AWS refuses the latter. */
export function isNetworkCidr(v: unknown): boolean {
  const n = networkCidr(v);
  if (n === undefined) return false;
  const [addr, len] = parseCidr(v as string)!;
  const [network, networkLen] = parseCidr(n)!;
  return network.toNormalizedString() === addr.toNormalizedString() && networkLen === len;
}

/** 0.0.0.0/0 and ::/0 (and any prefix length 0): the whole internet. */
export function isAnyAddress(v: unknown): boolean {
  return typeof v === "string" && /\/0+$/.test(v.trim());
}

export const BUCKET_NAME_FORMAT = "an S3 bucket name: 3 to 63 lowercase letters, digits, '.' and '-'";
export const isBucketName = (v: unknown): boolean => typeof v === "string" && /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(v) && !v.includes("..");

/** An IP address of the family (IPv4 in dotted-quad form). */
export function isIpAddress(v: unknown, family: "ipv4" | "ipv6"): boolean {
  if (typeof v !== "string") return false;
  return family === "ipv4" ? ipaddr.IPv4.isValidFourPartDecimal(v) : !v.includes("/") && ipaddr.IPv6.isValid(v);
}

/** An AWS resource id of the prefix (also the Terraform modules' validation pattern). */
export const awsIdPattern = (prefix: string): string => `^${prefix}-([0-9a-f]{8}|[0-9a-f]{17})$`;
export const isAwsId = (prefix: string) => (v: unknown): boolean => typeof v === "string" && new RegExp(awsIdPattern(prefix)).test(v);
export const idFormat = (prefix: string): string => `an id of the form ${prefix}-0123456789abcdef0`;

export function duplicates<T>(values: readonly T[]): T[] {
  const seen = new Set<T>();
  const dup = new Set<T>();
  for (const v of values) (seen.has(v) ? dup : seen).add(v);
  return [...dup];
}
