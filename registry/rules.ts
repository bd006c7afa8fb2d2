import { ListenerProtocol, HealthCheckProtocol, TargetIpAddressType, TargetType } from "../modules/network-listener";
import {
  ACM_CERTIFICATE_FORMAT,
  ACM_CERTIFICATE_PATTERN,
  DOMAIN_FORMAT,
  DOMAIN_LABEL_PATTERN,
  IPV4_CIDR_FORMAT,
  IPV6_CIDR_FORMAT,
  IntegerRange,
  PRINCIPAL_FORMAT,
  RANGES,
  REGION_FORMAT,
  REGION_PATTERN,
  awsIdPattern,
  idFormat,
  rangeText,
} from "../modules/validation";
import type { VariableRule } from "./module-stack";

// The constructs' prop checks as Terraform validation conditions, built from the same patterns,
// ranges and wordings (modules/validation.ts), so that a module refuses at plan time what the
// constructs refuse at synthesis. Each function takes the HCL expression of the value.

/** An HCL string literal of a pattern (RE2 reads the constructs' patterns as they are). */
const re = (pattern: string): string => JSON.stringify(pattern);
const list = (values: readonly string[]): string => `[${values.map((v) => JSON.stringify(v)).join(", ")}]`;
export const oneOf = (values: readonly string[]): string => values.map((v) => `"${v}"`).join(", ");

export const isAwsIdExpr = (prefix: string, x: string): string => `can(regex(${re(awsIdPattern(prefix))}, ${x}))`;
export const isRegionExpr = (x: string): string => `can(regex(${re(REGION_PATTERN)}, ${x}))`;
/** An ACM certificate ARN whose region is a region code (parseAcmCertificateArn). */
export const isAcmCertificateExpr = (x: string): string => `(can(regex(${re(ACM_CERTIFICATE_PATTERN)}, ${x})) && can(regex(${re(REGION_PATTERN)}, try(split(":", ${x})[3], ""))))`;
export const inRangeExpr = (x: string, r: IntegerRange): string => `(floor(${x}) == ${x} && ${x} >= ${r.minimum} && ${x} <= ${r.maximum})`;
export const inExpr = (values: readonly string[], x: string): string => `contains(${list(values)}, ${x})`;

/** A domain name (a leading "*." when wildcard): 2 or more labels, each a-z, 0-9 and '-', at most 253 characters. */
export function isDomainExpr(x: string, wildcard: boolean): string {
  // (a trailing dot is accepted, as isDomainName accepts it)
  const name = wildcard ? `trimsuffix(trimprefix(${x}, "*."), ".")` : `trimsuffix(${x}, ".")`;
  return `(length(${x}) <= 253 && length(split(".", ${name})) >= 2 && alltrue([for l in split(".", ${name}) : can(regex(${re(`(?i)${DOMAIN_LABEL_PATTERN}`)}, l))]))`;
}

/** An IAM principal ARN in an account, an organizations ARN, or "*". */
export const isPrincipalExpr = (x: string): string =>
  `(${x} == "*" || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:.+$", ${x})) || can(regex("^arn:aws[a-z-]*:organizations::[0-9]{12}:.+$", ${x})))`;

/** A CIDR block of the family, written as its network address. */
export function isCidrExpr(x: string, family: "ipv4" | "ipv6"): string {
  const colon = family === "ipv6" ? `strcontains(${x}, ":")` : `!strcontains(${x}, ":")`;
  return `(can(cidrhost(${x}, 0)) && ${colon} && strcontains(${x}, "/"))`;
}
/**
 * Written as its network address, in any spelling: the block's first address and the address as
 * written, each read back by cidrhost in canonical text, are the same. (A conditional, not ||:
 * Terraform evaluates both sides of || and cidrhost fails on a malformed block.)
 */
export const isNetworkCidrExpr = (x: string): string =>
  `(can(cidrhost(${x}, 0)) ? cidrhost(${x}, 0) == cidrhost(format("%s/%d", split("/", ${x})[0], strcontains(${x}, ":") ? 128 : 32), 0) : true)`;
