/**
 * Direct tests of the local AWS emulator (moto 5.2.1 + sandbox/emulator/privatelink_patches.py):
 * each PrivateLink behaviour our flow depends on, driven through the AWS CLI as a user would.
 */
import * as ipaddr from "ipaddr.js";
import { AwsCliError, EMULATOR_ACCOUNT, Emulator, aws, requireAwsCli, startEmulator } from "../support/emulator";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { armedFaults, injectFault, restoreEmulator, snapshotEmulator } from "../../sandbox/emulator";

jest.setTimeout(120_000);

const ROOT = `arn:aws:iam::${EMULATOR_ACCOUNT}:root`;

interface Network {
  vpcId: string;
  subnetIds: string[];
}

interface Service {
  ServiceId: string;
  ServiceName: string;
  AcceptanceRequired: boolean;
  SupportedIpAddressTypes?: string[];
  PrivateDnsName?: string;
  PrivateDnsNameConfiguration?: { Name: string; Value: string; Type: string; State: string };
}

let emu: Emulator;
let provider: Network;
let consumer: Network;
let lbCount = 0;

const ec2 = <T = any>(...args: string[]) => aws<T>(emu.endpoint, ["ec2", ...args]);
const route53 = <T = any>(...args: string[]) => aws<T>(emu.endpoint, ["route53", ...args]);

/** The error the CLI reported for a call that must fail. */
async function failure(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (e) {
    if (e instanceof AwsCliError) return e.stderr;
    throw e;
  }
  throw new Error("the call succeeded, a failure was expected");
}

async function dualStackNetwork(cidr: string, zones: string[]): Promise<Network> {
  const vpc = (await ec2("create-vpc", "--cidr-block", cidr, "--amazon-provided-ipv6-cidr-block")).Vpc;
  const described = (await ec2("describe-vpcs", "--vpc-ids", vpc.VpcId)).Vpcs[0];
  const [block] = ipaddr.parseCIDR(described.Ipv6CidrBlockAssociationSet[0].Ipv6CidrBlock); // a /56
  const subnetIds: string[] = [];
  for (const [i, zone] of zones.entries()) {
    const v4 = cidr.replace(/^(\d+\.\d+)\.0\.0\/16$/, `$1.${i + 1}.0/24`);
    const parts = [...(block as ipaddr.IPv6).parts];
    parts[3] += i + 1; // the i+1-th /64 of the /56
    const v6 = `${new ipaddr.IPv6(parts).toString()}/64`;
    const subnet = (await ec2("create-subnet", "--vpc-id", vpc.VpcId, "--cidr-block", v4, "--ipv6-cidr-block", v6, "--availability-zone", zone)).Subnet;
    subnetIds.push(subnet.SubnetId);
  }
  return { vpcId: vpc.VpcId, subnetIds };
}

async function createService(opts: { acceptance?: boolean; privateDnsName?: string; ipTypes?: string[]; allow?: string[] } = {}): Promise<Service> {
  const lb = (
    await aws(emu.endpoint, [
      "elbv2",
      "create-load-balancer",
      "--name",
      `nlb-${++lbCount}`,
      "--type",
      "network",
      "--scheme",
      "internal",
      "--ip-address-type",
      "dualstack",
      "--subnets",
      ...provider.subnetIds,
    ])
  ).LoadBalancers[0];
  const args = ["create-vpc-endpoint-service-configuration", "--network-load-balancer-arns", lb.LoadBalancerArn];
  args.push(opts.acceptance === false ? "--no-acceptance-required" : "--acceptance-required");
  if (opts.privateDnsName) args.push("--private-dns-name", opts.privateDnsName);
  if (opts.ipTypes) args.push("--supported-ip-address-types", ...opts.ipTypes);
  const service = (await ec2<{ ServiceConfiguration: Service }>(...args)).ServiceConfiguration;
  for (const principal of opts.allow ?? [ROOT]) {
    await ec2("modify-vpc-endpoint-service-permissions", "--service-id", service.ServiceId, "--add-allowed-principals", principal);
  }
  return service;
}

async function describeService(serviceId: string): Promise<Service> {
  return (await ec2("describe-vpc-endpoint-service-configurations", "--service-ids", serviceId)).ServiceConfigurations[0];
}

async function createEndpoint(service: Service, extra: string[] = ["--no-private-dns-enabled"]): Promise<any> {
  return (
    await ec2(
      "create-vpc-endpoint",
      "--vpc-id",
      consumer.vpcId,
      "--service-name",
      service.ServiceName,
      "--vpc-endpoint-type",
      "Interface",
      "--subnet-ids",
      ...consumer.subnetIds,
      ...extra,
    )
  ).VpcEndpoint;
}

async function describeEndpoint(endpointId: string): Promise<any> {
  return (await ec2("describe-vpc-endpoints", "--vpc-endpoint-ids", endpointId)).VpcEndpoints[0];
}

