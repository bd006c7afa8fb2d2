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
  readonly received: unknown;
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
export class PropsError extends Error {
  constructor(
    /** The construct's class, such as DualStackNlb. */
    readonly construct: string,
    readonly problems: readonly Problem[],
    /** The construct's path in the app, such as provider/LoadBalancer. @default - not known */
    readonly constructPath?: string,
  ) {
    super(`Invalid props for ${construct}${constructPath ? ` at ${constructPath}` : ""}:\n${problems.map((p) => `  - ${formatProblem(p)}`).join("\n")}`);
    this.name = "PropsError";
  }
}

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
export const isRegion = (v: unknown): boolean =>
  typeof v === "string" &&
  /^(us|eu|ap|sa|ca|me|af|il|mx|cn|us-gov|us-iso|us-isob|eu-isoe)-(east|west|north|south|central|northeast|southeast|northwest|southwest)-\d{1,2}$/.test(v);

export function isArn(v: unknown, service?: string): boolean {
  if (typeof v !== "string" || !v.startsWith("arn:")) return false;
  try {
    const arn = parseArn(v);
    return arn.resource.length > 0 && (service === undefined || arn.service === service);
  } catch {
    return false;
  }
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
export function isDomainName(v: unknown, allowWildcard = false): boolean {
  if (typeof v !== "string" || v.length === 0 || v.length > 253) return false;
  const name = allowWildcard && v.startsWith("*.") ? v.slice(2) : v;
  const labels = name.replace(/\.$/, "").split(".");
  return labels.length >= 2 && labels.every((l) => /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i.test(l));
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

/** An ACM certificate ARN: arn:<partition>:acm:<region>:<account>:certificate/<id>. */
export const CERTIFICATE_ARN_FORMAT = "an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)";
export function isCertificateArn(v: unknown): boolean {
  if (!isArn(v, "acm")) return false;
  const arn = parseArn(v as string);
  return isRegion(arn.region) && /^\d{12}$/.test(arn.accountId) && /^certificate\/[A-Za-z0-9-]+$/.test(arn.resource);
}

export const BUCKET_NAME_FORMAT = "an S3 bucket name: 3 to 63 lowercase letters, digits, '.' and '-'";
export const isBucketName = (v: unknown): boolean => typeof v === "string" && /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(v) && !v.includes("..");

/** An IP address of the family (IPv4 in dotted-quad form). */
export function isIpAddress(v: unknown, family: "ipv4" | "ipv6"): boolean {
  if (typeof v !== "string") return false;
  return family === "ipv4" ? ipaddr.IPv4.isValidFourPartDecimal(v) : !v.includes("/") && ipaddr.IPv6.isValid(v);
}

export const isAwsId = (prefix: string) => (v: unknown): boolean =>
  typeof v === "string" && new RegExp(`^${prefix}-([0-9a-f]{8}|[0-9a-f]{17})$`).test(v);
export const idFormat = (prefix: string): string => `an id of the form ${prefix}-0123456789abcdef0`;

export function duplicates<T>(values: readonly T[]): T[] {
  const seen = new Set<T>();
  const dup = new Set<T>();
  for (const v of values) (seen.has(v) ? dup : seen).add(v);
  return [...dup];
}
