import { Construct } from "constructs";
import type * as ipaddr from "ipaddr.js";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { idPart, moveFromEarlierId } from "./terraform-address";
import { IPV4_CIDR_FORMAT, IPV6_CIDR_FORMAT, Problems, idFormat, isAnyAddress, isAwsId, isCidr, isNetworkCidr, isToken, networkCidr, parseCidr } from "./validation";

// Security group ingress from a list of clients, one rule per client, port and IP protocol: the
// direct clients of a load balancer's listeners (NetworkListener, DualStackNlb) and the clients
// of a ConsumerEndpoint. Internal: not exported from the package.

/** Clients a security group admits: other groups and CIDR blocks. */
export interface ClientSources {
  readonly securityGroupIds?: string[];
  readonly ipv4Cidrs?: string[];
  readonly ipv6Cidrs?: string[];
}

export type SourceList = keyof ClientSources;
const LISTS = ["securityGroupIds", "ipv4Cidrs", "ipv6Cidrs"] as const satisfies readonly SourceList[];

/** A client's part of its rules' construct ids. Two spellings of one CIDR get one key; two CIDRs never share one. */
export type SourceKey = (source: string) => string;

/**
 * A CIDR in its canonical text (IPv4 as four decimals; IPv6 as RFC 5952 writes it: lowercase,
 * the longest run of zero groups as ::), a group id as written; then made an id part. The
 * listeners' keys: until 0.2 they were the text as written, which is this same key for canonical
 * text (10.0.0.0/16, 2001:db8::/56), so only other spellings moved (see listener-placement.ts).
 */
export const canonicalSourceKey: SourceKey = (source) => {
  const cidr = parseCidr(source);
  return idPart(cidr ? `${cidr[0].toString()}/${cidr[1]}` : source);
};

/**
 * A CIDR with every IPv6 group written out (no ::), any other character than a letter or digit
 * as '_' (a group id's '-' too): ConsumerEndpoint's keys since its first version, kept so that no
 * endpoint rule's address changes. Unique like canonicalSourceKey, spelled differently for IPv6
 * blocks and group ids.
 */
export const expandedSourceKey: SourceKey = (source) => {
  const cidr = parseCidr(source);
  const text = cidr ? `${cidr[0].kind() === "ipv6" ? (cidr[0] as ipaddr.IPv6).toNormalizedString() : cidr[0].toString()}/${cidr[1]}` : source;
  return text.replace(/[^A-Za-z0-9]/g, "_");
};

/** A port the clients are admitted on. */
export interface ClientPort {
  readonly port: number;
  /** tcp, udp or both: what the listener on the port receives. */
  readonly ipProtocols: readonly string[];
  /** The port's part of the rules' ids: its listener's stable name, never the number, so that a moved port is updated in place. */
  readonly key: string;
}

/** What one ingress rule admits. */
export interface ClientRule {
  /** The list the client is in, and its index there. */
  readonly list: SourceList;
  readonly index: number;
  /** The client as written (a token for a value Terraform knows later). */
  readonly source: string;
  /** The client's part of the rule's id: its SourceKey, or its kind and position for a token. */
  readonly key: string;
  readonly port: number;
  readonly portKey: string;
  readonly ipProtocol: string;
}

export interface ClientIngressProps {
  /** The group that admits the clients. */
  readonly securityGroupId: string;
  readonly clients: ClientSources;
  readonly ports: readonly ClientPort[];
  readonly sourceKey: SourceKey;
  /** The construct id of a rule. */
  readonly id: (rule: ClientRule) => string;
  /** The id a rule had in an earlier version, for a moved block. @default - none */
  readonly earlierId?: (rule: ClientRule) => string | undefined;
  /** Who a rule's description says it admits: from the client as written, or undefined for a token. */
  readonly describeClient: (source: string | undefined) => string;
  readonly tags?: Record<string, string>;
}