/** Creates a public hosted zone and the TXT record `<recordName>` = "<value>" in it. */
async function txtRecord(zoneName: string, recordName: string, value: string): Promise<void> {
  const zone = (await route53("create-hosted-zone", "--name", zoneName, "--caller-reference", `${zoneName}-${Date.now()}`)).HostedZone;
  const change = { Changes: [{ Action: "CREATE", ResourceRecordSet: { Name: recordName, Type: "TXT", TTL: 300, ResourceRecords: [{ Value: `"${value}"` }] } }] };
  await route53("change-resource-record-sets", "--hosted-zone-id", zone.Id, "--change-batch", JSON.stringify(change));
}

async function verify(serviceId: string): Promise<string> {
  const started = await ec2("start-vpc-endpoint-service-private-dns-verification", "--service-id", serviceId);
  expect(started.ReturnValue).toBe(true);
  return (await describeService(serviceId)).PrivateDnsNameConfiguration!.State;
}

beforeAll(async () => {
  requireAwsCli();
  emu = await startEmulator();
  provider = await dualStackNetwork("10.0.0.0/16", ["us-west-2a", "us-west-2b"]);
  consumer = await dualStackNetwork("10.1.0.0/16", ["us-west-2a", "us-west-2b"]);
});

afterAll(async () => {
  await emu?.stop();
});

describe("subnets and VPCs", () => {
  test("a subnet's IPv6 CIDR association state is the word associated", async () => {
    // GIVEN a dual-stack subnet (created in beforeAll)
    // WHEN it is described
    const subnet = (await ec2("describe-subnets", "--subnet-ids", provider.subnetIds[0])).Subnets[0];
    const vpc = (await ec2("describe-vpcs", "--vpc-ids", provider.vpcId)).Vpcs[0];
    // THEN the association state is "associated" (what Terraform's aws_subnet waits for), for the VPC too
    expect(subnet.Ipv6CidrBlockAssociationSet).toHaveLength(1);
    expect(subnet.Ipv6CidrBlockAssociationSet[0].Ipv6CidrBlockState).toEqual({ State: "associated" });
    expect(vpc.Ipv6CidrBlockAssociationSet[0].Ipv6CidrBlockState.State).toBe("associated");
  });

  test("a subnet created by zone id is in that zone, and no default subnet", async () => {
    // GIVEN the region's zones as the emulator reports them
    const zones = (await ec2("describe-availability-zones")).AvailabilityZones.map((z: any) => [z.ZoneName, z.ZoneId]);
    expect(zones).toEqual(expect.arrayContaining([["us-west-2a", "usw2-az2"], ["us-west-2b", "usw2-az1"]]));
    // WHEN a subnet is created by zone id
    const subnet = (await ec2("create-subnet", "--vpc-id", provider.vpcId, "--cidr-block", "10.0.200.0/24", "--availability-zone-id", "usw2-az1")).Subnet;
    // THEN it carries the zone's name and id, and is an ordinary subnet (AWS maps no public IPv4 on launch)
    const described = (await ec2("describe-subnets", "--subnet-ids", subnet.SubnetId)).Subnets[0];
    expect(described).toEqual(expect.objectContaining({ AvailabilityZone: "us-west-2b", AvailabilityZoneId: "usw2-az1", MapPublicIpOnLaunch: false, DefaultForAz: false }));
    await ec2("delete-subnet", "--subnet-id", subnet.SubnetId);
  });

  test("a zone id of another region is refused, as AWS does", async () => {
    const message = await failure(ec2("create-subnet", "--vpc-id", provider.vpcId, "--cidr-block", "10.0.201.0/24", "--availability-zone-id", "use1-az1"));
    expect(message).toMatch(/InvalidParameterValue.*Value \(use1-az1\) for parameter availabilityZoneId is invalid\. Subnets can currently only be created in the following availability zones: usw2-az2, usw2-az1/);
  });
});

