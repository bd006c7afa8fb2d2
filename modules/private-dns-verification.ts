import { Fn, TerraformProvider } from "cdktf";
import { Construct, IConstruct } from "constructs";
import { DataAwsRoute53Zone } from "@cdktf/provider-aws/lib/data-aws-route53-zone";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { VpcEndpointServicePrivateDnsVerification } from "@cdktf/provider-aws/lib/vpc-endpoint-service-private-dns-verification";
import { ReplacementTrigger } from "./replacement-trigger";
import { DOMAIN_FORMAT, Problems, isDomainName, isToken, isWithinDomain } from "./validation";

/** The public hosted zone that holds the verification record. */
export interface VerificationHostedZone {
  /** Zone id; used as is. @default - looked up by zoneName */
  readonly zoneId?: string;
  /** Zone name, such as example.com: looked up as a public hosted zone when zoneId is not given. @default - none */
  readonly zoneName?: string;
}

/**
 * How a service's private DNS name is verified: a TXT record in a Route 53 zone, or one created
 * by hand; whether to start the verification and wait for it. PrivateLinkService takes these
 * (it fills in the service's side); PrivateDnsVerification takes them with the service's values.
 */
export interface ServiceDomainVerificationProps {
  /** Domain under which the TXT record goes: the private DNS name's domain or a parent of it. @default - the private DNS name without a leading "*." */
  readonly recordDomain?: string;
  /** Route 53 mode: create the TXT record in this zone. @default - external mode: no record; recordFqdn, recordType and recordValue say what to create */
  readonly hostedZone?: VerificationHostedZone;
  /** Provider of the account that owns the hosted zone, when it is not the service's. @default - the stack's default AWS provider */
  readonly hostedZoneProvider?: TerraformProvider;
  /** TTL of the TXT record in seconds. @default 300 */
  readonly ttl?: number;
  /** Ask AWS to verify the domain. In external mode, turn it on once the record exists. @default true in Route 53 mode or when waitForVerification is true, else false */
  readonly startVerification?: boolean;
  /** Wait until the domain is verified (up to the timeout) instead of returning once verification starts. @default true */
  readonly waitForVerification?: boolean;
}

export interface PrivateDnsVerificationProps extends ServiceDomainVerificationProps {
  /** Id of the endpoint service (vpce-svc-...). */
  readonly serviceId: string;
  /** The service's private DNS name, such as api.example.com or *.example.com. */
  readonly privateDnsName: string;
  /** The service's verification name (`private_dns_name_configuration[0].name`). */
  readonly verificationName: string;
  /** The service's verification value (`private_dns_name_configuration[0].value`). */
  readonly verificationValue: string;
}

/**
 * Proves ownership of an endpoint service's private DNS name: writes the TXT record named from
 * the service's own verification name and value (Route 53 mode) or says exactly what to create
 * (external mode), then starts verification and waits for it.
 */
export class PrivateDnsVerification extends Construct {
  /** Fully qualified name of the TXT record. */
  readonly recordFqdn: string;
  /** Value of the TXT record. */
  readonly recordValue: string;
  /** Type of the verification record, always "TXT". */
  readonly recordType = "TXT";
  /** The aws_route53_record resource, in Route 53 mode only. */
  readonly record?: Route53Record;
  /** The aws_vpc_endpoint_service_private_dns_verification resource, when verification is started. */
  readonly verification?: VpcEndpointServicePrivateDnsVerification;
  /** A terraform_data resource holding the expected record; replacing it restarts verification. */
  readonly recordTrigger?: ReplacementTrigger;

