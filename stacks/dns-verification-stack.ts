import { Construct } from "constructs";
import { PrivateDnsVerification } from "../modules/private-dns-verification";
import type { PrivateLinkConfig } from "../config/schema";
import { PROVIDER_STACK } from "./provider-stack";
import { fromConfig } from "./config-origin";
import { PrivateLinkStack } from "./privatelink-stack";
import { StackContext, readRemoteState } from "./state";

export const DNS_VERIFICATION_STACK = "dns-verification";

/**
 * Stage 2, provider account: the TXT record from the service's own verification name and value
 * (Route 53) or what to create by hand (external DNS), then verification, awaited.
 */
export class DnsVerificationStack extends PrivateLinkStack {
  readonly verification: PrivateDnsVerification;

  constructor(scope: Construct, config: PrivateLinkConfig, context: StackContext) {
    super(scope, DNS_VERIFICATION_STACK, config.service.account, context);
    const provider = readRemoteState(this, PROVIDER_STACK, context, ["service_id", "private_dns_name", "private_dns_verification_name", "private_dns_verification_value"]);
    const dns = config.dns;
    if (!dns || !config.service.endpointService.privateDnsName) throw new Error("the dns-verification stack needs dns and service.endpointService.privateDnsName");

    this.verification = fromConfig(new PrivateDnsVerification(this, "Verification", {
      serviceId: provider.getString("service_id"),
      privateDnsName: provider.getString("private_dns_name"),
      verificationName: provider.getString("private_dns_verification_name"),
      verificationValue: provider.getString("private_dns_verification_value"),
      ...(dns.provider === "route53"
        ? {
            hostedZone: { zoneName: dns.zoneId ? undefined : dns.zoneName, zoneId: dns.zoneId },
            // The record goes to the DNS account when the zone lives elsewhere; verification stays here.
            hostedZoneProvider: dns.account ? this.aliasedProvider("dns", dns.account) : undefined,
          }
        : { startVerification: dns.startVerification }),
    }), "dns");
    this.output({
      verification_record_fqdn: this.verification.recordFqdn,
      verification_record_value: this.verification.recordValue,
      verification_record_type: this.verification.recordType,
    });
  }
}
