import { Fn, ITerraformDependable, TerraformIterator, TerraformLocal, Token } from "cdktf";
import { Construct, IConstruct } from "constructs";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { DataAwsAvailabilityZones } from "@cdktf/provider-aws/lib/data-aws-availability-zones";
import { DataAwsSubnet } from "@cdktf/provider-aws/lib/data-aws-subnet";
import { DataAwsVpcEndpointService } from "@cdktf/provider-aws/lib/data-aws-vpc-endpoint-service";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { admitClients, checkClients, expandedSourceKey } from "./client-ingress";
import { ListenerProtocol, ipProtocolsOf } from "./network-listener";
import { attrOr, exprMap, exprString, hcl, ipProtocolsExpr, keyedById } from "./terraform-values";
import { PORT_RANGE, Problems, REGION_FORMAT, duplicates, idFormat, isAwsId, isPort, isRegion, isToken, parseZone } from "./validation";

/** IP address type of the endpoint's network interfaces. */
export enum EndpointIpAddressType {
  IPV4 = "ipv4",
  /** IPv4 and IPv6: needs a service that supports both and dual-stack subnets. */
  DUALSTACK = "dualstack",
  /** IPv6 only: needs IPv6-only or dual-stack subnets. */
  IPV6 = "ipv6",
}

/** Which records the endpoint's DNS names get. */
export enum DnsRecordIpType {
  /** A records. */
  IPV4 = "ipv4",
  /** A and AAAA records. */
  DUALSTACK = "dualstack",
  /** AAAA records. */
  IPV6 = "ipv6",
  /** What the service's supported IP address types allow. */
  SERVICE_DEFINED = "service-defined",
}

/** A port the endpoint serves: a listener of the service. */
export interface EndpointPort {
  /** Listener port of the service, 1 to 65535. */
  readonly port: number;
  /** Listener protocol; sets which IP protocols (TCP, UDP or both) the security group opens. @default ListenerProtocol.TCP */
  readonly protocol?: ListenerProtocol;
  /**
   * Stable name of the port's ingress rules in Terraform addresses (the listener's id): letters,
   * digits, '-' and '_'. A port change then updates the rules in place.
   * @default - its position in `ports`: "0", "1"...
   */
  readonly id?: string;
}

/** Who may reach the endpoint. */
export interface EndpointAllowFrom {
  /** Client security groups (in the endpoint's VPC or a peered one). @default - none */
  readonly securityGroupIds?: string[];
  /** Client IPv4 CIDRs. @default - none */
  readonly ipv4Cidrs?: string[];
  /** Client IPv6 CIDRs; they need a dualstack or ipv6 endpoint. @default - none */
  readonly ipv6Cidrs?: string[];
  /** Accept 0.0.0.0/0 or ::/0 in the CIDR lists; without it they are refused. @default false */
  readonly allowAnyAddress?: boolean;
}

/** Where an ingress rule's source comes from: a list of allowFrom and the index in it. */
export interface IngressRuleSource {
  /** The allowFrom list: securityGroupIds, ipv4Cidrs or ipv6Cidrs. */
  readonly list: "securityGroupIds" | "ipv4Cidrs" | "ipv6Cidrs";
  /** The index of the source in that list. */
  readonly index: number;
}

/**
 * An interface endpoint's settings apart from the service it connects to (its name and ports),
 * private DNS and what it waits for: PrivateLinkConsumer takes these and fills in the rest from
 * the service.
 */
