/**
 * Real `terraform validate` with the AWS provider 5.100.0 on one stack per construct.
 * The provider comes from a filesystem mirror when the machine has one (see ops/terraform.ts).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App, TerraformOutput, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import {
  ConnectionAccepter,
  ConnectionEvent,
  ConsumerEndpoint,
  DnsRecordIpType,
  DualStackNlb,
  DualStackVpc,
  EndpointIpAddressType,
  FlowLogDestination,
  HelloWorldInstance,
  PrivateLinkConsumer,
  PrivateLinkService,
  EndpointPrivateDns,
  EndpointService,
  HealthCheckProtocol,
  ListenerProtocol,
  NetworkListener,
  PrivateDnsVerification,
  ServiceIpAddressType,
  TargetIpAddressType,
  TargetType,
} from "../../modules";
import { requireTerraform } from "../../ops/terraform";
import { validateStacks } from "../support/validate";

class ConstructStack extends TerraformStack {
  constructor(scope: Construct, id: string, build: (stack: TerraformStack) => void) {
    super(scope, id);
    new AwsProvider(this, "aws", { region: "us-west-2" });
    build(this);
  }
}

const VPC = "vpc-0123456789abcdef0";
const SUBNETS = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"];

function nlb(scope: Construct): DualStackNlb {
  return new DualStackNlb(scope, "Nlb", {
    name: "pl-demo",
    vpcId: VPC,
    subnetIds: SUBNETS,
    listeners: [
      { port: 80 },
      { port: 443, protocol: ListenerProtocol.TLS, certificateArn: "arn:aws:acm:us-west-2:111111111111:certificate/abc", alpnPolicy: "HTTP2Preferred" },
      { port: 53, protocol: ListenerProtocol.TCP_UDP, target: { type: TargetType.IP, ipAddressType: TargetIpAddressType.IPV6, ids: ["2001:db8::10"], proxyProtocolV2: false } },
    ],
    target: {
      ids: ["i-0123456789abcdef0"],
      proxyProtocolV2: true,
      healthCheck: { protocol: HealthCheckProtocol.HTTP, path: "/health", intervalSeconds: 10 },
      deregistrationDelaySeconds: 30,
    },
    securityGroupIds: ["sg-0123456789abcdef0"],
    enforceSecurityGroupInboundRulesOnPrivateLinkTraffic: false,
    deletionProtection: true,
    accessLogs: { bucket: "logs-bucket", prefix: "nlb" },
  });
}

function service(scope: Construct): EndpointService {
  return new EndpointService(scope, "Service", {
    networkLoadBalancerArns: [nlb(scope).loadBalancerArn],
    allowedPrincipals: ["arn:aws:iam::222222222222:root"],
    supportedIpAddressTypes: [ServiceIpAddressType.IPV4, ServiceIpAddressType.IPV6],
    privateDnsName: "api.example.com",
    supportedRegions: ["us-east-1"],
    connectionNotification: { topicArn: "arn:aws:sns:us-west-2:111111111111:pl", events: [ConnectionEvent.CONNECT] },
  });
}

describe("terraform validate (AWS provider 5.100.0)", () => {
  let outdir: string;
  beforeAll(() => {
    requireTerraform();
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), "pl-validate-"));
  });
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test("every construct's stack is valid Terraform", () => {
    // GIVEN one stack per construct
    const app = new App({ outdir, skipValidation: false });
    new ConstructStack(app, "dual-stack-nlb", (s) => nlb(s));
    new ConstructStack(app, "endpoint-service", (s) => service(s));
    new ConstructStack(app, "network-listener", (s) => {
      // Alone, on a load balancer and group made elsewhere; the VPC's blocks read from the VPC.
      const group = new SecurityGroup(s, "Group", { vpcId: VPC, namePrefix: "nlb-" });
      const lb = new Lb(s, "Lb", { loadBalancerType: "network", internal: true, subnets: SUBNETS, securityGroups: [group.id] });
      new NetworkListener(s, "Tls", {
        loadBalancerArn: lb.arn,
        vpcId: VPC,
        port: 443,
        protocol: ListenerProtocol.TLS,
        certificateArn: "arn:aws:acm:us-west-2:111111111111:certificate/abc",
        target: { type: TargetType.IP, ipAddressType: TargetIpAddressType.IPV6, port: 8443, ids: ["2001:db8::10"], healthCheck: { protocol: HealthCheckProtocol.HTTPS, port: 9443 } },
        securityGroupId: group.id,
        allowDirectFrom: { securityGroupIds: ["sg-0123456789abcdef1"], ipv4Cidrs: ["10.9.0.0/16"], ipv6Cidrs: ["2001:db8:1::/56"] },
        name: "pl-demo-tls",
      });
    });
    new ConstructStack(app, "private-dns-verification", (s) => {
      const svc = service(s);
      new PrivateDnsVerification(s, "Route53", {
        serviceId: svc.serviceId,
        privateDnsName: "api.example.com",
        verificationName: svc.privateDnsVerificationName,
        verificationValue: svc.privateDnsVerificationValue,
        hostedZone: { zoneName: "example.com" },
      });
      new PrivateDnsVerification(s, "External", {
        serviceId: svc.serviceId,
        privateDnsName: "api.example.com",
        verificationName: svc.privateDnsVerificationName,
        verificationValue: svc.privateDnsVerificationValue,
        startVerification: true,
      });
    });
    new ConstructStack(app, "consumer-endpoint", (s) => {
      const ep = new ConsumerEndpoint(s, "Endpoint", {
        serviceName: "com.amazonaws.vpce.us-west-2.vpce-svc-0123456789abcdef0",
        vpcId: VPC,
        subnetIds: SUBNETS,
        ports: [{ port: 443 }, { port: 53, protocol: ListenerProtocol.TCP_UDP }],
        allowFrom: { securityGroupIds: ["sg-0123456789abcdef0"], ipv4Cidrs: ["10.1.0.0/16"], ipv6Cidrs: ["2001:db8::/56"] },
        ipAddressType: EndpointIpAddressType.DUALSTACK,
        dnsRecordIpType: DnsRecordIpType.DUALSTACK,
        privateDnsEnabled: true,
        serviceRegion: "us-east-1",
      });
      // The DNS name expressions are checked by validate only when something reads them.
      new TerraformOutput(s, "dns_names", { value: ep.dnsNames });
      new TerraformOutput(s, "zonal_dns_names", { value: ep.zonalDnsNames });
      new TerraformOutput(s, "endpoint_state", { value: ep.endpointState });
    });
    new ConstructStack(app, "connection-accepter", (s) => {
      new ConnectionAccepter(s, "Accepter", { serviceId: "vpce-svc-0123456789abcdef0", endpointIds: { app: "vpce-0123456789abcdef0" } });
    });
    new ConstructStack(app, "endpoint-private-dns", (s) => {
      new EndpointPrivateDns(s, "PrivateDns", { endpointId: "vpce-0123456789abcdef0" });
    });
    new ConstructStack(app, "dual-stack-vpc", (s) => {
      new DualStackVpc(s, "Logged", { ipv4Cidr: "10.0.0.0/16", availabilityZones: ["us-west-2a", "us-west-2b"], flowLogs: { destination: FlowLogDestination.CLOUDWATCH_LOGS } });
      new DualStackVpc(s, "ToS3", { ipv4Cidr: "10.1.0.0/16", availabilityZones: ["us-west-2a"], internetGateway: true, flowLogs: { destination: FlowLogDestination.S3, bucketArn: "arn:aws:s3:::flow-logs/vpc" } });
    });
    new ConstructStack(app, "hello-world-instance", (s) => {
      const demo = new HelloWorldInstance(s, "Demo", { vpcId: VPC, subnetId: SUBNETS[0], port: 8080, proxyProtocolV2: true });
      const own = new DualStackNlb(s, "Nlb", { vpcId: VPC, subnetIds: SUBNETS, listeners: [{ port: 80 }], target: { port: 8080, ids: [demo.instanceId] }, allowDirectFrom: { ipv4Cidrs: ["10.9.0.0/16"] } });
      demo.allowFrom(own.securityGroupId!);
    });
    new ConstructStack(app, "privatelink", (s) => {
      const svc = new PrivateLinkService(s, "Service", {
        loadBalancer: { vpcId: VPC, subnetIds: SUBNETS, listeners: [{ port: 443 }], target: { ids: ["i-0123456789abcdef0"] } },
        endpointService: { allowedPrincipals: ["arn:aws:iam::123456789012:root"], privateDnsName: "api.example.com" },
        domainVerification: { hostedZone: { zoneName: "example.com" } },
      });
      const allowFrom = { ipv4Cidrs: ["10.1.0.0/16"] };
      new PrivateLinkConsumer(s, "App", { service: svc, vpcId: "vpc-0fedcba9876543210", subnetIds: ["subnet-0fedcba9876543210"], allowFrom });
      new PrivateLinkConsumer(s, "Reports", { service: svc, vpcId: "vpc-0fedcba9876543210", subnetIds: ["subnet-0fedcba9876543210"], allowFrom, privateDns: false });
    });

    // WHEN synthesized and validated
    app.synth();
    const results = validateStacks(outdir);

    // THEN every stack is valid
    expect(results.map((r) => r.stack).sort()).toEqual(
      ["connection-accepter", "consumer-endpoint", "dual-stack-nlb", "dual-stack-vpc", "endpoint-private-dns", "endpoint-service", "hello-world-instance", "network-listener", "private-dns-verification", "privatelink"],
    );
    for (const r of results) expect({ stack: r.stack, errors: r.messages }).toEqual({ stack: r.stack, errors: [] });
    expect(results.every((r) => r.valid)).toBe(true);
  }, 300_000);
});