describe("private DNS name verification", () => {
  test("a new service gets a TXT challenge: _ + 20 characters, vpce: + 20, pendingVerification", async () => {
    // GIVEN / WHEN a service with a private DNS name is created
    const service = await createService({ privateDnsName: "api.challenge.example" });
    // THEN its configuration is a real challenge, not yet verified
    const config = service.PrivateDnsNameConfiguration!;
    expect(config.Name).toMatch(/^_[a-z0-9]{20}$/);
    expect(config.Value).toMatch(/^vpce:[a-z0-9]{20}$/);
    expect(config.Type).toBe("TXT");
    expect(config.State).toBe("pendingVerification");
    // AND describe returns the same challenge
    expect((await describeService(service.ServiceId)).PrivateDnsNameConfiguration).toEqual(config);
  });

  test("verification fails when the TXT record does not exist", async () => {
    // GIVEN a service whose domain has no TXT record anywhere
    const service = await createService({ privateDnsName: "api.nowhere.example" });
    // WHEN verification is started
    const state = await verify(service.ServiceId);
    // THEN the domain is not verified
    expect(state).toBe("failed");
  });

  test("verification fails when the TXT record holds another value", async () => {
    // GIVEN a TXT record at the right name with the wrong value
    const service = await createService({ privateDnsName: "api.wrong-value.example" });
    const { Name } = service.PrivateDnsNameConfiguration!;
    await txtRecord("wrong-value.example", `${Name}.api.wrong-value.example`, "vpce:not-the-token");
    // WHEN verification is started
    // THEN it fails
    expect(await verify(service.ServiceId)).toBe("failed");
  });

  test("verification succeeds with the TXT record at <name>.<private DNS name>", async () => {
    // GIVEN the TXT record the service asks for, in a Route 53 zone of the emulator
    const service = await createService({ privateDnsName: "api.verified.example" });
    const { Name, Value } = service.PrivateDnsNameConfiguration!;
    await txtRecord("verified.example", `${Name}.api.verified.example`, Value);
    // WHEN verification is started
    // THEN the domain is verified
    expect(await verify(service.ServiceId)).toBe("verified");
  });

  test("a TXT record at a parent domain of the private DNS name also verifies, and a leading *. is ignored", async () => {
    // GIVEN services named *.svc.team.parent.example and api.team.parent.example, records at <name>.parent.example and <name>.svc.team.parent.example
    const wildcard = await createService({ privateDnsName: "*.svc.team.parent.example" });
    const plain = await createService({ privateDnsName: "api.team.parent.example" });
    await txtRecord("parent.example", `${plain.PrivateDnsNameConfiguration!.Name}.parent.example`, plain.PrivateDnsNameConfiguration!.Value);
    await txtRecord(
      "svc.team.parent.example",
      `${wildcard.PrivateDnsNameConfiguration!.Name}.svc.team.parent.example`,
      wildcard.PrivateDnsNameConfiguration!.Value,
    );
    // WHEN verification is started for both
    // THEN both are verified
    expect(await verify(plain.ServiceId)).toBe("verified");
    expect(await verify(wildcard.ServiceId)).toBe("verified");
  });

  test("changing the private DNS name asks for verification again", async () => {
    // GIVEN a verified service
    const service = await createService({ privateDnsName: "api.rename.example" });
    const { Name, Value } = service.PrivateDnsNameConfiguration!;
    await txtRecord("rename.example", `${Name}.api.rename.example`, Value);
    expect(await verify(service.ServiceId)).toBe("verified");
    // WHEN its private DNS name changes
    await ec2("modify-vpc-endpoint-service-configuration", "--service-id", service.ServiceId, "--private-dns-name", "www.rename.example");
    // THEN the new name is pending verification, with a new challenge
    const after = await describeService(service.ServiceId);
    expect(after.PrivateDnsName).toBe("www.rename.example");
    expect(after.PrivateDnsNameConfiguration!.State).toBe("pendingVerification");
    expect(after.PrivateDnsNameConfiguration!.Name).not.toBe(Name);
    expect(after.PrivateDnsNameConfiguration!.Value).not.toBe(Value);
    // AND the old record no longer verifies it; a record for the new challenge does
    expect(await verify(service.ServiceId)).toBe("failed");
    await txtRecord("www.rename.example", `${after.PrivateDnsNameConfiguration!.Name}.www.rename.example`, after.PrivateDnsNameConfiguration!.Value);
    expect(await verify(service.ServiceId)).toBe("verified");
  });

  test("an endpoint with private DNS answers the service's name while it is verified, and follows a rename once verified again", async () => {
    // GIVEN a verified service without acceptance, and an endpoint with private DNS on
    const service = await createService({ acceptance: false, privateDnsName: "api.follow.example" });
    const first = service.PrivateDnsNameConfiguration!;
    await txtRecord("follow.example", `${first.Name}.api.follow.example`, first.Value);
    expect(await verify(service.ServiceId)).toBe("verified");
    const endpoint = await createEndpoint(service, ["--private-dns-enabled"]);
    const names = async () => (await describeEndpoint(endpoint.VpcEndpointId)).DnsEntries.map((e: { DnsName: string }) => e.DnsName);
    expect(await names()).toContain("api.follow.example");
    // WHEN the name changes: pending, so the endpoint answers neither name
    await ec2("modify-vpc-endpoint-service-configuration", "--service-id", service.ServiceId, "--private-dns-name", "portal.follow.example");
    expect((await names()).filter((n: string) => n.endsWith("follow.example"))).toEqual([]);
    // AND once the new name is verified, the endpoint answers it, with no change to the endpoint
    const second = (await describeService(service.ServiceId)).PrivateDnsNameConfiguration!;
    await txtRecord("portal.follow.example", `${second.Name}.portal.follow.example`, second.Value);
    expect(await verify(service.ServiceId)).toBe("verified");
    expect((await names()).filter((n: string) => n.endsWith("follow.example"))).toEqual(["portal.follow.example"]);
    expect((await describeEndpoint(endpoint.VpcEndpointId)).PrivateDnsEnabled).toBe(true);
  });
});

