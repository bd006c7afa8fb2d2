import { Testing } from "cdktf";
import { PrivateLinkService, PrivateLinkServiceProps } from "../../modules";

const BASE: PrivateLinkServiceProps = {
  loadBalancer: { vpcId: "vpc-0123456789abcdef0", subnetIds: ["subnet-0123456789abcdef0"], listeners: [{ port: 443 }] },
  endpointService: { allowedPrincipals: ["arn:aws:iam::123456789012:root"] },
};
const synth = (props: PrivateLinkServiceProps) =>
  JSON.parse(
    Testing.synthScope((scope) => {
      new PrivateLinkService(scope, "Service", props);
    }),
  );

describe("PrivateLinkService", () => {
  test("puts the endpoint service on its own NLB, acceptance required by default", () => {
    const json = synth(BASE);
    const [lbKey] = Object.keys(json.resource.aws_lb);
    expect(Object.values<any>(json.resource.aws_vpc_endpoint_service)[0]).toMatchObject({ acceptance_required: true, network_load_balancer_arns: [`\${aws_lb.${lbKey}.arn}`] });
    expect(json.resource.aws_vpc_endpoint_service_private_dns_verification).toBeUndefined();
  });

  test("verifies a private DNS name with the service's own token, the record first", () => {
    const json = synth({ ...BASE, endpointService: { ...BASE.endpointService, privateDnsName: "api.example.com" }, domainVerification: { hostedZone: { zoneName: "example.com" } } });
    const [recordKey, record] = Object.entries<any>(json.resource.aws_route53_record)[0];
    expect(record.name).toMatch(/private_dns_name_configuration\[0\]\.name.*\.api\.example\.com/);
    const verification = Object.values<any>(json.resource.aws_vpc_endpoint_service_private_dns_verification)[0];
    expect(verification).toMatchObject({ service_id: expect.stringMatching(/aws_vpc_endpoint_service\.[^.]+\.id/), depends_on: [`aws_route53_record.${recordKey}`] });
  });

  test("exposes its parts and whether acceptance is required", () => {
    let s!: PrivateLinkService;
    Testing.synthScope((scope) => {
      s = new PrivateLinkService(scope, "Service", { ...BASE, endpointService: { ...BASE.endpointService, acceptanceRequired: false } });
    });
    expect(s.acceptanceRequired).toBe(false);
    expect(s.nlb.listenerPorts).toEqual([{ port: 443, protocol: "TCP" }]);
    expect(s.domainVerification).toBeUndefined();
  });

  test("refuses a verification without a private DNS name", () => {
    expect(() => synth({ ...BASE, domainVerification: {} })).toThrow(/- domainVerification: received \{\}; expected no verification without endpointService\.privateDnsName/);
  });
});
