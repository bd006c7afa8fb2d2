import { Construct } from "constructs";
import { DataAwsSsmParameter } from "@cdktf/provider-aws/lib/data-aws-ssm-parameter";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { PORT_RANGE, Problems, isPort } from "./validation";

export interface HelloWorldInstanceProps {
  /** Id of the VPC the instance's security group is created in. */
  readonly vpcId: string;
  /** Subnet of the instance; it needs an IPv6 CIDR, as the instance gets an IPv6 address. */
  readonly subnetId: string;
  /**
   * Security group allowed to reach the port: the load balancer's own group, so that only it
   * reaches the target. @default - none: call allowFrom() (or give the CIDRs below)
   */
  readonly allowFromSecurityGroupId?: string;
  /** IPv4 CIDR allowed to reach the port, for a load balancer without a group of its own. @default - none */
  readonly allowFromIpv4Cidr?: string;
  /** IPv6 CIDR allowed to reach the port, for a load balancer without a group of its own. @default - none */
  readonly allowFromIpv6Cidr?: string;
  /** Port the web server listens on: the load balancer's target port. @default 80 */
  readonly port?: number;
  /** Expect a proxy protocol v2 header and log the consumer's address from it. @default false */
  readonly proxyProtocolV2?: boolean;
  /** EC2 instance type. @default "t3.micro" */
  readonly instanceType?: string;
  /** AMI to launch; it needs python3 and systemd. @default - the latest Amazon Linux 2023 AMI, from its public SSM parameter */
  readonly amiId?: string;
  /** Tags for the instance and its security group. @default - no tags beyond the provider's default tags */
  readonly tags?: Record<string, string>;
}

const AL2023_AMI_PARAMETER = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";

/**
 * A demo target: an instance whose web server answers `<h1>Hello World from <hostname></h1>`
 * and logs the client's address, read from the proxy protocol v2 header when one is sent.
 * It uses only the Python in the AMI, so it needs no internet access.
 */
export class HelloWorldInstance extends Construct {
  /** The aws_instance resource. */
  readonly instance: Instance;
  /** Instance id, i-... (the aws_instance id attribute): a target for the load balancer. */
  readonly instanceId: string;
  /** Id of the instance's security group, sg-... */
  readonly securityGroupId: string;
  /** Port the web server listens on. */
  readonly port: number;
  private allowed = 0;

  /** Lets the load balancer's network reach the server's port, for a load balancer without a group of its own. */
  allowFromCidrs(ipv4Cidr?: string, ipv6Cidr?: string): void {
    for (const [family, cidr] of [["ipv4", ipv4Cidr], ["ipv6", ipv6Cidr]] as const) {
      if (cidr === undefined) continue;
      new VpcSecurityGroupIngressRule(this, `Ingress-${family}`, {
        securityGroupId: this.securityGroupId,
        ipProtocol: "tcp",
        fromPort: this.port,
        toPort: this.port,
        cidrIpv4: family === "ipv4" ? cidr : undefined,
        cidrIpv6: family === "ipv6" ? cidr : undefined,
        description: `Service port from the load balancer's VPC (${family})`,
      });
    }
  }

  /**
   * Lets a security group (the load balancer's own) reach the server's port, and nothing else:
   * with the load balancer's group referenced, clients in the VPC cannot reach the target directly.
   */
  allowFrom(securityGroupId: string): void {
    new VpcSecurityGroupIngressRule(this, `Ingress-group${this.allowed++ || ""}`, {
      securityGroupId: this.securityGroupId,
      ipProtocol: "tcp",
      fromPort: this.port,
      toPort: this.port,
      referencedSecurityGroupId: securityGroupId,
      description: "Service port from the load balancer's security group",
    });
  }

