import { spawn, ChildProcess } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { Testing } from "cdktf";
import { DataAwsSsmParameter } from "@cdktf/provider-aws/lib/data-aws-ssm-parameter";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { HELLO_WORLD_SERVER, HelloWorldInstance, HelloWorldInstanceProps } from "../../modules/hello-world-instance";

const props: HelloWorldInstanceProps = {
  vpcId: "vpc-0123456789abcdef0",
  subnetId: "subnet-0123456789abcdef0",
  allowFromIpv4Cidr: "10.0.0.0/16",
  allowFromIpv6Cidr: "2001:db8::/56",
};
const synth = (extra: Partial<HelloWorldInstanceProps> = {}) =>
  Testing.synthScope((scope) => {
    new HelloWorldInstance(scope, "Demo", { ...props, ...extra });
  });

describe("HelloWorldInstance", () => {
  test("launches the latest Amazon Linux 2023 with one IPv6 address and IMDSv2", () => {
    // GIVEN default props / WHEN synthesized
    const out = synth();
    // THEN
    expect(out).toHaveDataSourceWithProperties(DataAwsSsmParameter, { name: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64" });
    expect(out).toHaveResourceWithProperties(Instance, { instance_type: "t3.micro", ipv6_address_count: 1, metadata_options: { http_tokens: "required", http_endpoint: "enabled" } });
  });

  test("an explicit AMI skips the SSM lookup", () => {
    const out = synth({ amiId: "ami-0123456789abcdef0" });
    expect(out).not.toHaveDataSource(DataAwsSsmParameter);
    expect(out).toHaveResourceWithProperties(Instance, { ami: "ami-0123456789abcdef0" });
  });

  test("opens only the service port, from the load balancer's IPv4 and IPv6 networks, with no egress", () => {
    const out = synth({ port: 8080 });
    expect(out).toHaveResourceWithProperties(VpcSecurityGroupIngressRule, { from_port: 8080, to_port: 8080, cidr_ipv4: "10.0.0.0/16" });
    expect(out).toHaveResourceWithProperties(VpcSecurityGroupIngressRule, { from_port: 8080, to_port: 8080, cidr_ipv6: "2001:db8::/56" });
    const sg = Object.values<any>(JSON.parse(out).resource.aws_security_group)[0];
    expect(sg.egress).toBeUndefined();
  });

  test("allowFrom admits a security group (the load balancer's) on the service port, and nothing else", () => {
    // GIVEN a demo target without CIDRs, then allowFrom the load balancer's group
    const out = Testing.synthScope((scope) => {
      const demo = new HelloWorldInstance(scope, "Demo", { vpcId: props.vpcId, subnetId: props.subnetId, port: 8080 });
      demo.allowFrom("sg-0123456789abcdef0");
    });
    // THEN its group has one rule: TCP 8080 from that group
    const rules = Object.values<any>(JSON.parse(out).resource.aws_vpc_security_group_ingress_rule);
    expect(rules).toEqual([expect.objectContaining({ ip_protocol: "tcp", from_port: 8080, to_port: 8080, referenced_security_group_id: "sg-0123456789abcdef0" })]);
    expect(rules[0]).not.toHaveProperty("cidr_ipv4");
  });

  test("allowFromSecurityGroupId does the same at construction", () => {
    const out = synth({ allowFromIpv4Cidr: undefined, allowFromIpv6Cidr: undefined, allowFromSecurityGroupId: "sg-0123456789abcdef0" });
    expect(Object.values<any>(JSON.parse(out).resource.aws_vpc_security_group_ingress_rule)).toEqual([expect.objectContaining({ referenced_security_group_id: "sg-0123456789abcdef0", from_port: 80 })]);
  });

  test("user data starts the server in proxy-v2 mode only when asked", () => {
    const data = (extra: Partial<HelloWorldInstanceProps>) => Object.values<any>(JSON.parse(synth(extra)).resource.aws_instance)[0].user_data as string;
    expect(data({ proxyProtocolV2: true })).toContain("hello-world.py 80 proxy-v2");
    expect(data({})).toContain("hello-world.py 80 plain");
  });

  test("an invalid port names the prop", () => {
    expect(() => synth({ port: 0 })).toThrow(/port: received 0/);
  });
});

/** Runs the demo server on loopback and talks to it as the load balancer would. */
describe("the demo target's web server", () => {
  let dir: string;
  const servers: ChildProcess[] = [];
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "pl-hello-"));
    fs.writeFileSync(path.join(dir, "hello.py"), HELLO_WORLD_SERVER);
  });
  afterAll(() => {
    servers.forEach((s) => s.kill());
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function start(mode: string): Promise<{ port: number; log: () => string }> {
    const port = await freePort();
    const proc = spawn("python3", [path.join(dir, "hello.py"), String(port), mode]);
    servers.push(proc);
    let log = "";
    proc.stdout.on("data", (d) => (log += d));
    // (by a deadline, not a count of tries: on a busy machine Python takes a while to start)
    for (const deadline = Date.now() + 30_000; Date.now() < deadline; ) {
      if (await canConnect(port)) return { port, log: () => log };
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error("the demo server did not start");
  }

  test("answers Hello World and logs the consumer address from a proxy protocol v2 header", async () => {
    // GIVEN the server in proxy-v2 mode
    const server = await start("proxy-v2");
    // WHEN a request arrives behind a PROXY v2 header for 192.0.2.7 -> 10.0.0.5
    const header = proxyV2Header([192, 0, 2, 7], [10, 0, 0, 5], 40000, 80);
    const reply = await request(server.port, Buffer.concat([header, Buffer.from("GET / HTTP/1.1\r\nHost: x\r\n\r\n")]));
    // THEN it answers and logs the consumer's address, not the load balancer's
    expect(reply).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(reply).toMatch(/<h1>Hello World from .+<\/h1>/);
    await waitFor(() => server.log().includes("192.0.2.7 (via "));
    expect(server.log()).toMatch(/^192\.0\.2\.7 \(via [0-9a-f:.]+\) GET \/ HTTP\/1\.1/m);
  });

  test("logs one whole line per request, however many arrive at once, and nothing for a bare connection", async () => {
    // GIVEN the server in proxy-v2 mode, and a bare TCP connection (as a health check makes)
    const server = await start("proxy-v2");
    expect(await canConnect(server.port)).toBe(true);
    // WHEN ten requests arrive together, each behind its own PROXY v2 header
    await Promise.all(
      Array.from({ length: 10 }, (_, i) => request(server.port, Buffer.concat([proxyV2Header([192, 0, 2, 10 + i], [10, 0, 0, 5], 40000 + i, 80), Buffer.from("GET / HTTP/1.1\r\n\r\n")]))),
    );
    await waitFor(() => server.log().split("\n").filter(Boolean).length >= 10);
    // THEN the log holds exactly those ten lines, each whole
    const lines = server.log().split("\n").filter(Boolean);
    expect(lines).toHaveLength(10);
    for (const line of lines) expect(line).toMatch(/^192\.0\.2\.\d+ \(via [0-9a-f:.]+\) GET \/ HTTP\/1\.1$/);
  });

  test("serves plain requests too (health checks, proxy protocol off)", async () => {
    const server = await start("plain");
    const reply = await request(server.port, Buffer.from("GET / HTTP/1.1\r\n\r\n"));
    expect(reply).toMatch(/Hello World from/);
  });
});

function proxyV2Header(src: number[], dst: number[], srcPort: number, dstPort: number): Buffer {
  const signature = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);
  const body = Buffer.alloc(12);
  Buffer.from(src).copy(body, 0);
  Buffer.from(dst).copy(body, 4);
  body.writeUInt16BE(srcPort, 8);
  body.writeUInt16BE(dstPort, 10);
  const meta = Buffer.from([0x21, 0x11, 0x00, body.length]); // v2 PROXY, TCP over IPv4
  return Buffer.concat([signature, meta, body]);
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = net.connect(port, "127.0.0.1", () => (c.end(), resolve(true)));
    c.on("error", () => resolve(false));
  });
}

function request(port: number, data: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    let reply = "";
    const c = net.connect(port, "127.0.0.1", () => c.write(data));
    c.on("data", (d) => (reply += d));
    c.on("end", () => resolve(reply));
    c.on("error", reject);
  });
}

async function waitFor(cond: () => boolean): Promise<void> {
  for (const deadline = Date.now() + 30_000; !cond() && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 20));
}
