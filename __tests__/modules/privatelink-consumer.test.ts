/** PrivateLinkService + PrivateLinkConsumer: the whole flow in one stack, in the order AWS allows. */
import { Testing } from "cdktf";
import { PrivateLinkConsumer, PrivateLinkConsumerProps, PrivateLinkService, PrivateLinkServiceProps, PropsError } from "../../modules";

const SERVICE: PrivateLinkServiceProps = {
  loadBalancer: { vpcId: "vpc-0123456789abcdef0", subnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"], listeners: [{ port: 443 }], target: { ids: ["i-0123456789abcdef0"] } },
  endpointService: { allowedPrincipals: ["arn:aws:iam::123456789012:root"], privateDnsName: "api.example.com" },
  domainVerification: { hostedZone: { zoneName: "example.com" } },
};
const CONSUMER: Omit<PrivateLinkConsumerProps, "service"> = { vpcId: "vpc-0fedcba9876543210", subnetIds: ["subnet-0fedcba9876543210"], allowFrom: { ipv4Cidrs: ["10.1.0.0/16"] } };

function synth(service: PrivateLinkServiceProps, consumer: Omit<PrivateLinkConsumerProps, "service"> = CONSUMER): any {
  return JSON.parse(
    Testing.synthScope((scope) => {
      const s = new PrivateLinkService(scope, "Service", service);
      new PrivateLinkConsumer(scope, "App", { ...consumer, service: s });
    }),
  );
}
const only = (json: any, type: string): [string, any] => {
  const entries = Object.entries<any>(json.resource[type] ?? {});
  expect(entries).toHaveLength(1);
  return entries[0];
};

describe("PrivateLinkService + PrivateLinkConsumer", () => {
  test("with acceptance: the endpoint starts without private DNS, is accepted, then private DNS waits for the acceptance and the verification", () => {
    const json = synth(SERVICE);
    const [endpointKey, endpoint] = only(json, "aws_vpc_endpoint");
    const [accepterKey, accepter] = only(json, "aws_vpc_endpoint_connection_accepter");
    const [verificationKey] = only(json, "aws_vpc_endpoint_service_private_dns_verification");
    const [, privateDns] = only(json, "aws_vpc_endpoint_private_dns");
    expect(endpoint).toMatchObject({ private_dns_enabled: false, lifecycle: expect.objectContaining({ ignore_changes: ["private_dns_enabled"] }) });
    expect(endpoint.service_name).toMatch(/^\$\{aws_vpc_endpoint_service\.[^.]+\.service_name\}$/);
    expect(accepter).toMatchObject({ vpc_endpoint_id: `\${aws_vpc_endpoint.${endpointKey}.id}` });
    expect(privateDns).toMatchObject({ vpc_endpoint_id: `\${aws_vpc_endpoint.${endpointKey}.id}`, private_dns_enabled: true });
    expect([...privateDns.depends_on].sort()).toEqual([`aws_vpc_endpoint_connection_accepter.${accepterKey}`, `aws_vpc_endpoint_service_private_dns_verification.${verificationKey}`].sort());
  });

  test("the endpoint's group opens the service's listener ports, and the TXT record holds the service's own token", () => {
    const json = synth({ ...SERVICE, loadBalancer: { ...SERVICE.loadBalancer, listeners: [{ port: 443 }, { port: 8443 }] } });
    const ports = Object.values<any>(json.resource.aws_vpc_security_group_ingress_rule)
      .filter((r) => r.cidr_ipv4 === "10.1.0.0/16")
      .map((r) => r.from_port)
      .sort();
    expect(ports).toEqual([443, 8443]);
    const [, record] = only(json, "aws_route53_record");
    expect(record.records[0]).toMatch(/aws_vpc_endpoint_service\.[^.]+\.private_dns_name_configuration\[0\]\.value/);
  });

  test("without acceptance: private DNS at creation, after the verification; no accepter", () => {
    const json = synth({ ...SERVICE, endpointService: { ...SERVICE.endpointService, acceptanceRequired: false } });
    const [verificationKey] = only(json, "aws_vpc_endpoint_service_private_dns_verification");
    const [, endpoint] = only(json, "aws_vpc_endpoint");
    expect(endpoint).toMatchObject({ private_dns_enabled: true, depends_on: [`aws_vpc_endpoint_service_private_dns_verification.${verificationKey}`] });
    expect(json.resource.aws_vpc_endpoint_connection_accepter).toBeUndefined();
    expect(json.resource.aws_vpc_endpoint_private_dns).toBeUndefined();
  });

  test("without a private DNS name: accepted, no private DNS step, no verification", () => {
    const json = synth({ loadBalancer: SERVICE.loadBalancer, endpointService: { allowedPrincipals: SERVICE.endpointService!.allowedPrincipals } });
    only(json, "aws_vpc_endpoint_connection_accepter");
    expect(json.resource.aws_vpc_endpoint_private_dns).toBeUndefined();
    expect(json.resource.aws_vpc_endpoint_service_private_dns_verification).toBeUndefined();
  });

  test("refuses a private DNS name without a way to verify it, and privateDns without a name", () => {
    expect(() => synth({ ...SERVICE, domainVerification: undefined })).toThrow(PropsError);
    expect(() => synth({ ...SERVICE, domainVerification: undefined })).toThrow(/- domainVerification: received nothing; expected how to verify endpointService\.privateDnsName/);
    expect(() => synth({ loadBalancer: SERVICE.loadBalancer }, { ...CONSUMER, privateDns: true })).toThrow(/- privateDns: received true; expected false, or a service with endpointService\.privateDnsName/);
  });
});