  constructor(scope: Construct, id: string, props: PrivateDnsVerificationProps) {
    super(scope, id);
    validate(this, props);
    const domain = props.recordDomain ?? (isToken(props.privateDnsName) ? Fn.trimprefix(props.privateDnsName, "*.") : props.privateDnsName.replace(/^\*\./, ""));
    this.recordFqdn = `${props.verificationName}.${domain}`;
    this.recordValue = props.verificationValue;

    if (props.hostedZone) {
      const zoneId =
        props.hostedZone.zoneId ?? new DataAwsRoute53Zone(this, "HostedZone", { name: props.hostedZone.zoneName, privateZone: false, provider: props.hostedZoneProvider }).zoneId;
      this.record = new Route53Record(this, "VerificationRecord", {
        zoneId,
        name: this.recordFqdn,
        type: this.recordType,
        ttl: props.ttl ?? 300,
        records: [props.verificationValue],
        provider: props.hostedZoneProvider,
      });
    }
    // External mode writes no output of its own (its id would be a generated one): the stack
    // outputs recordFqdn, recordType and recordValue under names of its choosing.

    if (props.startVerification ?? (props.hostedZone !== undefined || props.waitForVerification === true)) {
      // The verification resource has nothing that changes with the record, so a new private
      // DNS name (or a new token) would leave the domain pending: replacing this holder of the
      // expected record replaces the verification too, which starts it again.
      this.recordTrigger = new ReplacementTrigger(this, "ExpectedRecord", { privateDnsName: props.privateDnsName, name: this.recordFqdn, value: this.recordValue });
      this.verification = new VpcEndpointServicePrivateDnsVerification(this, "Verification", {
        serviceId: props.serviceId,
        waitForVerification: props.waitForVerification ?? true,
        dependsOn: this.record ? [this.record] : undefined,
        lifecycle: { replaceTriggeredBy: [this.recordTrigger.address] },
      });
    }
  }
}

function validate(scope: IConstruct, props: PrivateDnsVerificationProps): void {
  const p = new Problems();
  checkPrivateDnsVerificationProps(props, p);
  p.throwIfAny("PrivateDnsVerification", scope);
}

/** Checks PrivateDnsVerification props without building anything; problems go to `p`. */
export function checkPrivateDnsVerificationProps(props: PrivateDnsVerificationProps, p: Problems): void {
  p.check(typeof props.serviceId === "string" && /^vpce-svc-[0-9a-f]+$/.test(props.serviceId), "serviceId", props.serviceId, "an endpoint service id (vpce-svc-0123456789abcdef0)");
  p.check(isDomainName(props.privateDnsName, true), "privateDnsName", props.privateDnsName, DOMAIN_FORMAT);
  p.check(typeof props.verificationName === "string" && props.verificationName.length > 0, "verificationName", props.verificationName, "the service's verification name");
  p.check(typeof props.verificationValue === "string" && props.verificationValue.length > 0, "verificationValue", props.verificationValue, "the service's verification value");
  if (props.recordDomain !== undefined) {
    p.check(isDomainName(props.recordDomain), "recordDomain", props.recordDomain, DOMAIN_FORMAT);
    if (!isToken(props.recordDomain) && !isToken(props.privateDnsName)) {
      p.check(isWithinDomain(props.privateDnsName, props.recordDomain), "recordDomain", props.recordDomain, `${props.privateDnsName.replace(/^\*\./, "")} or a parent domain of it`);
    }
  }
  const zone = props.hostedZone;
  if (zone) {
    p.check(zone.zoneId !== undefined || zone.zoneName !== undefined, "hostedZone", zone, "a zoneId or a zoneName");
    if (zone.zoneName !== undefined) {
      p.check(isDomainName(zone.zoneName), "hostedZone.zoneName", zone.zoneName, DOMAIN_FORMAT);
      const domain = props.recordDomain ?? props.privateDnsName;
      if (!isToken(zone.zoneName) && !isToken(domain) && typeof domain === "string") {
        p.check(isWithinDomain(domain, zone.zoneName), "hostedZone.zoneName", zone.zoneName, `the zone that holds ${domain.replace(/^\*\./, "")} (that name or a parent domain of it)`);
      }
    }
  }
  p.check(props.ttl === undefined || (Number.isInteger(props.ttl) && props.ttl >= 0 && props.ttl <= 2147483647), "ttl", props.ttl, "a whole number of seconds, 0 or more");
  p.check(!(props.waitForVerification === true && props.startVerification === false), "waitForVerification", props.waitForVerification, "false or unset when startVerification is false");
}