describe("service permissions", () => {
  test("modify returns AddedPrincipals with a ServicePermissionId that describe repeats", async () => {
    // GIVEN a service with no allowed principal
    const service = await createService({ allow: [] });
    // WHEN two principals are allowed
    const added = await ec2(
      "modify-vpc-endpoint-service-permissions",
      "--service-id",
      service.ServiceId,
      "--add-allowed-principals",
      ROOT,
      "arn:aws:iam::222222222222:role/consumer",
    );
    // THEN the answer names each with its type and a vpce-svc-perm- id
    expect(added.ReturnValue).toBe(true);
    expect(added.AddedPrincipals).toEqual([
      { Principal: ROOT, PrincipalType: "Account", ServicePermissionId: expect.stringMatching(/^vpce-svc-perm-[0-9a-f]+$/), ServiceId: service.ServiceId },
      {
        Principal: "arn:aws:iam::222222222222:role/consumer",
        PrincipalType: "Role",
        ServicePermissionId: expect.stringMatching(/^vpce-svc-perm-[0-9a-f]+$/),
        ServiceId: service.ServiceId,
      },
    ]);
    // AND describe lists the same principals with the same ids, again and again
    const first = (await ec2("describe-vpc-endpoint-service-permissions", "--service-id", service.ServiceId)).AllowedPrincipals;
    const second = (await ec2("describe-vpc-endpoint-service-permissions", "--service-id", service.ServiceId)).AllowedPrincipals;
    expect(first).toEqual(added.AddedPrincipals);
    expect(second).toEqual(first);
    // AND removing one leaves the other with its id
    await ec2("modify-vpc-endpoint-service-permissions", "--service-id", service.ServiceId, "--remove-allowed-principals", "arn:aws:iam::222222222222:role/consumer");
    const left = (await ec2("describe-vpc-endpoint-service-permissions", "--service-id", service.ServiceId)).AllowedPrincipals;
    expect(left).toEqual([added.AddedPrincipals[0]]);
  });

  test("an account that is not an allowed principal cannot create an endpoint to the service", async () => {
    // GIVEN a service that allows another account only
    const service = await createService({ allow: ["arn:aws:iam::222222222222:root"] });
    // WHEN this account creates an endpoint to it
    const error = await failure(createEndpoint(service));
    // THEN AWS's answer for a service the caller may not see comes back
    expect(error).toContain("(InvalidServiceName)");
    expect(error).toContain(`The Vpc Endpoint Service '${service.ServiceName}' does not exist`);
  });

  test("an allowed * lets any account connect", async () => {
    // GIVEN a service that allows everyone
    const service = await createService({ acceptance: false, allow: ["*"] });
    // WHEN an endpoint is created
    const endpoint = await createEndpoint(service);
    // THEN it is available at once (no acceptance required)
    expect(endpoint.State).toBe("available");
  });
});