export interface ConsumerEndpointOptions {
  /** Id of the VPC the endpoint's network interfaces are created in. */
  readonly vpcId: string;
  /** One subnet per Availability Zone where the endpoint gets a network interface (a Terraform list is fine: the zone check then reads the subnets with one data source with for_each). */
  readonly subnetIds: string[];
  /** Sources allowed in on the service's ports (and only those); there is no egress rule. Each list may be a Terraform list: the ingress rules are then one resource with for_each, keyed by port id, IP protocol and client. */
  readonly allowFrom: EndpointAllowFrom;
  /** IP address type of the endpoint's network interfaces. @default EndpointIpAddressType.IPV4 */
  readonly ipAddressType?: EndpointIpAddressType;
  /** Records (A, AAAA or both) the endpoint's DNS names get. @default - matches ipAddressType */
  readonly dnsRecordIpType?: DnsRecordIpType;
  /** Region of the service, for cross-region PrivateLink. @default - the endpoint's own region */
  readonly serviceRegion?: string;
  /**
   * Check at plan time that each subnet lies in a zone the service serves (AWS refuses the
   * endpoint otherwise), through an aws_vpc_endpoint_service data source in this account. Zones
   * are compared by zone id (the same physical zone in every account; a name may not be), mapped
   * from this account's names with an aws_availability_zones data source.
   * @default true, except for a cross-region endpoint (serviceRegion)
   */
  readonly checkServiceZones?: boolean;
  /** The zones of subnetIds, in the same order, when known (created subnets): names or zone ids. @default - looked up (an aws_subnet data source per subnet) */
  readonly subnetAvailabilityZones?: string[];
  /** More security groups to attach besides the endpoint's own. @default - none */
  readonly additionalSecurityGroupIds?: string[];
  /** Tags for the endpoint, its security group and its ingress rules. @default - no tags beyond the provider's default tags */
  readonly tags?: Record<string, string>;
}

export interface ConsumerEndpointProps extends ConsumerEndpointOptions {
  /** Service name, such as com.amazonaws.vpce.us-west-2.vpce-svc-0123 (a remote-state token is fine). */
  readonly serviceName: string;
  /**
   * The service's listener ports: the only ports the security group opens. May be a Terraform
   * list, or map keyed by port id, of `{ port, protocol, id }` objects (DualStackNlb's
   * listenerPorts when its listeners are a Terraform value): the ingress rules are then one
   * resource with for_each.
   */
  readonly ports: EndpointPort[];
  /** Resolve the service's private DNS name to this endpoint inside the VPC. Needs an accepted connection and a verified domain. @default false */
  readonly privateDnsEnabled?: boolean;
  /**
   * Resources the endpoint waits for: the domain verification, when private DNS is on from
   * creation (a service without acceptance) and the verification is in the same stack. @default - none
   */
  readonly dependsOn?: ITerraformDependable[];
}

/** An Availability Zone name at the end of a zonal endpoint DNS label (vpce-0abc-1def-us-west-2a). */
const ZONE_SUFFIX = "^.+-([a-z]{2}(?:-gov)?-[a-z]+-[0-9]+[a-z])$";

/**
 * A consumer's interface VPC endpoint to an endpoint service, with its own least-privilege
 * security group: ingress only on the service's ports from the given sources, no egress.
 */
export class ConsumerEndpoint extends Construct {
  /** The aws_vpc_endpoint resource. */
  readonly endpoint: VpcEndpoint;
  /** The aws_security_group resource: the endpoint's own least-privilege group. */
  readonly securityGroup: SecurityGroup;
  /** Endpoint id, vpce-... (the endpoint's id attribute). */
  readonly endpointId: string;
  /** pendingAcceptance, available, rejected... */
  readonly endpointState: string;
  /** Regional DNS names of the endpoint. */
  readonly dnsNames: string[];
  /** Availability Zone -> zonal DNS name. */
  readonly zonalDnsNames: Record<string, string>;
  /** Ids of the endpoint's network interfaces, one per subnet (the network_interface_ids attribute). */
  readonly networkInterfaceIds: string[];
  /** Id of the endpoint's own security group, sg-... (the group's id attribute). */
  readonly securityGroupId: string;
  /** IP address type of the endpoint's network interfaces, after the default. */
  readonly ipAddressType: EndpointIpAddressType;
  /** The aws_vpc_security_group_ingress_rule resources, one per source, port and IP protocol. */
  readonly ingressRules: VpcSecurityGroupIngressRule[] = [];
  /** For each of ingressRules, in the same order: the allowFrom list and the index of its source. */
  readonly ingressRuleSources: IngressRuleSource[] = [];

