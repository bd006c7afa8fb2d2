import { TerraformIterator, Token } from "cdktf";
import { Construct, IConstruct } from "constructs";
import { VpcEndpointConnectionNotification } from "@cdktf/provider-aws/lib/vpc-endpoint-connection-notification";
import { VpcEndpointService } from "@cdktf/provider-aws/lib/vpc-endpoint-service";
import { VpcEndpointServiceAllowedPrincipal } from "@cdktf/provider-aws/lib/vpc-endpoint-service-allowed-principal";
import { ReplacementTrigger } from "./replacement-trigger";
import { exprNumber, hcl } from "./terraform-values";
import { DOMAIN_FORMAT, GWLB_ARN_FORMAT, NLB_ARN_FORMAT, PRINCIPAL_FORMAT, Problems, REGION_FORMAT, duplicates, isArn, isDomainName, isLoadBalancerArn, isPrincipal, isRegion, isToken } from "./validation";

/** IP address types an endpoint service accepts from consumers. */
export enum ServiceIpAddressType {
  IPV4 = "ipv4",
  /** Needs dual-stack load balancers. */
  IPV6 = "ipv6",
}

/** Events that trigger a connection notification. */
export enum ConnectionEvent {
  CONNECT = "Connect",
  ACCEPT = "Accept",
  REJECT = "Reject",
  DELETE = "Delete",
}

/** Sends endpoint connection events to an SNS topic. */
export interface ConnectionNotificationProps {
  /** ARN of the SNS topic. */
  readonly topicArn: string;
  /**
   * Whether to create the notification: false for none. A Terraform bool (a module variable)
   * decides when Terraform plans, through the resource's count. @default true
   */
  readonly enabled?: boolean;
  /** Connection events that trigger a notification. @default - all four events */
  readonly events?: ConnectionEvent[];
}

/** An endpoint service's settings, apart from the load balancers behind it (PrivateLinkService fills those in). */
export interface EndpointServiceOptions {
  /** Each consumer connection waits for the provider to accept it. @default true */
  readonly acceptanceRequired?: boolean;
  /**
   * Principals allowed to create endpoints, one `aws_vpc_endpoint_service_allowed_principal` each.
   * A Terraform list (a module variable) gives one such resource with for_each, keyed by principal.
   * @default - nobody
   */
  readonly allowedPrincipals?: string[];
  /** IP address types consumers' endpoints may use; ipv6 needs dual-stack load balancers. @default [ServiceIpAddressType.IPV4] */
  readonly supportedIpAddressTypes?: ServiceIpAddressType[];
  /** Name consumers resolve through private DNS; its domain must be verified. @default - no private DNS name */
  readonly privateDnsName?: string;
  /** Other regions whose consumers may connect (cross-region PrivateLink). @default - only the service's own region */
  readonly supportedRegions?: string[];
  /** Send endpoint connection events to an SNS topic. @default - no notifications */
  readonly connectionNotification?: ConnectionNotificationProps;
  /** Tags for the endpoint service. @default - no tags beyond the provider's default tags */
  readonly tags?: Record<string, string>;
}

export interface EndpointServiceProps extends EndpointServiceOptions {
  /** ARNs of the Network Load Balancers behind the service (an interface endpoint service). @default - none: give gatewayLoadBalancerArns */
  readonly networkLoadBalancerArns?: string[];
  /** ARNs of Gateway Load Balancers (a GatewayLoadBalancer endpoint service). @default - none: give networkLoadBalancerArns */
  readonly gatewayLoadBalancerArns?: string[];
}

/**
 * A VPC endpoint service on Network (or Gateway) Load Balancers, with its allowed principals,
 * supported IP address types, private DNS name and connection notifications.
 */