describe("endpoint connections", () => {
  test("an endpoint of an acceptance-required service is pendingAcceptance until accepted, then available", async () => {
    // GIVEN an acceptance-required service
    const service = await createService({ acceptance: true });
    // WHEN an endpoint is created
    const endpoint = await createEndpoint(service);
    // THEN it waits for acceptance, and the service owner sees the request
    expect(endpoint.State).toBe("pendingAcceptance");
    const pending = (await ec2("describe-vpc-endpoint-connections", "--filters", `Name=service-id,Values=${service.ServiceId}`)).VpcEndpointConnections;
    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatchObject({
      ServiceId: service.ServiceId,
      VpcEndpointId: endpoint.VpcEndpointId,
      VpcEndpointOwner: EMULATOR_ACCOUNT,
      VpcEndpointState: "pendingAcceptance",
      IpAddressType: "ipv4",
    });
    expect(pending[0].CreationTimestamp).toBeDefined();
    expect(pending[0].NetworkLoadBalancerArns).toHaveLength(1);
    expect(pending[0].DnsEntries.length).toBeGreaterThan(0);

    // WHEN the owner accepts it (and an endpoint that does not exist)
    const accepted = await ec2("accept-vpc-endpoint-connections", "--service-id", service.ServiceId, "--vpc-endpoint-ids", endpoint.VpcEndpointId, "vpce-0123456789abcdef0");
    // THEN the unknown one is reported unsuccessful and the real one is available
    expect(accepted.Unsuccessful).toEqual([
      { ResourceId: "vpce-0123456789abcdef0", Error: { Code: "InvalidVpcEndpointId.NotFound", Message: expect.stringContaining("vpce-0123456789abcdef0") } },
    ]);
    expect((await describeEndpoint(endpoint.VpcEndpointId)).State).toBe("available");
    const byEndpoint = (await ec2("describe-vpc-endpoint-connections", "--filters", `Name=vpc-endpoint-id,Values=${endpoint.VpcEndpointId}`))
      .VpcEndpointConnections;
    expect(byEndpoint.map((c: any) => [c.VpcEndpointId, c.VpcEndpointState])).toEqual([[endpoint.VpcEndpointId, "available"]]);
  });

  test("a rejected endpoint is rejected", async () => {
    // GIVEN a pending endpoint
    const service = await createService({ acceptance: true });
    const endpoint = await createEndpoint(service);
    // WHEN the owner rejects it
    const rejected = await ec2("reject-vpc-endpoint-connections", "--service-id", service.ServiceId, "--vpc-endpoint-ids", endpoint.VpcEndpointId);
    // THEN it is rejected, seen from both sides
    expect(rejected.Unsuccessful ?? []).toEqual([]);
    expect((await describeEndpoint(endpoint.VpcEndpointId)).State).toBe("rejected");
    const connections = (await ec2("describe-vpc-endpoint-connections", "--filters", `Name=service-id,Values=${service.ServiceId}`)).VpcEndpointConnections;
    expect(connections[0].VpcEndpointState).toBe("rejected");
  });

  test("a service with live connections cannot be deleted", async () => {
    // GIVEN a service with an available endpoint
    const service = await createService({ acceptance: false });
    const endpoint = await createEndpoint(service);
    // WHEN it is deleted
    const result = await ec2("delete-vpc-endpoint-service-configurations", "--service-ids", service.ServiceId);
    // THEN it is refused; once the endpoint is gone, deletion works
    expect(result.Unsuccessful[0].Error.Code).toBe("ExistingVpcEndpointConnections");
    await ec2("delete-vpc-endpoints", "--vpc-endpoint-ids", endpoint.VpcEndpointId);
    expect((await ec2("delete-vpc-endpoint-service-configurations", "--service-ids", service.ServiceId)).Unsuccessful ?? []).toEqual([]);
  });
});

describe("private DNS on an endpoint", () => {
  test("is refused before acceptance with AWS's text, and turned on after acceptance and verification", async () => {
    // GIVEN an acceptance-required service with a private DNS name
    const service = await createService({ acceptance: true, privateDnsName: "api.flow.example" });
    const expected = `Private DNS can only be enabled after the endpoint connection is accepted by the owner of ${service.ServiceName}`;

    // WHEN an endpoint asks for private DNS at creation THEN it is refused
    const atCreate = await failure(createEndpoint(service, ["--private-dns-enabled"]));
    expect(atCreate).toContain("(InvalidParameter)");
    expect(atCreate).toContain(expected);

    // WHEN private DNS is turned on before acceptance THEN it is refused with AWS's text
    const endpoint = await createEndpoint(service);
    expect(endpoint.PrivateDnsEnabled).toBe(false);
    const beforeAccept = await failure(ec2("modify-vpc-endpoint", "--vpc-endpoint-id", endpoint.VpcEndpointId, "--private-dns-enabled"));
    expect(beforeAccept).toContain("(InvalidParameter)");
    expect(beforeAccept).toContain(expected);

    // WHEN it is accepted but the domain is not verified THEN it is still refused, saying why
    await ec2("accept-vpc-endpoint-connections", "--service-id", service.ServiceId, "--vpc-endpoint-ids", endpoint.VpcEndpointId);
    const unverified = await failure(ec2("modify-vpc-endpoint", "--vpc-endpoint-id", endpoint.VpcEndpointId, "--private-dns-enabled"));
    expect(unverified).toContain("(InvalidParameter)");
    expect(unverified).toContain("has not verified the private DNS name api.flow.example");

    // WHEN the domain is verified THEN private DNS turns on, and the name joins the endpoint's DNS entries
    const { Name, Value } = service.PrivateDnsNameConfiguration!;
    await txtRecord("flow.example", `${Name}.api.flow.example`, Value);
    expect(await verify(service.ServiceId)).toBe("verified");
    await ec2("modify-vpc-endpoint", "--vpc-endpoint-id", endpoint.VpcEndpointId, "--private-dns-enabled");
    const described = await describeEndpoint(endpoint.VpcEndpointId);
    expect(described.PrivateDnsEnabled).toBe(true);
    expect(described.DnsEntries.map((e: any) => e.DnsName)).toContain("api.flow.example");

    // AND turning it off again is always allowed
    await ec2("modify-vpc-endpoint", "--vpc-endpoint-id", endpoint.VpcEndpointId, "--no-private-dns-enabled");
    expect((await describeEndpoint(endpoint.VpcEndpointId)).PrivateDnsEnabled).toBe(false);
  });

  test("without acceptance, private DNS can be on from creation once the domain is verified", async () => {
    // GIVEN a verified service that does not require acceptance
    const service = await createService({ acceptance: false, privateDnsName: "api.direct.example" });
    const { Name, Value } = service.PrivateDnsNameConfiguration!;
    await txtRecord("direct.example", `${Name}.api.direct.example`, Value);
    expect(await verify(service.ServiceId)).toBe("verified");
    // WHEN an endpoint is created with private DNS
    const endpoint = await createEndpoint(service, ["--private-dns-enabled"]);
    // THEN it is available with private DNS on
    expect(endpoint.State).toBe("available");
    expect((await describeEndpoint(endpoint.VpcEndpointId)).PrivateDnsEnabled).toBe(true);
  });
});