/** One aws_vpc_security_group_ingress_rule per client, port and IP protocol, in `scope`: clients first, then ports. */
export function admitClients(scope: Construct, props: ClientIngressProps): (ClientRule & { readonly resource: VpcSecurityGroupIngressRule })[] {
  const sources = LISTS.flatMap((list) => (props.clients[list] ?? []).map((source, index) => ({ list, index, source })));
  return sources.flatMap(({ list, index, source }, s) => {
    const token = isToken(source);
    // A token's value is unknown here: its kind and position name it instead.
    const key = token ? `${KIND[list]}${s}` : props.sourceKey(source);
    return props.ports.flatMap(({ port, ipProtocols, key: portKey }) =>
      ipProtocols.map((ipProtocol) => {
        const rule: ClientRule = { list, index, source, key, port, portKey, ipProtocol };
        const resource = new VpcSecurityGroupIngressRule(scope, props.id(rule), {
          securityGroupId: props.securityGroupId,
          ipProtocol,
          fromPort: port,
          toPort: port,
          referencedSecurityGroupId: list === "securityGroupIds" ? source : undefined,
          cidrIpv4: list === "ipv4Cidrs" ? source : undefined,
          cidrIpv6: list === "ipv6Cidrs" ? source : undefined,
          description: `${ipProtocol.toUpperCase()} ${port} from ${props.describeClient(token ? undefined : source)}`,
          tags: props.tags,
        });
        const earlier = props.earlierId?.(rule);
        if (earlier !== undefined) moveFromEarlierId(resource, earlier);
        return { ...rule, resource };
      }),
    );
  });
}

const KIND: Record<SourceList, string> = { securityGroupIds: "sg", ipv4Cidrs: "ipv4", ipv6Cidrs: "ipv6" };

/** What checkClients expects where the two uses differ. */
export interface ClientChecks {
  /** What is expected instead of 0.0.0.0/0 or ::/0. @default - they are accepted */
  readonly anyAddress?: string;
  /** What is expected instead of a client listed twice, such as "each client once". */
  readonly once: string;
  /** Whole lists may be Terraform values (the caller builds their rules with for_each). @default false */
  readonly listTokens?: boolean;
}

/** What a load balancer's direct clients may be (NetworkListener, DualStackNlb). */
export const DIRECT_CLIENTS: ClientChecks = { anyAddress: "a narrower CIDR than the whole internet: the load balancer is internal", once: "each client once" };

/**
 * Checks the clients; paths are relative to them (ipv4Cidrs[0]). A client listed twice is
 * refused, also in two spellings of one CIDR (2001:db8::/56, 2001:DB8:0::/56): AWS refuses a
 * group's second rule for the same source and port.
 */
export function checkClients(from: ClientSources, p: Problems, checks: ClientChecks): void {
  for (const list of LISTS) {
    // One rule per client needs each client known at synth: a whole-list token cannot be split.
    if (!checks.listTokens) p.check(!(isToken(from[list]) && Array.isArray(from[list])), list, "a list token", "a list written out, one string (or single-value token) per client");
  }
  (from.securityGroupIds ?? []).forEach((g, i) => p.check(isAwsId("sg")(g), `securityGroupIds[${i}]`, g, idFormat("sg")));
  for (const [list, family, format] of [["ipv4Cidrs", "ipv4", IPV4_CIDR_FORMAT], ["ipv6Cidrs", "ipv6", IPV6_CIDR_FORMAT]] as const) {
    (from[list] ?? []).forEach((c, i) => {
      p.check(isCidr(c, family), `${list}[${i}]`, c, format);
      p.check(!isCidr(c, family) || isNetworkCidr(c), `${list}[${i}]`, c, `the network address of the block, ${networkCidr(c)}`);
      if (checks.anyAddress !== undefined) p.check(!isAnyAddress(c), `${list}[${i}]`, c, checks.anyAddress);
    });
  }
  for (const list of LISTS) {
    const first = new Map<string, string>();
    for (const c of (from[list] ?? []).filter((v) => !isToken(v))) {
      const key = canonicalSourceKey(c);
      const seen = first.get(key);
      if (seen === undefined) first.set(key, c);
      else p.add(list, c, seen === c ? checks.once : `${checks.once}: ${c} is ${seen}, written another way`);
    }
  }
}