export class EndpointService extends Construct {
  /** The aws_vpc_endpoint_service resource. */
  readonly service: VpcEndpointService;
  /** Endpoint service id, vpce-svc-... (the service's id attribute). */
  readonly serviceId: string;
  /** Name consumers create endpoints to, com.amazonaws.vpce.<region>.vpce-svc-... (service_name). */
  readonly serviceName: string;
  /** ARN of the endpoint service (its arn attribute). */
  readonly serviceArn: string;
  /** Interface or GatewayLoadBalancer (the service_type attribute). */
  readonly serviceType: string;
  /** Availability Zones the service is available in (the availability_zones attribute). */
  readonly availabilityZones: string[];
  /** IP address types the service supports (the supported_ip_address_types attribute). */
  readonly supportedIpAddressTypes: string[];
  /** The private DNS name given in the props, if any. */
  readonly privateDnsName?: string;
  /** Name of the TXT record that proves ownership of the private DNS name's domain. */
  readonly privateDnsVerificationName: string;
  /** Value of that TXT record. */
  readonly privateDnsVerificationValue: string;
  /** Record type, "TXT". */
  readonly privateDnsVerificationType: string;
  /** pendingVerification, verified or failed. */
  readonly privateDnsVerificationState: string;
  /** A terraform_data resource replaced whenever the private DNS name changes (see the verification fields). */
  readonly privateDnsNameChange: ReplacementTrigger;
  /** The aws_vpc_endpoint_service_allowed_principal resources, one per principal. */
  readonly allowedPrincipals: VpcEndpointServiceAllowedPrincipal[];
  /** The aws_vpc_endpoint_connection_notification resource, when connectionNotification is given and not disabled. */
  readonly notification?: VpcEndpointConnectionNotification;

  constructor(scope: Construct, id: string, props: EndpointServiceProps) {
    super(scope, id);
    validate(this, props);
    const supported = props.supportedIpAddressTypes ?? [ServiceIpAddressType.IPV4];

    this.service = new VpcEndpointService(this, "Service", {
      acceptanceRequired: props.acceptanceRequired ?? true,
      networkLoadBalancerArns: props.networkLoadBalancerArns,
      gatewayLoadBalancerArns: props.gatewayLoadBalancerArns,
      supportedIpAddressTypes: supported,
      privateDnsName: props.privateDnsName,
      supportedRegions: props.supportedRegions,
      tags: props.tags,
      // Principals are managed only by aws_vpc_endpoint_service_allowed_principal: the inline
      // allowed_principals list and those resources would undo each other on every apply.
      lifecycle: { ignoreChanges: ["allowed_principals"] },
    });
    this.serviceId = this.service.id;
    this.serviceName = this.service.serviceName;
    this.serviceArn = this.service.arn;
    this.serviceType = this.service.serviceType;
    this.availabilityZones = this.service.availabilityZones;
    this.supportedIpAddressTypes = this.service.supportedIpAddressTypes;
    this.privateDnsName = props.privateDnsName;
    // A new private DNS name gets a new challenge, but Terraform keeps the planned (old) value of
    // a computed attribute that an in-place update changes wherever it is read during that apply,
    // outputs included. Read through a resource replaced with the name, the challenge is unknown
    // at plan time and read after the update. Empty strings when there is no private DNS name.
    this.privateDnsNameChange = new ReplacementTrigger(this, "PrivateDnsNameChange", { privateDnsName: this.service.privateDnsName });
    const challenge = (field: string): string =>
      Token.asString(`\${${this.privateDnsNameChange.fqn}.id == "" ? "" : try(${this.service.fqn}.private_dns_name_configuration[0].${field}, "")}`);
    this.privateDnsVerificationName = challenge("name");
    this.privateDnsVerificationValue = challenge("value");
    this.privateDnsVerificationType = challenge("type");
    this.privateDnsVerificationState = challenge("state");

    const principals = props.allowedPrincipals ?? [];
    // A Terraform list of principals: one resource with for_each, keyed by the principal.
    this.allowedPrincipals = isToken(principals)
      ? [allowedPrincipals(this, this.service.id, principals)]
      : principals.map(
      (principal, i) =>
        new VpcEndpointServiceAllowedPrincipal(this, isToken(principal) ? `AllowedPrincipal${i}` : `AllowedPrincipal-${principal}`, {
          vpcEndpointServiceId: this.service.id,
          principalArn: principal,
        }),
    );

    const enabled = props.connectionNotification?.enabled;
    if (props.connectionNotification && enabled !== false) {
      this.notification = new VpcEndpointConnectionNotification(this, "ConnectionNotification", {
        count: isToken(enabled) ? exprNumber(`${hcl(enabled)} ? 1 : 0`) : undefined,
        vpcEndpointServiceId: this.service.id,
        connectionNotificationArn: props.connectionNotification.topicArn,
        connectionEvents: props.connectionNotification.events ?? Object.values(ConnectionEvent),
      });
    }
  }
}