describe("IP address types and DNS names", () => {
  test("a service's supported IP address types round-trip through create, modify and describe", async () => {
    // GIVEN a service created for IPv4 and IPv6
    const service = await createService({ ipTypes: ["ipv4", "ipv6"] });
    expect(service.SupportedIpAddressTypes).toEqual(["ipv4", "ipv6"]);
    // WHEN IPv6 is removed THEN describe says ipv4 only
    await ec2("modify-vpc-endpoint-service-configuration", "--service-id", service.ServiceId, "--remove-supported-ip-address-types", "ipv6");
    expect((await describeService(service.ServiceId)).SupportedIpAddressTypes).toEqual(["ipv4"]);
    // WHEN it is added back THEN both are listed, also to consumers
    await ec2("modify-vpc-endpoint-service-configuration", "--service-id", service.ServiceId, "--add-supported-ip-address-types", "ipv6");
    expect((await describeService(service.ServiceId)).SupportedIpAddressTypes).toEqual(["ipv4", "ipv6"]);
    const details = (await ec2("describe-vpc-endpoint-services", "--service-names", service.ServiceName)).ServiceDetails;
    expect(details).toHaveLength(1);
    expect(details[0].SupportedIpAddressTypes).toEqual(["ipv4", "ipv6"]);
  });

  test("a service created without types supports ipv4 only, and refuses dual-stack endpoints", async () => {
    // GIVEN a service with the default IP address types
    const service = await createService();
    expect(service.SupportedIpAddressTypes).toEqual(["ipv4"]);
    // WHEN a dual-stack endpoint is created THEN it is refused
    const error = await failure(createEndpoint(service, ["--ip-address-type", "dualstack", "--no-private-dns-enabled"]));
    expect(error).toContain("(InvalidParameter)");
    expect(error).toContain("does not support the IP address type dualstack");
  });

  test("an endpoint's IpAddressType and DnsOptions round-trip, with one ENI and one zonal name per subnet", async () => {
    // GIVEN a dual-stack service
    const service = await createService({ acceptance: false, ipTypes: ["ipv4", "ipv6"] });
    // WHEN a dual-stack endpoint with dual-stack DNS records is created
    const endpoint = await createEndpoint(service, ["--ip-address-type", "dualstack", "--dns-options", "DnsRecordIpType=dualstack", "--no-private-dns-enabled"]);
    const described = await describeEndpoint(endpoint.VpcEndpointId);
    // THEN describe returns what was sent
    expect(described.IpAddressType).toBe("dualstack");
    expect(described.DnsOptions).toEqual({ DnsRecordIpType: "dualstack" });
    expect(described.PrivateDnsEnabled).toBe(false);
    // AND one ENI per subnet, in that subnet, with an IPv6 address
    expect(described.NetworkInterfaceIds).toHaveLength(2);
    const enis = (await ec2("describe-network-interfaces", "--network-interface-ids", ...described.NetworkInterfaceIds)).NetworkInterfaces;
    expect(enis.map((e: any) => e.SubnetId).sort()).toEqual([...consumer.subnetIds].sort());
    for (const eni of enis) expect(eni.Ipv6Addresses).toHaveLength(1);
    // AND a regional name plus one zonal name per AZ, AWS-shaped, with a hosted zone id
    const id = endpoint.VpcEndpointId;
    const suffix = `${service.ServiceId}\\.us-west-2\\.vpce\\.amazonaws\\.com`;
    const names = described.DnsEntries.map((e: any) => e.DnsName);
    expect(names).toHaveLength(3);
    expect(names[0]).toMatch(new RegExp(`^${id}-[a-z0-9]{8}\\.${suffix}$`));
    const label = names[0].split(".")[0];
    expect(names.slice(1)).toEqual([`${label}-us-west-2a.${names[0].slice(label.length + 1)}`, `${label}-us-west-2b.${names[0].slice(label.length + 1)}`]);
    for (const entry of described.DnsEntries) expect(entry.HostedZoneId).toMatch(/^Z[A-Z0-9]+$/);

    // WHEN the IP address type and DNS record type change THEN describe follows
    await ec2("modify-vpc-endpoint", "--vpc-endpoint-id", id, "--ip-address-type", "ipv4", "--dns-options", "DnsRecordIpType=ipv4");
    const modified = await describeEndpoint(id);
    expect(modified.IpAddressType).toBe("ipv4");
    expect(modified.DnsOptions).toEqual({ DnsRecordIpType: "ipv4" });
  });

  test("an endpoint created without IP options defaults to ipv4 / ipv4", async () => {
    // GIVEN a service
    const service = await createService({ acceptance: false });
    // WHEN an endpoint is created without IpAddressType or DnsOptions
    const endpoint = await createEndpoint(service);
    // THEN it reports AWS's defaults
    const described = await describeEndpoint(endpoint.VpcEndpointId);
    expect(described.IpAddressType).toBe("ipv4");
    expect(described.DnsOptions).toEqual({ DnsRecordIpType: "ipv4" });
  });
});