  constructor(scope: Construct, id: string, props: HelloWorldInstanceProps) {
    super(scope, id);
    const port = props.port ?? 80;
    const p = new Problems();
    p.check(isPort(port), "port", props.port, PORT_RANGE);
    p.throwIfAny("HelloWorldInstance", this);

    this.port = port;
    // No egress rule: replies to the load balancer are stateful and the server needs nothing else.
    const sg = new SecurityGroup(this, "SecurityGroup", {
      vpcId: props.vpcId,
      namePrefix: "privatelink-demo-target-",
      description: "Demo target: the service port from the load balancer only",
      tags: props.tags,
    });
    this.securityGroupId = sg.id;
    if (props.allowFromSecurityGroupId) this.allowFrom(props.allowFromSecurityGroupId);
    this.allowFromCidrs(props.allowFromIpv4Cidr, props.allowFromIpv6Cidr);
    const ami = props.amiId ?? new DataAwsSsmParameter(this, "Ami", { name: AL2023_AMI_PARAMETER }).insecureValue;
    this.instance = new Instance(this, "Instance", {
      ami,
      instanceType: props.instanceType ?? "t3.micro",
      subnetId: props.subnetId,
      vpcSecurityGroupIds: [sg.id],
      ipv6AddressCount: 1,
      metadataOptions: { httpTokens: "required", httpEndpoint: "enabled" },
      userData: userData(port, props.proxyProtocolV2 ?? false),
      userDataReplaceOnChange: true,
      tags: props.tags,
    });
    this.instanceId = this.instance.id;
  }
}

function userData(port: number, proxyProtocolV2: boolean): string {
  return `#!/bin/bash
cat > /usr/local/bin/hello-world.py <<'PY'
${HELLO_WORLD_SERVER}
PY
cat > /etc/systemd/system/hello-world.service <<'UNIT'
[Unit]
Description=PrivateLink demo target
After=network-online.target
[Service]
ExecStart=/usr/bin/python3 /usr/local/bin/hello-world.py ${port} ${proxyProtocolV2 ? "proxy-v2" : "plain"}
Restart=always
[Install]
WantedBy=multi-user.target
UNIT
systemctl daemon-reload
systemctl enable --now hello-world.service
`;
}

/** A dual-stack HTTP server in the standard library that understands proxy protocol v2. */
export const HELLO_WORLD_SERVER = String.raw`import socket, socketserver, struct, sys, threading
PORT, MODE = int(sys.argv[1]), sys.argv[2]
LOG = threading.Lock()
SIGNATURE = b"\r\n\r\n\x00\r\nQUIT\n"
BODY = ("<h1>Hello World from %s</h1>\n" % socket.getfqdn()).encode()

def read_exact(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
    return data

def proxy_v2_source(sock):
    """Reads a proxy protocol v2 header if one comes first; returns the client address or None."""
    if sock.recv(12, socket.MSG_PEEK) != SIGNATURE:
        return None
    head = read_exact(sock, 16)
    family, length = head[13] >> 4, struct.unpack("!H", head[14:16])[0]
    body = read_exact(sock, length)
    if head[12] & 0x0F == 0:  # LOCAL: the load balancer's own health check
        return None
    if family == 1:
        return socket.inet_ntop(socket.AF_INET, body[:4])
    if family == 2:
        return socket.inet_ntop(socket.AF_INET6, body[:16])
    return None

class Handler(socketserver.BaseRequestHandler):
    def handle(self):
        source = proxy_v2_source(self.request) if MODE == "proxy-v2" else None
        request = self.request.recv(65536).split(b"\r\n", 1)[0].decode("latin-1")
        if not request:  # a bare TCP connect (a health check): nothing to answer or log
            return
        line = "%s (via %s) %s\n" % (source or self.client_address[0], self.client_address[0], request)
        with LOG:  # one whole line per request, whatever the other threads write
            sys.stdout.write(line)
            sys.stdout.flush()
        self.request.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(BODY), BODY))

class Server(socketserver.ThreadingTCPServer):
    address_family = socket.AF_INET6
    allow_reuse_address = True
    daemon_threads = True
    def server_bind(self):
        self.socket.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        super().server_bind()

Server(("::", PORT), Handler).serve_forever()`;
