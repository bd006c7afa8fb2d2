/**
 * The Terraform modules' two-account example applied on the emulator with plain Terraform, as a
 * team on Terraform alone would run it: the service account publishes the service, verifies its
 * private DNS name and accepts the consumer; the consumer account creates the dual-stack endpoint
 * and turns private DNS on; the service name, ports and endpoint id pass from module to module.
 * Then a plain plan is empty, and destroy leaves nothing. (Day 2 of the modules' keys, such as a
 * listener's port moved under the same address, is in their terraform tests; that the same
 * resources change in place on the emulator, in flow-day2.)
 */
import * as fs from "fs";
import * as path from "path";
import { Emulator, emulatorRequest, startEmulator } from "../../sandbox/emulator";
import { requireTerraform, terraform, terraformError } from "../../ops/terraform";
import { writeModules } from "../../registry/write";
import { SANDBOX_SERVICES } from "../../stacks/aws-provider";
import { tempDirs } from "../support/synth";

jest.setTimeout(900_000);

const newDir = tempDirs("pl-registry-example-");
const REGION = "us-west-2";
const SERVICE = "111111111111";
const CONSUMER = "222222222222";
const admin = (account: string) => `arn:aws:iam::${account}:role/emulator-admin`;

describe("examples/two-account on the emulator", () => {
  let emulator: Emulator;
  let dir: string;
  let zoneId: string;

  /** One AWS call in an account of the emulator, as its administrator. */
  const inAccount = <T = any>(account: string, service: string, operation: string, params: Record<string, unknown> = {}): T => {
    const answer = emulatorRequest<T>(emulator.endpoint, REGION, service, operation, params, { roleArn: admin(account) });
    if (answer.error) throw new Error(`${service} ${operation} in ${account}: ${answer.error.code} ${answer.error.message}`);
    return answer.result;
  };
  const run = async (args: string[]) => {
    const r = await terraform(dir, args);
    if (r.code !== 0 && !(args.includes("-detailed-exitcode") && r.code === 2)) throw new Error(`terraform ${args[0]} failed:\n${terraformError(r)}`);
    return r;
  };
  const vars = () =>
    fs.writeFileSync(
      path.join(dir, "terraform.tfvars.json"),
      JSON.stringify({ service_role_arn: admin(SERVICE), consumer_role_arn: admin(CONSUMER), private_dns_name: "api.example.com", hosted_zone_id: zoneId, listeners: { https: { port: 443, target: { port: 8443 } } } }, null, 2),
    );
  const outputs = async () => JSON.parse((await run(["output", "-json", "-no-color"])).stdout) as Record<string, { value: any }>;

  beforeAll(async () => {
    requireTerraform();
    emulator = await startEmulator();
    const out = path.join(newDir(), "terraform-aws-privatelink");
    writeModules(out);
    dir = path.join(out, "examples", "two-account");
    // The example's two providers, pointed at the emulator: an override file written by the test only.
    const provider = (alias: string) => ({
      alias,
      access_key: "test",
      secret_key: "test",
      endpoints: [Object.fromEntries(SANDBOX_SERVICES.map((s) => [s, emulator.endpoint]))],
      s3_use_path_style: true,
      skip_credentials_validation: true,
      skip_metadata_api_check: "true",
      skip_region_validation: true,
    });
    fs.writeFileSync(path.join(dir, "emulator_override.tf.json"), JSON.stringify({ provider: { aws: [provider("service"), provider("consumer")] } }, null, 2));
    zoneId = inAccount<any>(SERVICE, "route53", "create_hosted_zone", { Name: "example.com", CallerReference: "registry-example" }).HostedZone.Id.replace("/hostedzone/", "");
    vars();
    await run(["init", "-input=false", "-no-color"]);
  });
  afterAll(async () => {
    await emulator?.stop();
  });

  test("applied with one provider per account, it publishes, verifies, connects, accepts and turns private DNS on", async () => {
    await run(["apply", "-auto-approve", "-input=false", "-no-color"]);
    const o = await outputs();

    // THEN the service is in the service account: acceptance required, IPv4 and IPv6, its domain verified
    const services = inAccount(SERVICE, "ec2", "describe_vpc_endpoint_service_configurations").ServiceConfigurations;
    expect(services).toHaveLength(1);
    expect(services[0]).toMatchObject({ ServiceName: o.service_name.value, AcceptanceRequired: true, PrivateDnsName: "api.example.com" });
    expect([...services[0].SupportedIpAddressTypes].sort()).toEqual(["ipv4", "ipv6"]);
    expect(services[0].PrivateDnsNameConfiguration.State).toBe("verified");
    expect(inAccount(CONSUMER, "ec2", "describe_vpc_endpoint_service_configurations").ServiceConfigurations).toEqual([]);
    // AND its TXT record is in the zone, named from the service's own challenge
    const txt = inAccount(SERVICE, "route53", "list_resource_record_sets", { HostedZoneId: zoneId }).ResourceRecordSets.filter((r: any) => r.Type === "TXT");
    expect(txt.map((r: any) => r.Name)).toEqual([`${services[0].PrivateDnsNameConfiguration.Name}.api.example.com.`]);

    // AND the endpoint is in the consumer account: dual-stack, accepted, private DNS on
    const endpoints = inAccount(CONSUMER, "ec2", "describe_vpc_endpoints").VpcEndpoints;
    expect(endpoints).toHaveLength(1);
    expect(endpoints[0]).toMatchObject({ VpcEndpointId: o.endpoint_id.value, ServiceName: o.service_name.value, State: "available", PrivateDnsEnabled: true, IpAddressType: "dualstack" });
    expect(o.accepted_endpoint_ids.value).toEqual({ consumer: o.endpoint_id.value });
    // AND its own group admits the consumer VPC on the service's port, and nothing else
    const groupIds = endpoints[0].Groups.map((g: any) => g.GroupId);
    const rules = inAccount(CONSUMER, "ec2", "describe_security_group_rules", { Filters: [{ Name: "group-id", Values: groupIds }] }).SecurityGroupRules;
    expect(rules.map((r: any) => [r.IsEgress, r.IpProtocol, r.FromPort, r.CidrIpv4])).toEqual([[false, "tcp", 443, "10.1.0.0/16"]]);
  });

  test("a plain plan after it is empty", async () => {
    const plan = await run(["plan", "-detailed-exitcode", "-input=false", "-no-color"]);
    expect({ code: plan.code, changes: plan.stdout.match(/^\s+# .*$/gm) ?? [] }).toEqual({ code: 0, changes: [] });
  });

  test("destroy leaves nothing in either account", async () => {
    await run(["destroy", "-auto-approve", "-input=false", "-no-color"]);
    expect((await run(["state", "list"])).stdout.trim()).toBe("");
    expect(inAccount(SERVICE, "ec2", "describe_vpc_endpoint_service_configurations").ServiceConfigurations).toEqual([]);
    expect(inAccount(SERVICE, "elbv2", "describe_load_balancers").LoadBalancers).toEqual([]);
    // (AWS lists a deleted endpoint for a while, in state deleted)
    expect(inAccount(CONSUMER, "ec2", "describe_vpc_endpoints").VpcEndpoints.filter((e: any) => e.State !== "deleted")).toEqual([]);
    for (const account of [SERVICE, CONSUMER]) {
      const vpcs = inAccount(account, "ec2", "describe_vpcs", { Filters: [{ Name: "tag:Name", Values: ["privatelink-example-*"] }] }).Vpcs;
      expect(vpcs).toEqual([]);
    }
    expect(inAccount(SERVICE, "route53", "list_resource_record_sets", { HostedZoneId: zoneId }).ResourceRecordSets.filter((r: any) => r.Type === "TXT")).toEqual([]);
  });
});