describe("security group rules", () => {
  test("the description of a rule that references a security group round-trips", async () => {
    // GIVEN an endpoint security group and a client security group
    const endpointSg = (await ec2("create-security-group", "--group-name", "endpoint", "--description", "endpoint", "--vpc-id", consumer.vpcId)).GroupId;
    const clientSg = (await ec2("create-security-group", "--group-name", "client", "--description", "client", "--vpc-id", consumer.vpcId)).GroupId;
    // WHEN ingress rules with descriptions are added, one from the client group and one from a CIDR
    const permissions = [
      { IpProtocol: "tcp", FromPort: 80, ToPort: 80, UserIdGroupPairs: [{ GroupId: clientSg, Description: "TCP 80 from allowed client" }] },
      { IpProtocol: "tcp", FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: "10.1.0.0/16", Description: "TCP 80 from 10.1.0.0/16" }] },
    ];
    await ec2("authorize-security-group-ingress", "--group-id", endpointSg, "--ip-permissions", JSON.stringify(permissions));
    // THEN describe-security-group-rules returns both descriptions
    const rules = (await ec2("describe-security-group-rules", "--filters", `Name=group-id,Values=${endpointSg}`)).SecurityGroupRules.filter(
      (r: any) => !r.IsEgress,
    );
    const byDescription = Object.fromEntries(rules.map((r: any) => [r.Description, r]));
    expect(Object.keys(byDescription).sort()).toEqual(["TCP 80 from 10.1.0.0/16", "TCP 80 from allowed client"]);
    expect(byDescription["TCP 80 from allowed client"].ReferencedGroupInfo.GroupId).toBe(clientSg);
  });
});

describe("network load balancers with security groups", () => {
  const elbv2 = <T = any>(...args: string[]) => aws<T>(emu.endpoint, ["elbv2", ...args]);

  test("an NLB created with a group evaluates PrivateLink traffic by default; SetSecurityGroups turns it off, and describe says so", async () => {
    // GIVEN an NLB created with a security group
    const group = (await ec2("create-security-group", "--group-name", "nlb-sg", "--description", "nlb", "--vpc-id", provider.vpcId)).GroupId;
    const lb = (await elbv2("create-load-balancer", "--name", "nlb-with-sg", "--type", "network", "--scheme", "internal", "--security-groups", group, "--subnets", ...provider.subnetIds)).LoadBalancers[0];
    const described = async () => (await elbv2("describe-load-balancers", "--load-balancer-arns", lb.LoadBalancerArn)).LoadBalancers[0];
    expect(await described()).toMatchObject({ SecurityGroups: [group], EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic: "on" });
    // WHEN the PrivateLink setting is turned off
    const set = await elbv2("set-security-groups", "--load-balancer-arn", lb.LoadBalancerArn, "--security-groups", group, "--enforce-security-group-inbound-rules-on-private-link-traffic", "off");
    // THEN the answer and the description carry it
    expect(set.EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic).toBe("off");
    expect((await described()).EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic).toBe("off");
  });

  test("an NLB created without a group has no such setting", async () => {
    const lb = (await elbv2("create-load-balancer", "--name", "nlb-without-sg", "--type", "network", "--scheme", "internal", "--subnets", ...provider.subnetIds)).LoadBalancers[0];
    const described = (await elbv2("describe-load-balancers", "--load-balancer-arns", lb.LoadBalancerArn)).LoadBalancers[0];
    expect(described.EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic).toBeUndefined();
  });
});