  constructor(scope: Construct, id: string, props: ConsumerEndpointProps) {
    super(scope, id);
    validate(this, props);
    this.ipAddressType = props.ipAddressType ?? EndpointIpAddressType.IPV4;

    // No egress block: Terraform removes AWS's default allow-all egress rule from new groups.
    this.securityGroup = new SecurityGroup(this, "SecurityGroup", {
      vpcId: props.vpcId,
      namePrefix: "privatelink-endpoint-",
      description: "Interface endpoint: service ports from allowed clients only",
      tags: props.tags,
      lifecycle: { createBeforeDestroy: true },
    });
    this.securityGroupId = this.securityGroup.id;

    const from = props.allowFrom ?? {};
    if (isToken(props.ports) || isToken(from.securityGroupIds) || isToken(from.ipv4Cidrs) || isToken(from.ipv6Cidrs)) {
      // Ports or clients as Terraform values: one rule resource with for_each over them all.
      this.ingressRules.push(this.admitClientsForEach(props));
    } else {
      for (const { resource, list, index } of admitClients(this, {
        securityGroupId: this.securityGroupId,
        clients: props.allowFrom,
        // The address names the port by its listener, not its number: a moved port is updated in place.
        ports: props.ports.map(({ port, protocol, id }, i) => ({ port, ipProtocols: ipProtocolsOf(protocol), key: id ?? String(i) })),
        sourceKey: expandedSourceKey,
        id: (rule) => `Ingress-${rule.portKey}-${rule.ipProtocol}-${rule.key}`,
        // Before 0.2 the address held the port number; a moved block carries that state over.
        earlierId: (rule) => (isToken(rule.port) ? undefined : `Ingress-${rule.ipProtocol}${rule.port}-${rule.key}`),
        describeClient: (client) => client ?? "allowed client",
        tags: props.tags,
      })) {
        this.ingressRules.push(resource);
        this.ingressRuleSources.push({ list, index });
      }
    }

    this.endpoint = new VpcEndpoint(this, "Endpoint", {
      vpcId: props.vpcId,
      serviceName: props.serviceName,
      vpcEndpointType: "Interface",
      subnetIds: props.subnetIds,
      securityGroupIds: isToken(props.additionalSecurityGroupIds)
        ? Fn.concat([[this.securityGroupId], props.additionalSecurityGroupIds])
        : [this.securityGroupId, ...(props.additionalSecurityGroupIds ?? [])],
      ipAddressType: this.ipAddressType,
      dnsOptions: { dnsRecordIpType: props.dnsRecordIpType ?? defaultDnsRecordIpType(this.ipAddressType) },
      privateDnsEnabled: props.privateDnsEnabled ?? false,
      serviceRegion: props.serviceRegion,
      tags: props.tags,
      dependsOn: props.dependsOn,
    });
    if (props.checkServiceZones ?? props.serviceRegion === undefined) {
      if (isToken(props.subnetIds)) this.checkServiceZonesForEach(props);
      else this.checkServiceZones(props);
    }
    this.endpointId = this.endpoint.id;
    this.endpointState = this.endpoint.state;
    this.networkInterfaceIds = this.endpoint.networkInterfaceIds;
    const names = `distinct(${this.endpoint.fqn}.dns_entry[*].dns_name)`;
    const label = `split(".", n)[0]`;
    this.dnsNames = Token.asList(`\${[for n in ${names} : n if strcontains(n, ".vpce.amazonaws.com") && !can(regex("${ZONE_SUFFIX}", ${label}))]}`);
    this.zonalDnsNames = Token.asStringMap(`\${{for n in ${names} : regex("${ZONE_SUFFIX}", ${label})[0] => n if can(regex("${ZONE_SUFFIX}", ${label}))}}`);
  }

