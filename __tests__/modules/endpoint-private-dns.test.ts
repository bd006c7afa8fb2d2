import { DataTerraformRemoteStateLocal, TerraformOutput, Testing } from "cdktf";
import { Construct } from "constructs";
import { VpcEndpointPrivateDns } from "@cdktf/provider-aws/lib/vpc-endpoint-private-dns";
import { EndpointPrivateDns, EndpointPrivateDnsProps } from "../../modules/endpoint-private-dns";
import { PropsError } from "../../modules/validation";
import { ConnectionAccepter } from "../../modules/connection-accepter";
import { PrivateDnsVerification } from "../../modules/private-dns-verification";

const ENDPOINT_ID = "vpce-0123456789abcdef0";

function synth(props: EndpointPrivateDnsProps): string {
  return Testing.synthScope((scope) => {
    new EndpointPrivateDns(scope, "PrivateDns", props);
  });
}

describe("EndpointPrivateDns", () => {
  test("turns private DNS on by default", () => {
    // GIVEN only an endpoint id
    // WHEN the construct is synthesized
    const out = synth({ endpointId: ENDPOINT_ID });
    // THEN one resource enables private DNS on that endpoint
    expect(out).toHaveResourceWithProperties(VpcEndpointPrivateDns, { vpc_endpoint_id: ENDPOINT_ID, private_dns_enabled: true });
    expect(Object.keys(JSON.parse(out).resource.aws_vpc_endpoint_private_dns)).toHaveLength(1);
  });

  test("turns private DNS off when enabled is false", () => {
    // GIVEN enabled: false
    // WHEN the construct is synthesized
    const out = synth({ endpointId: ENDPOINT_ID, enabled: false });
    // THEN the resource disables private DNS
    expect(out).toHaveResourceWithProperties(VpcEndpointPrivateDns, { vpc_endpoint_id: ENDPOINT_ID, private_dns_enabled: false });
    expect(out).not.toHaveResourceWithProperties(VpcEndpointPrivateDns, { private_dns_enabled: true });
  });

  test("exposes the resource, the endpoint id and the setting", () => {
    // GIVEN a construct whose endpointId is an output
    let dns: EndpointPrivateDns | undefined;
    // WHEN the construct is synthesized
    const out = JSON.parse(
      Testing.synthScope((scope) => {
        dns = new EndpointPrivateDns(scope, "PrivateDns", { endpointId: ENDPOINT_ID });
        new TerraformOutput(scope, "endpoint_id", { value: dns.endpointId });
      }),
    ).output;
    // THEN the fields describe the resource and the id is read from it
    expect(dns?.resource).toBeInstanceOf(VpcEndpointPrivateDns);
    expect(dns?.privateDnsEnabled).toBe(true);
    expect(out.endpoint_id.value).toMatch(/^\$\{aws_vpc_endpoint_private_dns\.[^.]+\.vpc_endpoint_id\}$/);
  });

  describe("validation", () => {
    test("refuses an endpointId that is not vpce-...", () => {
      // GIVEN a service id where the endpoint id belongs
      // WHEN / THEN the construct throws naming endpointId
      expect(() => synth({ endpointId: "vpce-svc-0123456789abcdef0" })).toThrow(/endpointId: received "vpce-svc-0123456789abcdef0"; expected an endpoint id/);
      expect(() => synth({ endpointId: "" })).toThrow(/endpointId: received ""/);
    });

    test("reports the problem as a PropsError of EndpointPrivateDns", () => {
      // GIVEN a bad endpoint id
      // WHEN the construct is built
      let error: unknown;
      try {
        synth({ endpointId: "vpc-0123456789abcdef0" });
      } catch (e) {
        error = e;
      }
      // THEN the error names the construct and the prop
      expect(error).toBeInstanceOf(PropsError);
      expect((error as PropsError).construct).toBe("EndpointPrivateDns");
      expect((error as PropsError).problems.map((p) => p.path)).toEqual(["endpointId"]);
    });

    test("does not judge an unresolved token", () => {
      // GIVEN the endpoint id from remote state
      // WHEN the construct is synthesized
      const out = Testing.synthScope((scope: Construct) => {
        const remote = new DataTerraformRemoteStateLocal(scope, "consumer", { path: "consumer.tfstate" });
        new EndpointPrivateDns(scope, "PrivateDns", { endpointId: remote.getString("endpoint_id") });
      });
      // THEN the token passes through
      expect(out).toHaveResourceWithProperties(VpcEndpointPrivateDns, {
        vpc_endpoint_id: "${data.terraform_remote_state.consumer.outputs.endpoint_id}",
        private_dns_enabled: true,
      });
    });
  });
});

describe("EndpointPrivateDns ordering", () => {
  test("waits for the connection accepter and the domain verification given, so AWS never sees it first", () => {
    const json = JSON.parse(
      Testing.synthScope((scope) => {
        const accepter = new ConnectionAccepter(scope, "Accepter", { serviceId: "vpce-svc-0123456789abcdef0", endpointIds: { app: "vpce-0123456789abcdef0" } });
        const verification = new PrivateDnsVerification(scope, "Verification", {
          serviceId: "vpce-svc-0123456789abcdef0",
          privateDnsName: "api.example.com",
          verificationName: "_abc",
          verificationValue: "vpce:abc",
          hostedZone: { zoneId: "Z0123456789ABCDEFGHIJ" },
        });
        new EndpointPrivateDns(scope, "PrivateDns", { endpointId: "vpce-0123456789abcdef0", connectionAccepter: accepter, domainVerification: verification });
      }),
    );
    const [accepterKey] = Object.keys(json.resource.aws_vpc_endpoint_connection_accepter);
    const [verificationKey] = Object.keys(json.resource.aws_vpc_endpoint_service_private_dns_verification);
    expect(Object.values<any>(json.resource.aws_vpc_endpoint_private_dns)[0].depends_on).toEqual([
      `aws_vpc_endpoint_connection_accepter.${accepterKey}`,
      `aws_vpc_endpoint_service_private_dns_verification.${verificationKey}`,
    ]);
  });

  test("waits for nothing when given nothing", () => {
    const json = JSON.parse(Testing.synthScope((scope) => void new EndpointPrivateDns(scope, "PrivateDns", { endpointId: "vpce-0123456789abcdef0" })));
    expect(Object.values<any>(json.resource.aws_vpc_endpoint_private_dns)[0]).not.toHaveProperty("depends_on");
  });
});
