/**
 * The catalogue of bad configs: each one is run through the real app (main.ts) and must exit 1,
 * name the JSON path and the fix, and leave cdktf.out exactly as it was.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { digest, runApp } from "../support/app";
import { exampleJson } from "../support/synth";

type Json = Record<string, any>;

/** The whole line of a problem: what follows "<path>: ", exactly. */
const exact = (rest: string): RegExp => new RegExp(`: ${rest.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`);

/** [what is wrong, how to break the example, JSON path reported, words of the fix]. */
const CATALOGUE: [string, (c: Json) => void, string, RegExp][] = [
  ["unknown top-level key (typo)", (c) => (c.consumer = []), "consumer", /did you mean "consumers"/],
  ["unknown nested key (typo)", (c) => (c.service.loadBalancer.lisetners = []), "service.loadBalancer.lisetners", /did you mean "listeners"/],
  ["missing required section", (c) => delete c.service, "service", /required/],
  ["AWS provider version not a version", (c) => (c.terraform = { awsProviderVersion: "latest" }), "terraform.awsProviderVersion", /"~> 6\.0"/],
  ["name with capitals", (c) => (c.name = "Demo"), "name", /lowercase/],
  ["name too long", (c) => (c.name = "a".repeat(21)), "name", /1 to 20 characters/],
  ["consumer name duplicated", (c) => (c.consumers[1].name = "app"), "consumers[1].name", /no other consumer/],
  ["consumer name with underscore", (c) => (c.consumers[0].name = "my_app"), "consumers[0].name", /lowercase letters, digits and '-'/],
  ["service region invalid", (c) => (c.service.account.region = "us-westt-2"), "service.account.region", /region code such as us-west-2/],
  ["consumer role ARN not an IAM role", (c) => (c.consumers[0].account.roleArn = "arn:aws:s3:::bucket"), "consumers[0].account.roleArn", /IAM role ARN/],
  ["principal not an ARN", (c) => (c.service.endpointService.allowedPrincipals = ["222222222222"]), "service.endpointService.allowedPrincipals[0]", /IAM principal ARN/],
  ["TLS certificate not an ACM ARN", (c) => (c.service.loadBalancer.listeners = [{ port: 443, protocol: "TLS", certificateArn: "arn:aws:iam::111111111111:server-certificate/x" }]), "service.loadBalancer.listeners[0].certificateArn", /ACM certificate ARN/],
  ["TLS listener without a certificate", (c) => (c.service.loadBalancer.listeners = [{ port: 443, protocol: "TLS" }]), "service.loadBalancer.listeners[0].certificateArn", /ACM certificate/],
  ["certificate on a TCP listener", (c) => (c.service.loadBalancer.listeners[0].certificateArn = "arn:aws:acm:us-west-2:111111111111:certificate/x"), "service.loadBalancer.listeners[0].certificateArn", /only TLS listeners/],
  ["notification topic not an SNS ARN", (c) => (c.service.endpointService.connectionNotification = { topicArn: "my-topic" }), "service.endpointService.connectionNotification.topicArn", /SNS topic ARN/],
  ["VPC id malformed", (c) => (c.service.network = { vpcId: "vpc-123", subnetIds: ["subnet-0123456789abcdef0"] }), "service.network.vpcId", /vpc-0123456789abcdef0/],
  ["subnet id malformed", (c) => (c.consumers[0].network = { vpcId: "vpc-0123456789abcdef0", subnetIds: ["sub-1"] }), "consumers[0].network.subnetIds[0]", /subnet-0123456789abcdef0/],
  ["subnet repeated", (c) => (c.service.network = { vpcId: "vpc-0123456789abcdef0", subnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef0"] }), "service.network.subnetIds", /each subnet once/],
  ["security group id malformed", (c) => (c.consumers[0].allowFrom.securityGroupIds = ["group-1"]), "consumers[0].allowFrom.securityGroupIds[0]", /sg-0123456789abcdef0/],
  ["instance target id malformed", (c) => (c.service.loadBalancer.target.ids = ["web-1"]), "service.loadBalancer.target.ids[0]", /instance id/],
  ["IP target of the wrong family", (c) => Object.assign(c.service.loadBalancer.target, { type: "ip", ids: ["2001:db8::1"], demoInstance: undefined }), "service.loadBalancer.target.ids[0]", /IPv4 address/],
  ["IPv4 CIDR invalid", (c) => (c.consumers[0].allowFrom.ipv4Cidrs = ["10.1.0.0/33"]), "consumers[0].allowFrom.ipv4Cidrs[0]", /IPv4 CIDR/],
  ["IPv6 CIDR in the IPv4 list", (c) => (c.consumers[0].allowFrom.ipv4Cidrs = ["2001:db8::/56"]), "consumers[0].allowFrom.ipv4Cidrs[0]", /IPv4 CIDR/],
  ["IPv4 CIDR in the IPv6 list", (c) => (c.consumers[0].allowFrom.ipv6Cidrs = ["10.0.0.0/8"]), "consumers[0].allowFrom.ipv6Cidrs[0]", /IPv6 CIDR/],
  ["ingress from the whole IPv4 internet", (c) => (c.consumers[0].allowFrom.ipv4Cidrs = ["0.0.0.0/0"]), "consumers[0].allowFrom.ipv4Cidrs[0]", /allowAnyAddress/],
  ["ingress from the whole IPv6 internet", (c) => (c.consumers[0].allowFrom.ipv6Cidrs = ["::/0"]), "consumers[0].allowFrom.ipv6Cidrs[0]", /allowAnyAddress/],
  ["consumer admits nobody", (c) => (c.consumers[0].allowFrom = {}), "consumers[0].allowFrom", /at least one client/],
  ["listener port 0", (c) => (c.service.loadBalancer.listeners[0].port = 0), "service.loadBalancer.listeners[0].port", /1 to 65535/],
  ["listener port above 65535", (c) => (c.service.loadBalancer.listeners[0].port = 70000), "service.loadBalancer.listeners[0].port", /1 to 65535/],
  ["listener ports repeated", (c) => c.service.loadBalancer.listeners.push({ port: 80, protocol: "UDP" }), "service.loadBalancer.listeners", /each port once/],
  ["unknown listener protocol", (c) => (c.service.loadBalancer.listeners[0].protocol = "HTTP"), "service.loadBalancer.listeners[0].protocol", /TCP.*TLS.*UDP/],
  ["unknown target type", (c) => (c.service.loadBalancer.target.type = "lambda"), "service.loadBalancer.target.type", /instance.*ip/],
  ["proxy protocol v2 on a UDP listener", (c) => (c.service.loadBalancer.listeners = [{ port: 53, protocol: "UDP" }]), "service.loadBalancer.proxyProtocolV2", /needs TCP or TLS/],
  ["private DNS name not a domain", (c) => (c.service.endpointService.privateDnsName = "api_example"), "service.endpointService.privateDnsName", /domain name/],
  ["private DNS name label over 63 characters", (c) => (c.service.endpointService.privateDnsName = `${"a".repeat(64)}.example.com`), "service.endpointService.privateDnsName", /at most 63/],
  ["private DNS name outside the zone", (c) => (c.service.endpointService.privateDnsName = "api.example.org"), "dns.zoneName", /the zone that holds api\.example\.org/],
  ["private DNS name without a dns section", (c) => delete c.dns, "dns", /route53|external/],
  ["supported IP types empty", (c) => (c.service.endpointService.supportedIpAddressTypes = []), "service.endpointService.supportedIpAddressTypes", /ipv4.*ipv6/],
  ["IPv6 supported without a dual-stack NLB", (c) => (c.service.loadBalancer.ipAddressType = "ipv4"), "service.endpointService.supportedIpAddressTypes", /dual-stack load balancer/],
  ["dual-stack consumer of an IPv4-only service", (c) => (c.service.endpointService.supportedIpAddressTypes = ["ipv4"]), "consumers[0].ipAddressType", /add "ipv6"/],
  ["DNS record type incompatible with the IP type", (c) => (c.consumers[1].dnsRecordIpType = "ipv6"), "consumers[1].dnsRecordIpType", /ipv4, service-defined/],
  ["private DNS asked of a service without a name", (c) => { delete c.service.endpointService.privateDnsName; delete c.dns; }, "consumers[0].privateDns", /privateDnsName/],
  ["serviceRegion not the service's region", (c) => (c.consumers[0].serviceRegion = "eu-west-1"), "consumers[0].serviceRegion", /us-west-2/],
  ["cross-region consumer without a supported region", (c) => Object.assign(c.consumers[1], { account: { region: "eu-west-1" }, serviceRegion: "us-west-2", network: { create: { ipv4Cidr: "10.2.0.0/16", availabilityZones: ["eu-west-1a"] } } }), "service.endpointService.supportedRegions", /includes eu-west-1/],
  ["S3 backend without a bucket", (c) => (c.state = { backend: "s3", region: "us-west-2" }), "state.bucket", /required/],
  ["S3 backend with an invalid region", (c) => (c.state = { backend: "s3", bucket: "tf-state", region: "mars" }), "state.region", /region code/],
  ["unknown state backend", (c) => (c.state = { backend: "gcs" }), "state.backend", /local|s3/],
  ["acceptance required and no principal", (c) => (c.service.endpointService.allowedPrincipals = []), "service.endpointService.allowedPrincipals", /at least one principal.*no consumer can even request a connection/],
  [
    "a consumer role in an account no principal covers",
    (c) => (c.consumers[0].account.roleArn = "arn:aws:iam::333333333333:role/deploy"),
    "consumers[0].account",
    /consumer "app" deploys in account 333333333333 \(account\.roleArn\), and the principals are arn:aws:iam::123456789012:root; add "arn:aws:iam::333333333333:root" or "arn:aws:iam::333333333333:role\/deploy"/,
  ],
  ["a consumer account id no principal covers", (c) => (c.consumers[1].account.id = "444444444444"), "consumers[1].account", /consumer "reports" deploys in account 444444444444 \(account\.id\)/],
  ["the sandbox's account not among the principals", (c) => Object.assign(c, { sandbox: { endpoint: "http://127.0.0.1:4566" } }, { service: { ...c.service, endpointService: { ...c.service.endpointService, allowedPrincipals: ["arn:aws:iam::222222222222:root"] } } }), "consumers[0].account", /123456789012 \(the emulator's account: sandbox is set\)/],
  ["account id malformed", (c) => (c.consumers[0].account.id = "12345"), "consumers[0].account.id", /12-digit AWS account id/],
  ["account id not the role's account", (c) => Object.assign(c.consumers[0].account, { id: "123456789012", roleArn: "arn:aws:iam::333333333333:role/deploy" }), "consumers[0].account.id", /the account of consumers\[0\]\.account\.roleArn, 333333333333/],
  ["private DNS name with a trailing dot", (c) => (c.service.endpointService.privateDnsName = "api.example.com."), "service.endpointService.privateDnsName", /without its trailing dot, "api\.example\.com"/],
  ["no security group and your own groups at once", (c) => Object.assign(c.service.loadBalancer, { withoutSecurityGroup: { reason: "x" }, securityGroupIds: ["sg-0123456789abcdef0"] }), "service.loadBalancer.withoutSecurityGroup", /cannot both have your groups and none/],
  ["direct NLB clients from the whole internet", (c) => (c.service.loadBalancer.allowDirectFrom = { ipv4Cidrs: ["0.0.0.0/0"] }), "service.loadBalancer.allowDirectFrom.ipv4Cidrs[0]", /narrower CIDR than the whole internet/],
  ["S3 flow logs without a bucket", (c) => (c.service.network.create.flowLogs = { destination: "s3" }), "service.network.create.flowLogs.bucketArn", /S3 bucket ARN/],
  ["an external DNS section with a Route 53 key", (c) => (c.dns = { provider: "external", zoneName: "example.com" }), "dns.zoneName", /no such key: valid keys here: provider, startVerification/],
  ["allowFrom CIDR with host bits set", (c) => (c.consumers[0].allowFrom.ipv4Cidrs = ["10.1.2.3/16"]), "consumers[0].allowFrom.ipv4Cidrs[0]", /network address of the block, 10\.1\.0\.0\/16/],
  ["network.create CIDR with host bits set", (c) => (c.service.network.create.ipv4Cidr = "10.0.1.0/16"), "service.network.create.ipv4Cidr", /network address of the block, 10\.0\.0\.0\/16/],
  ["network.create CIDR too large", (c) => (c.service.network.create.ipv4Cidr = "10.0.0.0/8"), "service.network.create.ipv4Cidr", /\/16 to \/24/],
  ["network.create without zones", (c) => (c.consumers[0].network.create.availabilityZones = []), "consumers[0].network.create.availabilityZones", /1 to 16 Availability Zone/],
  ["network.create zone of another region", (c) => (c.consumers[0].network.create.availabilityZones = ["eu-west-1a"]), "consumers[0].network.create.availabilityZones[0]", /region us-west-2/],
  ["network.create zone id of another region", (c) => (c.consumers[0].network.create.availabilityZones = ["usw2-az1", "use1-az1"]), "consumers[0].network.create.availabilityZones[1]", exact('received "use1-az1"; expected a zone of region us-west-2: a name such as us-west-2a, or a zone id such as usw2-az1')],
  ["network.create zone id of a five-letter region in another region", (c) => (c.service.network.create.availabilityZones = ["apse2-az1"]), "service.network.create.availabilityZones[0]", exact('received "apse2-az1"; expected a zone of region us-west-2: a name such as us-west-2a, or a zone id such as usw2-az1')],
  ["network.create zone names and ids mixed", (c) => (c.consumers[0].network.create.availabilityZones = ["us-west-2a", "usw2-az2"]), "consumers[0].network.create.availabilityZones", exact('received ["us-west-2a","usw2-az2"]; expected zone names only (such as us-west-2a) or zone ids only (such as usw2-az1), not both: a name and an id may be the same zone')],
  ["network.create zone id of no region", (c) => (c.consumers[1].network.create.availabilityZones = ["usw9-az1"]), "consumers[1].network.create.availabilityZones[0]", /^ {2}- consumers\[1\]\.network\.create\.availabilityZones\[0\]: received "usw9-az1"; expected a zone of region us-west-2: a name such as us-west-2a, or a zone id such as usw2-az1; usw9 is no region's zone-id prefix \(known: use1, use2, usw1, usw2, .*, cnnw1, usge1, usgw1\)$/],
  ["TLS certificate of another region", (c) => (c.service.loadBalancer.listeners = [{ port: 443, protocol: "TLS", certificateArn: "arn:aws:acm:us-east-1:111111111111:certificate/0b2c3d4e" }]), "service.loadBalancer.listeners[0].certificateArn", exact('received "arn:aws:acm:us-east-1:111111111111:certificate/0b2c3d4e"; expected a certificate of the load balancer\'s region, us-west-2 (service.account.region): ACM certificates are regional; request or import the certificate in us-west-2')],
  [
    "TLS certificate of another account than service.account.id",
    (c) => Object.assign(c.service, { account: { region: "us-west-2", id: "111111111111" }, loadBalancer: { ...c.service.loadBalancer, listeners: [{ port: 443, protocol: "TLS", certificateArn: "arn:aws:acm:us-west-2:222222222222:certificate/0b2c3d4e" }] } }),
    "service.loadBalancer.listeners[0].certificateArn",
    exact('received "arn:aws:acm:us-west-2:222222222222:certificate/0b2c3d4e"; expected a certificate of the load balancer\'s account, 111111111111 (service.account.id): a listener cannot use another account\'s certificate; request or import it in 111111111111'),
  ],
  [
    "TLS certificate of another account than the service role's",
    (c) => Object.assign(c.service, { account: { region: "us-west-2", roleArn: "arn:aws:iam::111111111111:role/deploy" }, loadBalancer: { ...c.service.loadBalancer, listeners: [{ port: 443, protocol: "TLS", certificateArn: "arn:aws:acm:us-west-2:222222222222:certificate/0b2c3d4e" }] } }),
    "service.loadBalancer.listeners[0].certificateArn",
    exact('received "arn:aws:acm:us-west-2:222222222222:certificate/0b2c3d4e"; expected a certificate of the load balancer\'s account, 111111111111 (service.account.roleArn): a listener cannot use another account\'s certificate; request or import it in 111111111111'),
  ],
  [
    "TLS certificate of another account than the emulator's",
    (c) => Object.assign(c, { sandbox: { endpoint: "http://127.0.0.1:4566" } }, { service: { ...c.service, loadBalancer: { ...c.service.loadBalancer, listeners: [{ port: 443, protocol: "TLS", certificateArn: "arn:aws:acm:us-west-2:222222222222:certificate/0b2c3d4e" }] } } }),
    "service.loadBalancer.listeners[0].certificateArn",
    exact('received "arn:aws:acm:us-west-2:222222222222:certificate/0b2c3d4e"; expected a certificate of the load balancer\'s account, 123456789012 (the emulator\'s account: sandbox is set): a listener cannot use another account\'s certificate; request or import it in 123456789012'),
  ],
  ["TLS certificate ARN of another partition than its region's", (c) => (c.service.loadBalancer.listeners = [{ port: 443, protocol: "TLS", certificateArn: "arn:aws-cn:acm:us-west-2:111111111111:certificate/0b2c3d4e" }]), "service.loadBalancer.listeners[0].certificateArn", exact('received "arn:aws-cn:acm:us-west-2:111111111111:certificate/0b2c3d4e"; expected an ARN of partition aws, the partition of us-west-2 (arn:aws:acm:...)')],
  ["both an existing VPC and network.create", (c) => (c.service.network.vpcId = "vpc-0123456789abcdef0"), "service.network", /not both/],
  ["sandbox endpoint not on loopback", (c) => (c.sandbox = { endpoint: "http://10.0.0.1:4566" }), "sandbox.endpoint", /loopback/],
  ["flow logs both set and refused", (c) => (c.consumers[0].network.create.withoutFlowLogs = { reason: "lab" }), "consumers[0].network.create.flowLogs", /^ {2}- consumers\[0\]\.network\.create\.flowLogs: received \{"destination":"cloud-watch-logs"\}; expected no flowLogs with withoutFlowLogs: a VPC cannot both record flow logs and go without$/],
  ["mistyped key, reported alone", (c) => ((c.service.endpointService.privateDNSName = "api.example.com"), delete c.service.endpointService.privateDnsName), "service.endpointService.privateDNSName", /did you mean "privateDnsName"\?/],
  ["HTTPS listener, reported alone", (c) => (c.service.loadBalancer.listeners = [{ port: 443, protocol: "HTTPS", certificateArn: "arn:aws:acm:us-west-2:123456789012:certificate/x" }]), "service.loadBalancer.listeners[0].protocol", /^ {2}- service\.loadBalancer\.listeners\[0\]\.protocol: received "HTTPS"; expected one of "TCP", "TLS", "UDP", "TCP_UDP"$/],
  ["local state outside the project", (c) => (c.state = { backend: "local", directory: "/var/state" }), "state.directory", /relative to its root/],
];

describe("bad config catalogue", () => {
  let outdir: string;
  let before: string;

  beforeAll(() => {
    // GIVEN a cdktf.out from an earlier good synth
    outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "pl-catalogue-")), "cdktf.out");
    const good = runApp(exampleJson(), outdir);
    expect(good.status).toBe(0);
    before = digest(outdir);
  });
  afterAll(() => fs.rmSync(path.dirname(outdir), { recursive: true, force: true }));

  test("holds at least 40 distinct mistakes", () => {
    expect(CATALOGUE.length).toBeGreaterThanOrEqual(40);
    expect(new Set(CATALOGUE.map(([what]) => what)).size).toBe(CATALOGUE.length);
  });

  test.each(CATALOGUE)("%s", (_what, breakIt, jsonPath, fix) => {
    // GIVEN the example with one mistake
    const config = exampleJson();
    breakIt(config);
    // WHEN the app runs on it
    const r = runApp(config, outdir);
    // THEN it exits 1, names the path and the fix on one line, and cdktf.out is untouched
    expect(r.status).toBe(1);
    const line = r.stderr.split("\n").find((l) => l.startsWith(`  - ${jsonPath}: received `));
    expect({ line: line ?? r.stderr }).toEqual({ line: expect.stringMatching(fix) });
    expect(digest(outdir)).toBe(before);
  });

  test.each([
    ["mistyped key", (c: Json) => ((c.service.endpointService.privateDNSName = "api.example.com"), delete c.service.endpointService.privateDnsName)],
    ["HTTPS listener", (c: Json) => (c.service.loadBalancer.listeners = [{ port: 443, protocol: "HTTPS", certificateArn: "arn:aws:acm:us-west-2:123456789012:certificate/x" }])],
  ])("one mistake, one message: %s", (_what, breakIt) => {
    const config = exampleJson();
    breakIt(config);
    const r = runApp(config, outdir);
    expect(r.stderr).toMatch(/: 1 problem\(s\) in the config:/);
  });

  test("the config file is named relative to the working directory, as in the success line", () => {
    const config = exampleJson();
    config.name = "Bad Name";
    const r = runApp(config, outdir);
    const file = path.join(path.dirname(outdir), "privatelink.config.json");
    expect(r.stderr.split("\n")[0]).toBe(`${path.relative(path.join(__dirname, "..", ".."), file)}: 1 problem(s) in the config:`);
    expect(path.isAbsolute(r.stderr.split(":")[0])).toBe(false);
  });

  test("several mistakes are all reported in one run", () => {
    // GIVEN three unrelated mistakes
    const config = exampleJson();
    config.name = "Bad Name";
    config.service.loadBalancer.listeners[0].port = 0;
    config.consumers[1].allowFrom.ipv4Cidrs = ["0.0.0.0/0"];
    // WHEN the app runs / THEN all three are listed, with the count
    const r = runApp(config, outdir);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/3 problem\(s\) in the config/);
    for (const p of ["name", "service.loadBalancer.listeners[0].port", "consumers[1].allowFrom.ipv4Cidrs[0]"]) expect(r.stderr).toContain(`  - ${p}: received `);
    expect(digest(outdir)).toBe(before);
  });
});