export const isAnyAddressExpr = (x: string): string => `can(regex("/0+$", ${x}))`;

/** Every element of a list satisfies the condition on `x`. */
export const every = (listExpr: string, condition: (x: string) => string): string => `alltrue([for x in ${listExpr} : ${condition("x")}])`;
export const distinctList = (listExpr: string): string => `length(distinct(${listExpr})) == length(${listExpr})`;

export const rule = (condition: string, errorMessage: string): VariableRule => ({ condition, errorMessage });

export const RULES = {
  vpcId: (name: string) => rule(isAwsIdExpr("vpc", `var.${name}`), `${name}: expected ${idFormat("vpc")}.`),
  subnetIds: (name: string) => [
    rule(`length(var.${name}) > 0`, `${name}: expected at least one subnet id, one per Availability Zone.`),
    rule(every(`var.${name}`, (x) => isAwsIdExpr("subnet", x)), `${name}: expected ${idFormat("subnet")} for each subnet.`),
    rule(distinctList(`var.${name}`), `${name}: expected each subnet once.`),
  ],
  securityGroupIds: (name: string) => [
    rule(every(`var.${name}`, (x) => isAwsIdExpr("sg", x)), `${name}: expected ${idFormat("sg")} for each group.`),
    rule(distinctList(`var.${name}`), `${name}: expected each group once.`),
  ],
  regions: (name: string) => [
    rule(every(`var.${name}`, isRegionExpr), `${name}: expected ${REGION_FORMAT} for each region.`),
    rule(distinctList(`var.${name}`), `${name}: expected each region once.`),
  ],
  principals: (name: string) => [
    rule(every(`var.${name}`, isPrincipalExpr), `${name}: expected ${PRINCIPAL_FORMAT} for each principal.`),
    rule(distinctList(`var.${name}`), `${name}: expected each principal once.`),
  ],
  // (Terraform evaluates both sides of ||: a null value is judged by a conditional instead)
  domain: (name: string, wildcard: boolean) => rule(`var.${name} == null ? true : ${isDomainExpr(`var.${name}`, wildcard)}`, `${name}: expected ${DOMAIN_FORMAT}${wildcard ? ', or "*." and such a name' : ""}.`),
  endpointServiceId: (name: string) => rule(`can(regex("^vpce-svc-[0-9a-f]+$", var.${name}))`, `${name}: expected an endpoint service id (vpce-svc-0123456789abcdef0).`),
  endpointId: (x: string, name: string) => rule(`can(regex("^vpce-[0-9a-f]+$", ${x}))`, `${name}: expected an endpoint id (vpce-0123456789abcdef0).`),
  cidrs: (name: string, family: "ipv4" | "ipv6", anyAddress: string) => [
    rule(every(`var.${name}`, (x) => isCidrExpr(x, family)), `${name}: expected ${family === "ipv4" ? IPV4_CIDR_FORMAT : IPV6_CIDR_FORMAT} for each block.`),
    rule(every(`var.${name}`, isNetworkCidrExpr), `${name}: expected each block written as its network address (such as 10.1.0.0/16, not 10.1.2.3/16).`),
    rule(`var.allow_any_address || !anytrue([for x in var.${name} : ${isAnyAddressExpr("x")}])`, `${name}: expected ${anyAddress}.`),
    rule(distinctList(`[for x in var.${name} : try(cidrsubnet(x, 0, 0), x)]`), `${name}: expected each block once, in whatever spelling.`),
  ],
  tags: (name: string) => rule(`alltrue([for k, v in var.${name} : length(k) <= 128 && length(v) <= 256])`, `${name}: expected tag keys of at most 128 and values of at most 256 characters.`),
};

export const PORT = (x: string) => inRangeExpr(x, RANGES.port);
export const PORT_TEXT = rangeText(RANGES.port);
export { ACM_CERTIFICATE_FORMAT, ListenerProtocol, HealthCheckProtocol, TargetIpAddressType, TargetType, RANGES, idFormat, rangeText };