  /**
   * One ingress rule per client, port and IP protocol when the ports or a client list are
   * Terraform values: one resource with for_each, keyed `<port id>/<ip protocol>/<client>`. What
   * the prop checks judge of written clients and matters for security, preconditions judge here.
   */
  private admitClientsForEach(props: ConsumerEndpointProps): VpcSecurityGroupIngressRule {
    const from = props.allowFrom ?? {};
    const ports = isToken(props.ports) ? props.ports : props.ports.map((p, i) => ({ id: p.id ?? String(i), port: p.port, protocol: p.protocol }));
    const sources = ([["sg", from.securityGroupIds], ["ipv4", from.ipv4Cidrs], ["ipv6", from.ipv6Cidrs]] as const).map(([kind, list]) => `[for s in ${hcl(list ?? [])} : { kind = "${kind}", value = s }]`);
    const protocol = `upper(${attrOr("p.protocol", "TCP")})`;
    const rules = new TerraformLocal(
      this,
      "IngressRules",
      exprMap(
        `{ for r in flatten([for k, p in ${keyedById(hcl(ports))} : [for proto in ${ipProtocolsExpr(protocol)} : [for s in concat(${sources.join(", ")}) : ` +
          // (a block by its canonical text, as cidrsubnet writes it: two spellings of one block share a key, as AWS takes them for one rule)
          `{ key = format("%s/%s/%s", k, proto, try(cidrsubnet(s.value, 0, 0), s.value)), port = p.port, ip_protocol = proto, kind = s.kind, source = s.value }]]]) : r.key => r }`,
      ),
    );
    return new VpcSecurityGroupIngressRule(this, "Ingress", {
      forEach: TerraformIterator.fromMap(rules.asAnyMap),
      securityGroupId: this.securityGroupId,
      ipProtocol: Token.asString("${each.value.ip_protocol}"),
      fromPort: Token.asNumber("${each.value.port}"),
      toPort: Token.asNumber("${each.value.port}"),
      referencedSecurityGroupId: Token.asString('${each.value.kind == "sg" ? each.value.source : null}'),
      cidrIpv4: Token.asString('${each.value.kind == "ipv4" ? each.value.source : null}'),
      cidrIpv6: Token.asString('${each.value.kind == "ipv6" ? each.value.source : null}'),
      description: Token.asString('${format("%s %d from %s", upper(each.value.ip_protocol), each.value.port, each.value.source)}'),
      tags: props.tags,
      lifecycle: {
        precondition: [
          {
            condition: exprString(`${hcl(from.allowAnyAddress ?? false)} || each.value.kind == "sg" || !can(regex("/0+$", each.value.source))`),
            errorMessage: "allowFrom: ${each.value.source} admits the whole internet: expected a narrower CIDR, or allowFrom.allowAnyAddress: true.",
          },
          {
            condition: exprString(`each.value.kind == "sg" || (can(cidrhost(each.value.source, 0)) && strcontains(each.value.source, ":") == (each.value.kind == "ipv6"))`),
            errorMessage: "allowFrom: ${each.value.source} is not an ${each.value.kind} CIDR block: expected one such as 10.0.0.0/16 (ipv4) or 2001:db8::/56 (ipv6).",
          },
          {
            condition: exprString(`each.value.kind != "ipv6" || ${hcl(props.ipAddressType ?? EndpointIpAddressType.IPV4)} != "ipv4"`),
            // (no quotes in a message with interpolations: cdktf's HCL output leaves them unescaped)
            errorMessage: "allowFrom: ${each.value.source} is an IPv6 client of an ipv4 endpoint: expected ipAddressType dualstack or ipv6.",
          },
        ],
      },
    });
  }

  /** The zone check for subnets given as a Terraform list: one aws_subnet data source with for_each, one precondition over them all. */
  private checkServiceZonesForEach(props: ConsumerEndpointProps): void {
    const { served } = this.servedZones(props);
    // Keyed by position: subnets created in the same apply have ids only then, but their number is known.
    const byPosition = exprMap(`{ for i, s in ${hcl(props.subnetIds)} : tostring(i) => s }`);
    const subnets = new DataAwsSubnet(this, "Subnet", { forEach: TerraformIterator.fromMap(byPosition), id: Token.asString("${each.value}") });
    const outside = `[for s in ${subnets.fqn} : format("%s in %s (%s)", s.id, s.availability_zone_id, s.availability_zone) if !contains(${served}, s.availability_zone_id)]`;
    this.endpoint.lifecycle = {
      ...this.endpoint.lifecycle,
      precondition: [
        {
          condition: `\${length(${outside}) == 0}`,
          errorMessage: `Subnets outside the zones the endpoint service ${props.serviceName} serves: \${join(", ", ${outside})}; it serves \${join(", ", ${served})} (zone ids, the same in every account). Use subnets in those zones, or ask the provider to add these zones to the load balancer.`,
        },
      ],
    };
  }

