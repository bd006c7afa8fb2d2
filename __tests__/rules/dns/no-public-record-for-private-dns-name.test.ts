import { Compliance } from "../../../rules";
import rule from "../../../rules/dns/no-public-record-for-private-dns-name";
import { complianceOf, detailOf, providerStack, ref, stack } from "../fixtures";

const RECORD = "dns/aws_route53_record.Record";

/** The provider (private DNS name api.example.com) and a DNS stack with one record in a zone. */
function withRecord(record: Record<string, any>, zone: Record<string, any> = { name: "example.com", private_zone: false }, privateDnsName = "api.example.com") {
  const provider = providerStack();
  provider.resource.aws_vpc_endpoint_service.Service.private_dns_name = privateDnsName;
  return {
    provider,
    dns: stack(
      { aws_route53_record: { Record: { zone_id: ref("data.aws_route53_zone", "Zone", "zone_id"), ttl: 300, records: ["192.0.2.10"], ...record } } },
      { data: { aws_route53_zone: { Zone: zone } } },
    ),
  };
}

describe("PL-DNS1 no public DNS record for the private DNS name", () => {
  test("the TXT verification record and records for other names are compliant or not applicable", () => {
    // GIVEN a TXT record at the private DNS name and an A record for another name
    const stacks = withRecord({ name: "_vpce-verify.api.example.com", type: "TXT" });
    stacks.dns.resource.aws_route53_record.Www = { zone_id: ref("data.aws_route53_zone", "Zone", "zone_id"), name: "www.example.com", type: "A", records: ["192.0.2.1"] };
    // WHEN the rule checks them
    // THEN the TXT record is not applicable and the other name is compliant
    expect(complianceOf(rule, stacks)).toEqual({ [RECORD]: Compliance.NOT_APPLICABLE, "dns/aws_route53_record.Www": Compliance.COMPLIANT });
  });

  test.each([
    ["an A record with the same name", { name: "api.example.com", type: "A" }],
    ["an AAAA record with a trailing dot and upper case", { name: "API.example.com.", type: "AAAA", records: ["2001:db8::1"] }],
    ["a CNAME record", { name: "api.example.com", type: "CNAME", records: ["elsewhere.example.net"] }],
    ["a record named relative to its zone", { name: "api", type: "A" }],
    ["a public wildcard record", { name: "*.example.com", type: "A" }],
  ])("%s is non-compliant", (_, record) => {
    // GIVEN a public record that answers for the private DNS name api.example.com
    const stacks = withRecord(record);
    // WHEN the rule checks it
    // THEN it is non-compliant and the detail names the private DNS name
    expect(complianceOf(rule, stacks)).toEqual({ [RECORD]: Compliance.NON_COMPLIANT });
    expect(detailOf(rule, stacks)).toMatch(/answers for the private DNS name api\.example\.com: remove it/);
  });

  test("a record for a name under a wildcard private DNS name is non-compliant", () => {
    // GIVEN the private DNS name *.api.example.com and a public A record for eu.api.example.com
    // WHEN the rule checks it
    // THEN it is non-compliant
    expect(complianceOf(rule, withRecord({ name: "eu.api.example.com", type: "A" }, undefined, "*.api.example.com"))).toEqual({
      [RECORD]: Compliance.NON_COMPLIANT,
    });
  });

  test("a record in a zone managed in the same stack is resolved through that zone", () => {
    // GIVEN a public aws_route53_zone example.com in the stack and a relative record "api"
    const stacks = withRecord({ name: "api", type: "A", zone_id: ref("aws_route53_zone", "Public", "zone_id") });
    stacks.dns.resource.aws_route53_zone = { Public: { name: "example.com" } };
    // WHEN the rule checks it
    // THEN it is non-compliant
    expect(complianceOf(rule, stacks)[RECORD]).toBe(Compliance.NON_COMPLIANT);
  });

  test("a record in a private zone data source is not applicable", () => {
    // GIVEN an A record for the private DNS name in a private hosted zone
    // WHEN the rule checks it
    // THEN it is not applicable: private zones are not public DNS
    expect(complianceOf(rule, withRecord({ name: "api.example.com", type: "A" }, { name: "example.com", private_zone: true }))).toEqual({
      [RECORD]: Compliance.NOT_APPLICABLE,
    });
  });

  test("a record in a managed zone attached to a VPC is not applicable", () => {
    // GIVEN an aws_route53_zone with a vpc block (private) and an A record for the private DNS name
    const stacks = withRecord({ name: "api.example.com", type: "A", zone_id: ref("aws_route53_zone", "Internal", "zone_id") });
    stacks.dns.resource.aws_route53_zone = { Internal: { name: "example.com", vpc: [{ vpc_id: "vpc-0123" }] } };
    // WHEN the rule checks it
    // THEN it is not applicable
    expect(complianceOf(rule, stacks)[RECORD]).toBe(Compliance.NOT_APPLICABLE);
  });

  test("without a private DNS name on any service the rule is not applicable", () => {
    // GIVEN a service without a private DNS name and an A record for api.example.com
    const stacks = withRecord({ name: "api.example.com", type: "A" });
    delete stacks.provider.resource.aws_vpc_endpoint_service.Service.private_dns_name;
    // WHEN the rule checks it
    // THEN it is not applicable
    expect(complianceOf(rule, stacks)).toEqual({ [RECORD]: Compliance.NOT_APPLICABLE });
  });
});
