/** Stage 2, the dns-verification stack: the TXT record from the provider's state, then verification. */
import * as fs from "fs";
import { SynthResult, exampleJson, synthConfig } from "../support/synth";

const synthesized: SynthResult[] = [];
function verificationStack(json: unknown): any {
  const result = synthConfig(json);
  synthesized.push(result);
  return result.stacks["dns-verification"];
}
afterAll(() => synthesized.forEach((r) => fs.rmSync(r.outdir, { recursive: true, force: true })));

const resources = (stack: any, type: string): any[] => Object.values(stack.resource?.[type] ?? {});
const dataSources = (stack: any, type: string): any[] => Object.values(stack.data?.[type] ?? {});

const PROVIDER_OUTPUT = (name: string): string => `\${data.terraform_remote_state.provider.outputs.${name}}`;

function withDns(dns: unknown): Record<string, any> {
  const c = exampleJson();
  c.dns = dns;
  return c;
}

describe("dns-verification stack of the built-in example (Route 53, zone by name)", () => {
  let stack: any;
  beforeAll(() => {
    stack = verificationStack(exampleJson());
  });

  test("reads the provider stack's local remote state", () => {
    // GIVEN the example with local state in terraform-state
    // WHEN the remote-state data source is read
    // THEN it reads provider.tfstate through a path relative to the stack's working directory
    expect(stack.data.terraform_remote_state.provider).toMatchObject({ backend: "local", config: { path: "../../../terraform-state/provider.tfstate" } });
  });

  test("creates one TXT record", () => {
    // GIVEN the example's dns { provider: "route53" }
    // WHEN the Route 53 records are read
    const records = resources(stack, "aws_route53_record");
    // THEN there is exactly one, of type TXT
    expect(records).toHaveLength(1);
    expect(records[0].type).toBe("TXT");
  });

  test("the TXT record's name comes from the provider's private_dns_verification_name output", () => {
    // GIVEN the synthesized stack
    // WHEN the TXT record's name is read
    const [record] = resources(stack, "aws_route53_record");
    // THEN it references the verification name read from the provider's remote state
    expect(record.name).toContain(PROVIDER_OUTPUT("private_dns_verification_name"));
  });

  test("the TXT record's value is the provider's private_dns_verification_value output", () => {
    // GIVEN the synthesized stack
    // WHEN the TXT record's records are read
    const [record] = resources(stack, "aws_route53_record");
    // THEN the only record is the verification value read from the provider's remote state
    expect(record.records).toEqual([PROVIDER_OUTPUT("private_dns_verification_value")]);
  });

  test("looks up the public hosted zone by name and puts the record in it", () => {
    // GIVEN the example's dns.zoneName example.com
    // WHEN the hosted zone data source and the record are read
    const zones = dataSources(stack, "aws_route53_zone");
    const [record] = resources(stack, "aws_route53_record");
    // THEN the zone example.com (public) is looked up and the record goes into its zone id
    expect(zones).toEqual([expect.objectContaining({ name: "example.com", private_zone: false })]);
    expect(record.zone_id).toMatch(/^\$\{data\.aws_route53_zone\.[^.]+\.zone_id\}$/);
  });

  test("verifies the service's domain once the record exists, and waits for it", () => {
    // GIVEN the synthesized stack
    // WHEN the verification resource is read
    const verifications = resources(stack, "aws_vpc_endpoint_service_private_dns_verification");
    // THEN it targets the provider's service id, waits, and depends on the TXT record
    expect(verifications).toEqual([
      expect.objectContaining({
        service_id: PROVIDER_OUTPUT("service_id"),
        wait_for_verification: true,
        depends_on: [expect.stringMatching(/^aws_route53_record\./)],
      }),
    ]);
  });

  test("outputs verification_record_fqdn from the provider's verification name", () => {
    // GIVEN the synthesized stack
    // WHEN the output is read
    // THEN it references the verification name from the provider's remote state
    expect(stack.output.verification_record_fqdn.value).toContain(PROVIDER_OUTPUT("private_dns_verification_name"));
  });

  test("outputs verification_record_value as the provider's verification value", () => {
    // GIVEN the synthesized stack
    // WHEN the output is read
    // THEN it is the verification value from the provider's remote state
    expect(stack.output.verification_record_value.value).toBe(PROVIDER_OUTPUT("private_dns_verification_value"));
  });

  test("runs in the provider account's region", () => {
    // GIVEN the example's service region us-west-2
    // WHEN the AWS provider is read
    // THEN it has that region
    expect(stack.provider.aws[0].region).toBe("us-west-2");
  });
});

