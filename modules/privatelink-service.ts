import { Construct } from "constructs";
import { DualStackNlb, DualStackNlbProps } from "./dual-stack-nlb";
import { EndpointService, EndpointServiceOptions } from "./endpoint-service";
import { PrivateDnsVerification, ServiceDomainVerificationProps } from "./private-dns-verification";
import { Problems } from "./validation";

export interface PrivateLinkServiceProps {
  /** The internal Network Load Balancer in front of the service: its VPC, subnets, listeners and targets. */
  readonly loadBalancer: DualStackNlbProps;
  /** The endpoint service on the load balancer (its load balancer ARNs are filled in). @default - acceptance required, no principals, IPv4 */
  readonly endpointService?: EndpointServiceOptions;
  /**
   * Verification of endpointService.privateDnsName: `{ hostedZone: { zoneName } }` writes the TXT
   * record in Route 53, `{}` leaves it to you (recordFqdn, recordValue). @default - none: required with a private DNS name
   */
  readonly domainVerification?: ServiceDomainVerificationProps;
}

/**
 * The provider side of PrivateLink in one construct: a dual-stack internal NLB, the endpoint
 * service on it and, with a private DNS name, the verification of its domain, wired in order.
 * Pair it with PrivateLinkConsumer in the same stack (one account), which adds the acceptance
 * and the private DNS step after the right things. Across accounts, use the app's stacks.
 */
export class PrivateLinkService extends Construct {
  /** The load balancer, its listeners and target groups. */
  readonly nlb: DualStackNlb;
  /** The endpoint service and its allowed principals. */
  readonly endpointService: EndpointService;
  /** The verification of the private DNS name's domain, when the service has one. */
  readonly domainVerification?: PrivateDnsVerification;
  /** Whether consumers' connections wait for acceptance, after the default. */
  readonly acceptanceRequired: boolean;

  constructor(scope: Construct, id: string, props: PrivateLinkServiceProps) {
    super(scope, id);
    const p = new Problems();
    const dnsName = props.endpointService?.privateDnsName;
    p.check(dnsName === undefined || props.domainVerification !== undefined, "domainVerification", props.domainVerification, "how to verify endpointService.privateDnsName: { hostedZone: { zoneName } } for Route 53, or {} to create the record yourself");
    p.check(dnsName !== undefined || props.domainVerification === undefined, "domainVerification", props.domainVerification, "no verification without endpointService.privateDnsName");
    p.throwIfAny("PrivateLinkService", this);

    this.nlb = new DualStackNlb(this, "LoadBalancer", props.loadBalancer);
    this.acceptanceRequired = props.endpointService?.acceptanceRequired ?? true;
    this.endpointService = new EndpointService(this, "EndpointService", { ...props.endpointService, networkLoadBalancerArns: [this.nlb.loadBalancerArn] });
    if (dnsName !== undefined && props.domainVerification) {
      const service = this.endpointService;
      this.domainVerification = new PrivateDnsVerification(this, "DomainVerification", {
        ...props.domainVerification,
        serviceId: service.serviceId,
        privateDnsName: dnsName,
        verificationName: service.privateDnsVerificationName,
        verificationValue: service.privateDnsVerificationValue,
      });
    }
  }
}
