import { DataTerraformRemoteStateLocal, TerraformOutput, TerraformVariable, Testing } from "cdktf";
import { Construct } from "constructs";
import { DataAwsRoute53Zone } from "@cdktf/provider-aws/lib/data-aws-route53-zone";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { VpcEndpointServicePrivateDnsVerification } from "@cdktf/provider-aws/lib/vpc-endpoint-service-private-dns-verification";
import { PrivateDnsVerification, PrivateDnsVerificationProps } from "../../modules/private-dns-verification";
import { PropsError } from "../../modules/validation";

const SERVICE_ID = "vpce-svc-0123456789abcdef0";

/** Route 53 mode with a zone looked up by name. */
const ROUTE53: PrivateDnsVerificationProps = {
  serviceId: SERVICE_ID,
  privateDnsName: "api.example.com",
  verificationName: "_pl-verify-1a2b3c",
  verificationValue: "vpce:abcdefghijklmnop",
  hostedZone: { zoneName: "example.com" },
};

/** External mode: no hosted zone. */
const EXTERNAL: PrivateDnsVerificationProps = {
  serviceId: SERVICE_ID,
  privateDnsName: "api.example.com",
  verificationName: "_pl-verify-1a2b3c",
  verificationValue: "vpce:abcdefghijklmnop",
};

function synth(props: PrivateDnsVerificationProps): string {
  return Testing.synthScope((scope) => {
    new PrivateDnsVerification(scope, "Verification", props);
  });
}

function build(props: PrivateDnsVerificationProps): () => void {
  return () => synth(props);
}

function parsed(text: string): any {
  return JSON.parse(text);
}