  /** The service's zones as ids, mapped from this account's zone names: `served`; `idOf` maps a name expression. */
  private servedZones(props: ConsumerEndpointProps): { served: string; idOf: (name: string) => string } {
    const service = new DataAwsVpcEndpointService(this, "Service", { serviceName: props.serviceName });
    const zones = new DataAwsAvailabilityZones(this, "Zones", {});
    const idOf = (name: string) => `lookup(zipmap(${zones.fqn}.names, ${zones.fqn}.zone_ids), ${name}, ${name})`;
    return { served: `[for n in ${service.fqn}.availability_zones : ${idOf("n")}]`, idOf };
  }

  /** One precondition per subnet: its zone id is one of the zones the service serves. */
  private checkServiceZones(props: ConsumerEndpointProps): void {
    // The service lists its zones by this account's names: they are mapped to ids here.
    const { served, idOf } = this.servedZones(props);
    const precondition = props.subnetIds.map((subnetId, i) => {
      const given = props.subnetAvailabilityZones?.[i];
      let zoneId: string;
      let shown: string;
      if (given === undefined) {
        const subnet = new DataAwsSubnet(this, `Subnet${i}`, { id: subnetId });
        zoneId = `${subnet.fqn}.availability_zone_id`;
        shown = `\${${subnet.fqn}.availability_zone_id} (\${${subnet.fqn}.availability_zone})`;
      } else if (parseZone(given)?.kind === "id") {
        zoneId = JSON.stringify(given);
        shown = given;
      } else {
        zoneId = idOf(JSON.stringify(given));
        shown = `\${${zoneId}} (${given})`;
      }
      return {
        condition: `\${contains(${served}, ${zoneId})}`,
        errorMessage: `Subnet ${subnetId} is in ${shown}, a zone the endpoint service ${props.serviceName} does not serve: it serves \${join(", ", ${served})} (zone ids, the same in every account). Use subnets in those zones, or ask the provider to add this zone to the load balancer.`,
      };
    });
    this.endpoint.lifecycle = { ...this.endpoint.lifecycle, precondition };
  }
}

export function defaultDnsRecordIpType(ipAddressType: EndpointIpAddressType): DnsRecordIpType {
  return { ipv4: DnsRecordIpType.IPV4, dualstack: DnsRecordIpType.DUALSTACK, ipv6: DnsRecordIpType.IPV6 }[ipAddressType];
}

/** DNS record IP types that AWS accepts for each endpoint IP address type. */
export const COMPATIBLE_DNS_RECORD_IP_TYPES: Record<EndpointIpAddressType, DnsRecordIpType[]> = {
  ipv4: [DnsRecordIpType.IPV4, DnsRecordIpType.SERVICE_DEFINED],
  dualstack: [DnsRecordIpType.IPV4, DnsRecordIpType.DUALSTACK, DnsRecordIpType.IPV6, DnsRecordIpType.SERVICE_DEFINED],
  ipv6: [DnsRecordIpType.IPV6, DnsRecordIpType.SERVICE_DEFINED],
};

function validate(scope: IConstruct, props: ConsumerEndpointProps): void {
  const p = new Problems();
  checkConsumerEndpointProps(props, p);
  p.throwIfAny("ConsumerEndpoint", scope);
}