describe("fault injection", () => {
  const vpcCount = async () => (await ec2("describe-vpcs")).Vpcs.length;

  test("an armed fault fails the matching calls as often as asked, before anything is created, then calls pass again", async () => {
    // GIVEN a fault on CreateVpc for one CIDR, twice
    await injectFault(emu.endpoint, { action: "CreateVpc", times: 2, params: { CidrBlock: "10.9.0.0/16" } });
    expect(await armedFaults(emu.endpoint)).toEqual([{ action: "CreateVpc", times: 2, params: { CidrBlock: "10.9.0.0/16" } }]);
    const before = await vpcCount();
    // WHEN calls with other parameters and other actions are made, THEN they pass
    await ec2("create-vpc", "--cidr-block", "10.8.0.0/16");
    // AND the matching calls fail with a client error, creating nothing
    expect(await failure(ec2("create-vpc", "--cidr-block", "10.9.0.0/16"))).toMatch(/\(InjectedFault\) when calling the CreateVpc operation.*?: the emulator failed CreateVpc on purpose: a fault armed through \/_privatelink\/faults \(1 more left\)/);
    expect(await failure(ec2("create-vpc", "--cidr-block", "10.9.0.0/16"))).toMatch(/\(InjectedFault\).*\(0 more left\)/);
    expect(await vpcCount()).toBe(before + 1);
    // AND once spent, the fault is gone and the call passes
    expect(await armedFaults(emu.endpoint)).toEqual([]);
    expect((await ec2("create-vpc", "--cidr-block", "10.9.0.0/16")).Vpc.CidrBlock).toBe("10.9.0.0/16");
  });

  test("a bad fault is refused, naming each bad field; DELETE disarms every fault", async () => {
    await injectFault(emu.endpoint, { action: "CreateSubnet" });
    expect((await fetch(`${emu.endpoint}/_privatelink/faults`, { method: "DELETE" })).status).toBe(200);
    expect(await armedFaults(emu.endpoint)).toEqual([]);
    const r = await fetch(`${emu.endpoint}/_privatelink/faults`, { method: "POST", body: JSON.stringify({ action: "", times: 0, params: { IpAddressType: 4 }, when: "now" }) });
    expect(r.status).toBe(400);
    const { error } = (await r.json()) as { error: string };
    expect(error.split("; ")).toEqual([
      "action: expected an API action name such as CreateVpcEndpoint, got ''",
      "times: expected a whole number of at least 1, got 0",
      "params: expected an object of request parameter names to string values, got {'IpAddressType': 4}",
      "unknown field(s) when: expected action, times and params",
    ]);
    expect(await armedFaults(emu.endpoint)).toEqual([]);
  });
});

describe("snapshots", () => {
  test("a snapshot loaded into a fresh emulator answers as the saved one did, and the two then go their own ways", async () => {
    // GIVEN an endpoint service (and the VPCs and subnets of the suite) on this emulator
    const service = await createService({ acceptance: true });
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "pl-snapshot-")), "emulator.pickle");
    const other = await startEmulator();
    try {
      // WHEN its state is saved and loaded into another emulator
      const saved = await snapshotEmulator(emu.endpoint, file);
      expect(saved.backends).toEqual(expect.arrayContaining(["moto.ec2.models:ec2_backends", "moto.elbv2.models:elbv2_backends"]));
      expect((await restoreEmulator(other.endpoint, file)).backends).toEqual(saved.backends);
      // THEN the other emulator has the same VPCs, subnets and service, under the same ids
      const on = (e: Emulator) => (...args: string[]) => aws(e.endpoint, ["ec2", ...args]);
      const ids = async (e: Emulator) => ({
        vpcs: (await on(e)("describe-vpcs")).Vpcs.map((v: any) => v.VpcId).sort(),
        subnets: (await on(e)("describe-subnets")).Subnets.map((v: any) => v.SubnetId).sort(),
        services: (await on(e)("describe-vpc-endpoint-service-configurations")).ServiceConfigurations.map((c: any) => [c.ServiceId, c.AcceptanceRequired]),
      });
      const original = await ids(emu);
      expect(original.vpcs).toContain(provider.vpcId);
      expect(original.services).toContainEqual([service.ServiceId, true]);
      expect(await ids(other)).toEqual(original);
      // AND a VPC created on one is not on the other
      const created = (await on(other)("create-vpc", "--cidr-block", "10.7.0.0/16")).Vpc.VpcId;
      expect((await ids(other)).vpcs).toContain(created);
      expect((await ids(emu)).vpcs).not.toContain(created);
    } finally {
      await other.stop();
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
  });

  test("a snapshot request without an absolute file, or a restore of a file that is not there, is refused with the reason", async () => {
    const bad = await fetch(`${emu.endpoint}/_privatelink/snapshot`, { method: "POST", body: JSON.stringify({ file: "relative.pickle" }) });
    expect({ status: bad.status, body: await bad.json() }).toEqual({ status: 400, body: { error: "file: expected an absolute path, got 'relative.pickle'" } });
    await expect(restoreEmulator(emu.endpoint, "/nonexistent/emulator.pickle")).rejects.toThrow(/restore of \/nonexistent\/emulator\.pickle failed: 500 .*FileNotFoundError/);
  });
});