describe("dns-verification stack variations", () => {
  test("a zone id is used directly, without looking the zone up", () => {
    // GIVEN dns { provider: "route53", zoneId: "Z0123456789ABCDEFGHIJ" }
    // WHEN the stack is synthesized
    const stack = verificationStack(withDns({ provider: "route53", zoneId: "Z0123456789ABCDEFGHIJ" }));
    // THEN there is no hosted zone lookup and the record goes into that zone
    expect(dataSources(stack, "aws_route53_zone")).toHaveLength(0);
    expect(resources(stack, "aws_route53_record")).toEqual([expect.objectContaining({ zone_id: "Z0123456789ABCDEFGHIJ" })]);
  });

  test("external DNS creates no Route 53 record and looks up no zone", () => {
    // GIVEN dns { provider: "external" }
    // WHEN the stack is synthesized
    const stack = verificationStack(withDns({ provider: "external" }));
    // THEN nothing in Route 53 is created or read
    expect(resources(stack, "aws_route53_record")).toHaveLength(0);
    expect(dataSources(stack, "aws_route53_zone")).toHaveLength(0);
  });

  test("external DNS still outputs the record to create by hand", () => {
    // GIVEN dns { provider: "external" }
    // WHEN the stack is synthesized
    const stack = verificationStack(withDns({ provider: "external" }));
    // THEN the record name and value outputs come from the provider's remote state
    expect(stack.output.verification_record_fqdn.value).toContain(PROVIDER_OUTPUT("private_dns_verification_name"));
    expect(stack.output.verification_record_value.value).toBe(PROVIDER_OUTPUT("private_dns_verification_value"));
  });

  test("external DNS with startVerification starts verification of the provider's service", () => {
    // GIVEN dns { provider: "external", startVerification: true }
    // WHEN the stack is synthesized
    const stack = verificationStack(withDns({ provider: "external", startVerification: true }));
    // THEN a verification resource targets the provider's service id
    expect(resources(stack, "aws_vpc_endpoint_service_private_dns_verification")).toEqual([
      expect.objectContaining({ service_id: PROVIDER_OUTPUT("service_id") }),
    ]);
  });
});

describe("dns-verification stack with the zone in a DNS account", () => {
  test("the TXT record and zone lookup use a second provider for that account; verification stays with the service's", () => {
    // GIVEN the zone owned by another account
    const json = exampleJson();
    json.dns.account = { region: "us-east-1", roleArn: "arn:aws:iam::333333333333:role/dns" };
    const stack = synthConfig(json).stacks["dns-verification"];
    // THEN there is an aliased provider assuming the DNS role
    expect(stack.provider.aws).toEqual(
      expect.arrayContaining([expect.objectContaining({ alias: "dns", region: "us-east-1", assume_role: [expect.objectContaining({ role_arn: "arn:aws:iam::333333333333:role/dns" })] })]),
    );
    // AND the record and the zone lookup use it, the verification does not
    expect(Object.values<any>(stack.resource.aws_route53_record)[0].provider).toBe("aws.dns");
    expect(Object.values<any>(stack.data.aws_route53_zone)[0].provider).toBe("aws.dns");
    expect(Object.values<any>(stack.resource.aws_vpc_endpoint_service_private_dns_verification)[0].provider).toBeUndefined();
  });
});