describe("PrivateDnsVerification", () => {
  describe("Route 53 mode", () => {
    test("looks up the public hosted zone by name", () => {
      // GIVEN a hosted zone given by name only
      // WHEN the construct is synthesized
      const out = synth(ROUTE53);
      // THEN a public aws_route53_zone data source is looked up by that name
      expect(out).toHaveDataSourceWithProperties(DataAwsRoute53Zone, { name: "example.com", private_zone: false });
      expect(out).toHaveResourceWithProperties(Route53Record, {
        zone_id: expect.stringMatching(/^\$\{data\.aws_route53_zone\.[^.]+\.zone_id\}$/),
      });
    });

    test("uses a given zoneId directly, without a data source", () => {
      // GIVEN a hosted zone given by id
      // WHEN the construct is synthesized
      const out = synth({ ...ROUTE53, hostedZone: { zoneId: "Z0123456789ABCDEFGHIJ" } });
      // THEN the record goes into that zone and nothing is looked up
      expect(out).toHaveResourceWithProperties(Route53Record, { zone_id: "Z0123456789ABCDEFGHIJ" });
      expect(out).not.toHaveDataSource(DataAwsRoute53Zone);
      expect(parsed(out).data).toBeUndefined();
    });

    test("prefers zoneId over zoneName when both are given", () => {
      // GIVEN a hosted zone with both an id and a name
      // WHEN the construct is synthesized
      const out = synth({ ...ROUTE53, hostedZone: { zoneId: "Z0123456789ABCDEFGHIJ", zoneName: "example.com" } });
      // THEN the id is used and the zone is not looked up
      expect(out).toHaveResourceWithProperties(Route53Record, { zone_id: "Z0123456789ABCDEFGHIJ" });
      expect(out).not.toHaveDataSource(DataAwsRoute53Zone);
    });

    test("writes a TXT record named <verificationName>.<privateDnsName> holding the verification value", () => {
      // GIVEN Route 53 mode
      // WHEN the construct is synthesized
      const out = synth(ROUTE53);
      // THEN one TXT record carries exactly the verification value
      expect(out).toHaveResourceWithProperties(Route53Record, {
        name: "_pl-verify-1a2b3c.api.example.com",
        type: "TXT",
        records: ["vpce:abcdefghijklmnop"],
      });
      expect(Object.keys(parsed(out).resource.aws_route53_record)).toHaveLength(1);
    });

    test('strips a leading "*." from a wildcard private DNS name', () => {
      // GIVEN a wildcard private DNS name
      // WHEN the construct is synthesized
      const out = synth({ ...ROUTE53, privateDnsName: "*.api.example.com" });
      // THEN the record name is built from the domain without the wildcard label
      expect(out).toHaveResourceWithProperties(Route53Record, { name: "_pl-verify-1a2b3c.api.example.com" });
    });

    test("puts the record under recordDomain when it overrides the domain with a parent", () => {
      // GIVEN a record domain that is a parent of the private DNS name
      // WHEN the construct is synthesized
      const out = synth({ ...ROUTE53, recordDomain: "example.com" });
      // THEN the record is named under the parent domain
      expect(out).toHaveResourceWithProperties(Route53Record, { name: "_pl-verify-1a2b3c.example.com" });
    });

    test("accepts recordDomain equal to the private DNS name", () => {
      // GIVEN a record domain equal to the private DNS name
      // WHEN the construct is synthesized
      const out = synth({ ...ROUTE53, recordDomain: "api.example.com" });
      // THEN the record is named under it
      expect(out).toHaveResourceWithProperties(Route53Record, { name: "_pl-verify-1a2b3c.api.example.com" });
    });

    test("defaults the TTL to 300 seconds", () => {
      // GIVEN no ttl
      // WHEN the construct is synthesized
      const out = synth(ROUTE53);
      // THEN the record's TTL is 300
      expect(out).toHaveResourceWithProperties(Route53Record, { ttl: 300 });
    });

    test("uses the given TTL, including 0", () => {
      // GIVEN ttl 60 in one scope and 0 in another
      // WHEN they are synthesized
      const sixty = synth({ ...ROUTE53, ttl: 60 });
      const zero = synth({ ...ROUTE53, ttl: 0 });
      // THEN each record has its TTL
      expect(sixty).toHaveResourceWithProperties(Route53Record, { ttl: 60 });
      expect(zero).toHaveResourceWithProperties(Route53Record, { ttl: 0 });
    });

    test("starts verification by default, waits for it and depends on the record", () => {
      // GIVEN Route 53 mode with default verification settings
      // WHEN the construct is synthesized
      const out = synth(ROUTE53);
      // THEN the verification waits and is ordered after the TXT record
      const recordAddress = `aws_route53_record.${Object.keys(parsed(out).resource.aws_route53_record)[0]}`;
      expect(out).toHaveResourceWithProperties(VpcEndpointServicePrivateDnsVerification, {
        service_id: SERVICE_ID,
        wait_for_verification: true,
        depends_on: [recordAddress],
      });
    });

    test("restarts verification whenever the expected record changes: a new name or token is verified again", () => {
      // GIVEN Route 53 mode
      // WHEN the construct is synthesized
      const json = parsed(synth(ROUTE53));
      // THEN a terraform_data holds the expected record and replacing it replaces the verification
      const [triggerKey, trigger] = Object.entries<any>(json.resource.terraform_data)[0];
      expect(trigger.triggers_replace).toEqual({ privateDnsName: "api.example.com", name: "_pl-verify-1a2b3c.api.example.com", value: "vpce:abcdefghijklmnop" });
      const verification = Object.values<any>(json.resource.aws_vpc_endpoint_service_private_dns_verification)[0];
      expect(verification.lifecycle).toEqual({ replace_triggered_by: [`terraform_data.${triggerKey}`] });
    });

    test("a renamed private DNS name changes the trigger, and the trigger only", () => {
      // GIVEN the same construct for api.example.com, then api2.example.com
      const before = parsed(synth(ROUTE53));
      const after = parsed(synth({ ...ROUTE53, privateDnsName: "api2.example.com" }));
      // THEN the trigger's value differs while the verification itself is unchanged (Terraform replaces it through the trigger)
      const trigger = (j: any) => Object.values<any>(j.resource.terraform_data)[0].triggers_replace;
      expect(trigger(after)).not.toEqual(trigger(before));
      expect(after.resource.aws_vpc_endpoint_service_private_dns_verification).toEqual(before.resource.aws_vpc_endpoint_service_private_dns_verification);
    });

    test("does not start verification when startVerification is false", () => {
      // GIVEN Route 53 mode with verification turned off
      // WHEN the construct is synthesized
      const out = synth({ ...ROUTE53, startVerification: false });
      // THEN the record exists but no verification resource does
      expect(out).toHaveResource(Route53Record);
      expect(out).not.toHaveResource(VpcEndpointServicePrivateDnsVerification);
    });

    test("does not wait when waitForVerification is false", () => {
      // GIVEN Route 53 mode that should not wait
      // WHEN the construct is synthesized
      const out = synth({ ...ROUTE53, waitForVerification: false });
      // THEN verification starts without waiting
      expect(out).toHaveResourceWithProperties(VpcEndpointServicePrivateDnsVerification, { wait_for_verification: false });
    });

    test("does not print what to create", () => {
      // GIVEN Route 53 mode
      // WHEN the construct is synthesized
      const out = synth(ROUTE53);
      // THEN there is no output
      expect(parsed(out).output).toBeUndefined();
    });

    test("exposes the record, the verification and the record's name, type and value", () => {
      // GIVEN Route 53 mode
      let construct: PrivateDnsVerification | undefined;
      // WHEN the construct is built
      Testing.synthScope((scope) => {
        construct = new PrivateDnsVerification(scope, "Verification", { ...ROUTE53, privateDnsName: "*.api.example.com" });
      });
      // THEN its fields describe the TXT record
      expect(construct?.recordFqdn).toBe("_pl-verify-1a2b3c.api.example.com");
      expect(construct?.recordValue).toBe("vpce:abcdefghijklmnop");
      expect(construct?.recordType).toBe("TXT");
      expect(construct?.record).toBeInstanceOf(Route53Record);
      expect(construct?.verification).toBeInstanceOf(VpcEndpointServicePrivateDnsVerification);
    });
  });

  describe("external mode", () => {
    test("creates no record and no verification by default", () => {
      // GIVEN no hosted zone
      // WHEN the construct is synthesized
      const out = synth(EXTERNAL);
      // THEN nothing is written to DNS and nothing is verified yet
      expect(out).not.toHaveResource(Route53Record);
      expect(out).not.toHaveDataSource(DataAwsRoute53Zone);
      expect(out).not.toHaveResource(VpcEndpointServicePrivateDnsVerification);
      expect(parsed(out).resource).toBeUndefined();
    });

    test("writes no output of its own; recordFqdn, recordType and recordValue say which TXT record to create", () => {
      // GIVEN no hosted zone and a wildcard private DNS name, its record fields put in outputs by the caller
      const text = Testing.synthScope((scope) => {
        const v = new PrivateDnsVerification(scope, "Verification", { ...EXTERNAL, privateDnsName: "*.api.example.com" });
        new TerraformOutput(scope, "verification_record_fqdn", { value: v.recordFqdn });
        new TerraformOutput(scope, "verification_record_value", { value: v.recordValue });
        new TerraformOutput(scope, "verification_record_type", { value: v.recordType });
      });
      // THEN the only outputs are the caller's, with the record's name, type and value
      const outputs = parsed(text).output;
      expect(Object.keys(outputs).sort()).toEqual(["verification_record_fqdn", "verification_record_type", "verification_record_value"]);
      expect(outputs.verification_record_fqdn.value).toBe("_pl-verify-1a2b3c.api.example.com");
      expect(outputs.verification_record_type.value).toBe("TXT");
      expect(outputs.verification_record_value.value).toBe("vpce:abcdefghijklmnop");
      expect(parsed(synth(EXTERNAL)).output).toBeUndefined();
    });

    test("names the record under recordDomain", () => {
      let v!: PrivateDnsVerification;
      Testing.synthScope((scope) => {
        v = new PrivateDnsVerification(scope, "Verification", { ...EXTERNAL, recordDomain: "example.com" });
      });
      expect(v.recordFqdn).toBe("_pl-verify-1a2b3c.example.com");
    });

    test("startVerification: true creates the verification without depends_on", () => {
      // GIVEN no hosted zone and the record created elsewhere
      // WHEN verification is turned on
      const out = synth({ ...EXTERNAL, startVerification: true });
      // THEN verification starts and waits, with nothing to depend on
      expect(out).toHaveResourceWithProperties(VpcEndpointServicePrivateDnsVerification, { service_id: SERVICE_ID, wait_for_verification: true });
      const verification = Object.values<Record<string, unknown>>(parsed(out).resource.aws_vpc_endpoint_service_private_dns_verification)[0];
      expect(verification).not.toHaveProperty("depends_on");
      expect(out).not.toHaveResource(Route53Record);
    });

    test("startVerification: true restarts verification when the record to create changes", () => {
      // GIVEN external mode with verification on
      const json = parsed(synth({ ...EXTERNAL, startVerification: true }));
      // THEN the verification is replaced with the expected record
      const [triggerKey] = Object.keys(json.resource.terraform_data);
      expect(Object.values<any>(json.resource.aws_vpc_endpoint_service_private_dns_verification)[0].lifecycle).toEqual({ replace_triggered_by: [`terraform_data.${triggerKey}`] });
    });

    test("startVerification: true with waitForVerification: false does not wait", () => {
      // GIVEN external mode that starts verification without waiting
      // WHEN the construct is synthesized
      const out = synth({ ...EXTERNAL, startVerification: true, waitForVerification: false });
      // THEN the verification does not wait
      expect(out).toHaveResourceWithProperties(VpcEndpointServicePrivateDnsVerification, { wait_for_verification: false });
    });

    test("exposes no record and no verification", () => {
      // GIVEN external mode
      let construct: PrivateDnsVerification | undefined;
      // WHEN the construct is built
      Testing.synthScope((scope) => {
        construct = new PrivateDnsVerification(scope, "Verification", EXTERNAL);
      });
      // THEN only the record's description is set
      expect(construct?.record).toBeUndefined();
      expect(construct?.verification).toBeUndefined();
      expect(construct?.recordFqdn).toBe("_pl-verify-1a2b3c.api.example.com");
    });
  });

  describe("validation", () => {
    test("refuses a serviceId that is not vpce-svc-...", () => {
      // GIVEN an endpoint id where a service id belongs
      // WHEN / THEN the construct throws naming serviceId
      expect(build({ ...ROUTE53, serviceId: "vpce-0123456789abcdef0" })).toThrow(/serviceId: received "vpce-0123456789abcdef0"/);
    });

    test("refuses a privateDnsName that is not a domain name", () => {
      // GIVEN a single-label name
      // WHEN / THEN the construct throws naming privateDnsName
      expect(build({ ...ROUTE53, privateDnsName: "localhost" })).toThrow(/privateDnsName: received "localhost"/);
      expect(build({ ...ROUTE53, privateDnsName: "api..example.com" })).toThrow(/privateDnsName/);
    });

    test("refuses an empty verificationName", () => {
      // GIVEN an empty verification name
      // WHEN / THEN the construct throws naming verificationName
      expect(build({ ...ROUTE53, verificationName: "" })).toThrow(/verificationName: received ""/);
    });

    test("refuses an empty verificationValue", () => {
      // GIVEN an empty verification value
      // WHEN / THEN the construct throws naming verificationValue
      expect(build({ ...ROUTE53, verificationValue: "" })).toThrow(/verificationValue: received ""/);
    });

    test("refuses a recordDomain that is not a domain name", () => {
      // GIVEN a wildcard record domain (not allowed there)
      // WHEN / THEN the construct throws naming recordDomain and the format
      expect(build({ ...EXTERNAL, recordDomain: "*.example.com" })).toThrow(/recordDomain: received "\*\.example\.com"; expected a domain name/);
    });

    test("refuses a recordDomain that is not the private DNS name or a parent of it", () => {
      // GIVEN a record domain elsewhere
      // WHEN / THEN the construct throws naming recordDomain and the domain it must hold
      expect(build({ ...EXTERNAL, recordDomain: "example.org" })).toThrow(/recordDomain: received "example\.org"; expected api\.example\.com or a parent domain of it/);
      expect(build({ ...EXTERNAL, recordDomain: "v2.api.example.com" })).toThrow(/recordDomain/);
    });

    test("refuses a hostedZone with neither zoneId nor zoneName", () => {
      // GIVEN an empty hosted zone
      // WHEN / THEN the construct throws naming hostedZone
      expect(build({ ...ROUTE53, hostedZone: {} })).toThrow(/hostedZone: received \{\}; expected a zoneId or a zoneName/);
    });

    test("refuses a hostedZone.zoneName that is not a domain name", () => {
      // GIVEN a zone name with an invalid label
      // WHEN / THEN the construct throws naming hostedZone.zoneName
      expect(build({ ...ROUTE53, hostedZone: { zoneName: "exa_mple.com" } })).toThrow(/hostedZone\.zoneName: received "exa_mple\.com"; expected a domain name/);
    });

    test("refuses a hostedZone.zoneName that does not hold the record's domain", () => {
      // GIVEN a zone of another domain
      // WHEN / THEN the construct throws naming hostedZone.zoneName
      expect(build({ ...ROUTE53, hostedZone: { zoneName: "example.org" } })).toThrow(/hostedZone\.zoneName: received "example\.org"; expected the zone that holds api\.example\.com/);
    });

    test("judges hostedZone.zoneName against recordDomain when it is given", () => {
      // GIVEN a record domain example.com and a zone for api.example.com (a child of it)
      // WHEN / THEN the zone cannot hold the record
      expect(build({ ...ROUTE53, recordDomain: "example.com", hostedZone: { zoneName: "api.example.com" } })).toThrow(
        /hostedZone\.zoneName: received "api\.example\.com"; expected the zone that holds example\.com/,
      );
    });

    test("refuses a negative or fractional ttl", () => {
      // GIVEN bad TTLs
      // WHEN / THEN the construct throws naming ttl
      expect(build({ ...ROUTE53, ttl: -1 })).toThrow(/ttl: received -1/);
      expect(build({ ...ROUTE53, ttl: 1.5 })).toThrow(/ttl: received 1\.5/);
    });

    test("refuses waitForVerification: true with startVerification: false", () => {
      // GIVEN a wait for a verification that never starts
      // WHEN / THEN the construct throws naming waitForVerification
      expect(build({ ...ROUTE53, startVerification: false, waitForVerification: true })).toThrow(/waitForVerification: received true/);
    });

    test("reports several problems at once", () => {
      // GIVEN props with four problems
      const props: PrivateDnsVerificationProps = { ...ROUTE53, serviceId: "svc", verificationName: "", hostedZone: {}, ttl: -5 };
      // WHEN the construct is built
      let error: unknown;
      try {
        synth(props);
      } catch (e) {
        error = e;
      }
      // THEN one PropsError lists all of them
      expect(error).toBeInstanceOf(PropsError);
      expect((error as PropsError).problems.map((p) => p.path)).toEqual(["serviceId", "verificationName", "hostedZone", "ttl"]);
      expect((error as PropsError).message).toMatch(/^Invalid props for PrivateDnsVerification at stack\/[\w-]+:/);
    });

    test("does not judge unresolved tokens", () => {
      // GIVEN every value from variables or remote state
      // WHEN the construct is synthesized
      const out = Testing.synthScope((scope: Construct) => {
        const remote = new DataTerraformRemoteStateLocal(scope, "service", { path: "service.tfstate" });
        const verification = new PrivateDnsVerification(scope, "Verification", {
          serviceId: remote.getString("service_id"),
          privateDnsName: remote.getString("private_dns_name"),
          verificationName: remote.getString("verification_name"),
          verificationValue: remote.getString("verification_value"),
          recordDomain: new TerraformVariable(scope, "record_domain", { type: "string" }).stringValue,
          hostedZone: { zoneName: new TerraformVariable(scope, "zone_name", { type: "string" }).stringValue },
          ttl: new TerraformVariable(scope, "ttl", { type: "number" }).numberValue,
        });
        new TerraformOutput(scope, "fqdn", { value: verification.recordFqdn });
      });
      // THEN the tokens pass through to the resources
      expect(out).toHaveDataSourceWithProperties(DataAwsRoute53Zone, { name: "${var.zone_name}" });
      expect(out).toHaveResourceWithProperties(Route53Record, {
        name: "${data.terraform_remote_state.service.outputs.verification_name}.${var.record_domain}",
        records: ["${data.terraform_remote_state.service.outputs.verification_value}"],
        ttl: "${var.ttl}",
      });
      expect(out).toHaveResourceWithProperties(VpcEndpointServicePrivateDnsVerification, {
        service_id: "${data.terraform_remote_state.service.outputs.service_id}",
      });
    });

    test("strips the wildcard from a token private DNS name in Terraform", () => {
      // GIVEN a private DNS name from remote state and no recordDomain
      // WHEN the construct is synthesized in external mode
      const out = Testing.synthScope((scope: Construct) => {
        const remote = new DataTerraformRemoteStateLocal(scope, "service", { path: "service.tfstate" });
        const verification = new PrivateDnsVerification(scope, "Verification", { ...EXTERNAL, privateDnsName: remote.getString("private_dns_name") });
        new TerraformOutput(scope, "fqdn", { value: verification.recordFqdn });
      });
      // THEN the record name trims "*." with trimprefix at plan time
      expect(parsed(out).output.fqdn.value).toBe('_pl-verify-1a2b3c.${trimprefix(data.terraform_remote_state.service.outputs.private_dns_name, "*.")}');
    });
  });
});

test("external mode: waitForVerification true starts the verification without startVerification", () => {
  // GIVEN external mode asking to wait
  const out = parsed(synth({ ...EXTERNAL, waitForVerification: true }));
  // THEN the verification exists and waits
  const v = Object.values<any>(out.resource.aws_vpc_endpoint_service_private_dns_verification);
  expect(v).toHaveLength(1);
  expect(v[0].wait_for_verification).toBe(true);
});