/** Checks ConsumerEndpoint props without building anything; problems go to `p`. */
export function checkConsumerEndpointProps(props: ConsumerEndpointProps, p: Problems): void {
  const ipType = props.ipAddressType ?? EndpointIpAddressType.IPV4;
  p.check(typeof props.serviceName === "string" && /^(com\.amazonaws\.|aws\.)[a-z0-9.-]+$/.test(props.serviceName), "serviceName", props.serviceName, "an endpoint service name such as com.amazonaws.vpce.us-west-2.vpce-svc-0123456789abcdef0");
  p.check(isAwsId("vpc")(props.vpcId), "vpcId", props.vpcId, idFormat("vpc"));
  if (!isToken(props.subnetIds)) {
    p.check(Array.isArray(props.subnetIds) && props.subnetIds.length > 0, "subnetIds", props.subnetIds, "at least one subnet id, one per Availability Zone");
    (props.subnetIds ?? []).forEach((s, i) => p.check(isAwsId("subnet")(s), `subnetIds[${i}]`, s, idFormat("subnet")));
    for (const d of duplicates(props.subnetIds ?? [])) p.add("subnetIds", d, "each subnet once");
  }
  p.check(Array.isArray(props.ports) && props.ports.length > 0, "ports", props.ports, "at least one of the service's listener ports, such as [{ port: 443 }]");
  const ports = isToken(props.ports) ? [] : (props.ports ?? []);
  ports.forEach((port, i) => {
    p.check(isPort(port.port), `ports[${i}].port`, port.port, PORT_RANGE);
    p.check(port.protocol === undefined || Object.values(ListenerProtocol).includes(port.protocol), `ports[${i}].protocol`, port.protocol, `one of ${Object.values(ListenerProtocol).join(", ")}`);
  });
  for (const d of duplicates(ports.map((x) => x.port))) p.add("ports", d, "each port once");
  ports.forEach((port, i) => {
    if (port.id !== undefined) p.check(typeof port.id === "string" && /^[A-Za-z0-9_-]{1,32}$/.test(port.id), `ports[${i}].id`, port.id, "1 to 32 letters, digits, '-' and '_'");
  });
  for (const d of duplicates(ports.map((x, i) => x.id ?? String(i)))) p.add("ports", d, "each port id once");
  p.check(Object.values(EndpointIpAddressType).includes(ipType), "ipAddressType", props.ipAddressType, `one of ${Object.values(EndpointIpAddressType).join(", ")}`);
  if (props.dnsRecordIpType !== undefined && Object.values(EndpointIpAddressType).includes(ipType)) {
    p.check(COMPATIBLE_DNS_RECORD_IP_TYPES[ipType].includes(props.dnsRecordIpType), "dnsRecordIpType", props.dnsRecordIpType, `one of ${COMPATIBLE_DNS_RECORD_IP_TYPES[ipType].join(", ")} for an ${ipType} endpoint`);
  }
  const from = props.allowFrom ?? {};
  const all = [...(from.securityGroupIds ?? []), ...(from.ipv4Cidrs ?? []), ...(from.ipv6Cidrs ?? [])];
  p.check(all.length > 0, "allowFrom", props.allowFrom, "at least one client in securityGroupIds, ipv4Cidrs or ipv6Cidrs: the endpoint admits nobody else");
  const anyAddress = from.allowAnyAddress === true ? undefined : "a narrower CIDR than the whole internet, or allowFrom.allowAnyAddress: true";
  checkClients(from, p.scoped((at) => `allowFrom.${at}`), { anyAddress, once: "each source once", listTokens: true });
  if (ipType === EndpointIpAddressType.IPV4) {
    (from.ipv6Cidrs ?? []).forEach((c, i) => p.check(false, `allowFrom.ipv6Cidrs[${i}]`, c, 'no IPv6 sources for an ipv4 endpoint (set ipAddressType to "dualstack" or "ipv6")'));
  }
  (props.additionalSecurityGroupIds ?? []).forEach((s, i) => p.check(isAwsId("sg")(s), `additionalSecurityGroupIds[${i}]`, s, idFormat("sg")));
  p.check(props.serviceRegion === undefined || isRegion(props.serviceRegion), "serviceRegion", props.serviceRegion, REGION_FORMAT);
}