/** One aws_vpc_endpoint_service_allowed_principal per element of a Terraform list of principals. */
function allowedPrincipals(scope: Construct, serviceId: string, principals: string[]): VpcEndpointServiceAllowedPrincipal {
  const forEach = TerraformIterator.fromList(principals);
  return new VpcEndpointServiceAllowedPrincipal(scope, "AllowedPrincipal", { forEach, vpcEndpointServiceId: serviceId, principalArn: forEach.value });
}

function validate(scope: IConstruct, props: EndpointServiceProps): void {
  const p = new Problems();
  checkEndpointServiceProps(props, p);
  p.throwIfAny("EndpointService", scope);
}

/** Checks EndpointService props without building anything; problems go to `p`. */
export function checkEndpointServiceProps(props: EndpointServiceProps, p: Problems): void {
  const nlb = props.networkLoadBalancerArns ?? [];
  const gwlb = props.gatewayLoadBalancerArns ?? [];
  if (!isToken(nlb) && !isToken(gwlb)) {
    p.check((nlb.length > 0) !== (gwlb.length > 0), "networkLoadBalancerArns", props.networkLoadBalancerArns, "at least one load balancer ARN in exactly one of networkLoadBalancerArns and gatewayLoadBalancerArns");
  }
  if (!isToken(nlb)) nlb.forEach((a, i) => p.check(isLoadBalancerArn(a, "net"), `networkLoadBalancerArns[${i}]`, a, NLB_ARN_FORMAT));
  if (!isToken(gwlb)) gwlb.forEach((a, i) => p.check(isLoadBalancerArn(a, "gwy"), `gatewayLoadBalancerArns[${i}]`, a, GWLB_ARN_FORMAT));
  const principals = props.allowedPrincipals ?? [];
  if (!isToken(principals)) {
    principals.forEach((a, i) => p.check(isPrincipal(a), `allowedPrincipals[${i}]`, a, PRINCIPAL_FORMAT));
    for (const d of duplicates(principals)) p.add("allowedPrincipals", d, "each principal once");
  }
  const types = props.supportedIpAddressTypes;
  if (types !== undefined && !isToken(types)) {
    p.check(types.length > 0, "supportedIpAddressTypes", types, '"ipv4", "ipv6" or both');
    types.forEach((t, i) => p.check(Object.values(ServiceIpAddressType).includes(t), `supportedIpAddressTypes[${i}]`, t, '"ipv4" or "ipv6"'));
    for (const d of duplicates(types)) p.add("supportedIpAddressTypes", d, "each IP address type once");
  }
  if (props.privateDnsName !== undefined) {
    p.check(isDomainName(props.privateDnsName, true), "privateDnsName", props.privateDnsName, DOMAIN_FORMAT);
    p.check(!props.privateDnsName.endsWith("."), "privateDnsName", props.privateDnsName, `the name without its trailing dot, ${JSON.stringify(props.privateDnsName.replace(/\.+$/, ""))}: AWS takes it as written`);
    p.check(gwlb.length === 0, "privateDnsName", props.privateDnsName, "no private DNS name: Gateway Load Balancer endpoint services do not support one");
  }
  const regions = props.supportedRegions ?? [];
  if (!isToken(regions)) {
    regions.forEach((r, i) => p.check(isRegion(r), `supportedRegions[${i}]`, r, REGION_FORMAT));
    for (const d of duplicates(regions)) p.add("supportedRegions", d, "each region once");
  }
  const n = props.connectionNotification;
  if (n) {
    p.check(isArn(n.topicArn, "sns"), "connectionNotification.topicArn", n.topicArn, "an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>)");
    if (n.events !== undefined) {
      p.check(n.events.length > 0, "connectionNotification.events", n.events, `one or more of ${Object.values(ConnectionEvent).join(", ")}`);
      n.events.forEach((e, i) => p.check(Object.values(ConnectionEvent).includes(e), `connectionNotification.events[${i}]`, e, `one of ${Object.values(ConnectionEvent).join(", ")}`));
    }
  }
}
