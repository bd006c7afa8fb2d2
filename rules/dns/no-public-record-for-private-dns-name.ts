import { Rule, RuleContext, SynthesizedResource } from "../rule";
import { compliant, isUnresolved, listOf, nonCompliant, notApplicable, referencedId } from "../terraform-json";

const ADDRESS_TYPES = ["A", "AAAA", "CNAME"];

function normalize(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, "");
}

/** The record's zone, when it is a zone or zone data source of the same stack. */
function zoneOf(ctx: RuleContext, record: SynthesizedResource): { name?: string; isPrivate: boolean } {
  const managed = referencedId(record.config.zone_id, "aws_route53_zone", "zone_id") ?? referencedId(record.config.zone_id, "aws_route53_zone");
  if (managed !== undefined) {
    const zone = ctx.resources("aws_route53_zone", record.stack).find((z) => z.id === managed)?.config;
    const vpc = zone?.vpc;
    return { name: zone?.name, isPrivate: listOf(vpc).length > 0 || (vpc !== undefined && !Array.isArray(vpc)) };
  }
  const data = referencedId(record.config.zone_id, "data.aws_route53_zone", "zone_id") ?? referencedId(record.config.zone_id, "data.aws_route53_zone", "id");
  if (data !== undefined) {
    const zone = ctx.dataSources("aws_route53_zone", record.stack)[data];
    return { name: zone?.name, isPrivate: zone?.private_zone === true };
  }
  return { isPrivate: false };
}

/** The record's full name: Route 53 appends the zone to a name that does not end with it. */
function fullName(name: string, zone: string | undefined): string {
  const n = normalize(name);
  if (zone === undefined || isUnresolved(zone)) return n;
  const z = normalize(zone);
  return n === z || n.endsWith(`.${z}`) ? n : `${n}.${z}`;
}

/** Whether a record name answers for a private DNS name; either one may be a "*." wildcard. */
function covers(record: string, privateName: string): boolean {
  const oneLabelUnder = (name: string, wildcard: string) => {
    const parent = wildcard.slice(2);
    return name.endsWith(`.${parent}`) && !name.slice(0, -parent.length - 1).includes(".");
  };
  if (record === privateName) return true;
  if (privateName.startsWith("*.") && oneLabelUnder(record, privateName)) return true;
  return record.startsWith("*.") && oneLabelUnder(privateName, record);
}

const rule: Rule = {
  id: "PL-DNS1",
  level: "error",
  resourceType: "aws_route53_record",
  reason: "No public A, AAAA or CNAME record for the service's private DNS name: it would send clients elsewhere and publish addresses.",
  fix: "Remove the record: the endpoint's private DNS answers inside consumer VPCs; only the TXT verification record belongs in the public zone.",
  check: (ctx) => {
    const privateNames = ctx
      .resources("aws_vpc_endpoint_service")
      .map((s) => s.config.private_dns_name)
      .filter((n): n is string => typeof n === "string" && !isUnresolved(n))
      .map(normalize);
    return ctx.resources("aws_route53_record").map((record) => {
      const { name, type } = record.config;
      if (!ADDRESS_TYPES.includes(type) || typeof name !== "string" || isUnresolved(name) || privateNames.length === 0) {
        return notApplicable(record);
      }
      const zone = zoneOf(ctx, record);
      if (zone.isPrivate) return notApplicable(record);
      const full = fullName(name, zone.name);
      const shadowed = privateNames.find((p) => covers(full, p));
      return shadowed === undefined
        ? compliant(record)
        : nonCompliant(record, `public ${type} record ${full} answers for the private DNS name ${shadowed}: remove it`);
    });
  },
};
export default rule;
