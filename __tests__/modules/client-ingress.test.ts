/** The one way the constructs admit a list of clients: NetworkListener (and so DualStackNlb) and ConsumerEndpoint. */
import { TerraformVariable, Testing, Token } from "cdktf";
import { Construct } from "constructs";
import { ClientIngressProps, DIRECT_CLIENTS, admitClients, canonicalSourceKey, checkClients, expandedSourceKey } from "../../modules/client-ingress";
import { idPart } from "../../modules/terraform-address";
import { Problems } from "../../modules/validation";

type Json = Record<string, any>;
const SG = "sg-0123456789abcdef0";

/** Admits the clients on 443 (tcp) and 53 (tcp, udp) in scope "Group", ids Ingress-<port key>-<ip protocol>-<client key>. */
function synthRules(extra: Partial<ClientIngressProps> = {}): { rules: Json; moved?: Json[] } {
  const synth = Testing.synthScope((scope) => {
    admitClients(new Construct(scope, "Group"), {
      securityGroupId: SG,
      clients: { securityGroupIds: ["sg-0123456789abcdef1"], ipv4Cidrs: ["10.9.0.0/16"], ipv6Cidrs: ["2001:db8::/56"] },
      ports: [
        { port: 443, ipProtocols: ["tcp"], key: "api" },
        { port: 53, ipProtocols: ["tcp", "udp"], key: "dns" },
      ],
      sourceKey: idPart,
      id: (rule) => `Ingress-${rule.portKey}-${rule.ipProtocol}-${rule.key}`,
      describeClient: (client) => client ?? "a client",
      ...extra,
    });
  });
  const parsed = JSON.parse(synth);
  return { rules: parsed.resource.aws_vpc_security_group_ingress_rule, moved: parsed.moved };
}

describe("admitClients", () => {
  test("one rule per client, port and IP protocol, in the group, each naming its client", () => {
    // GIVEN a client of each kind, 443 over TCP and 53 over TCP and UDP
    const { rules } = synthRules();
    // THEN 3 x 3 rules, each admitting one client on one port and IP protocol
    const shown = Object.values<Json>(rules).map((r) => [r.ip_protocol, r.from_port, r.to_port, r.referenced_security_group_id ?? r.cidr_ipv4 ?? r.cidr_ipv6, r.description]);
    expect(shown.sort()).toEqual([
      ["tcp", 443, 443, "10.9.0.0/16", "TCP 443 from 10.9.0.0/16"],
      ["tcp", 443, 443, "2001:db8::/56", "TCP 443 from 2001:db8::/56"],
      ["tcp", 443, 443, "sg-0123456789abcdef1", "TCP 443 from sg-0123456789abcdef1"],
      ["tcp", 53, 53, "10.9.0.0/16", "TCP 53 from 10.9.0.0/16"],
      ["tcp", 53, 53, "2001:db8::/56", "TCP 53 from 2001:db8::/56"],
      ["tcp", 53, 53, "sg-0123456789abcdef1", "TCP 53 from sg-0123456789abcdef1"],
      ["udp", 53, 53, "10.9.0.0/16", "UDP 53 from 10.9.0.0/16"],
      ["udp", 53, 53, "2001:db8::/56", "UDP 53 from 2001:db8::/56"],
      ["udp", 53, 53, "sg-0123456789abcdef1", "UDP 53 from sg-0123456789abcdef1"],
    ]);
    expect(Object.values<Json>(rules).every((r) => r.security_group_id === SG)).toBe(true);
  });

  test("names each rule by port key, IP protocol and the client's key, clients first, and reports what each admits", () => {
    let made: ReturnType<typeof admitClients> = [];
    Testing.synthScope((scope) => {
      made = admitClients(scope, {
        securityGroupId: SG,
        clients: { ipv4Cidrs: ["10.9.0.0/16"], ipv6Cidrs: ["2001:db8::/56"] },
        ports: [{ port: 53, ipProtocols: ["tcp", "udp"], key: "dns" }],
        sourceKey: expandedSourceKey,
        id: (rule) => `Ingress-${rule.portKey}-${rule.ipProtocol}-${rule.key}`,
        describeClient: (client) => client ?? "a client",
      });
    });
    expect(made.map((r) => [r.resource.node.id, r.list, r.index])).toEqual([
      ["Ingress-dns-tcp-10_9_0_0_16", "ipv4Cidrs", 0],
      ["Ingress-dns-udp-10_9_0_0_16", "ipv4Cidrs", 0],
      ["Ingress-dns-tcp-2001_db8_0_0_0_0_0_0_56", "ipv6Cidrs", 0],
      ["Ingress-dns-udp-2001_db8_0_0_0_0_0_0_56", "ipv6Cidrs", 0],
    ]);
  });

  test("a client Terraform knows only later is named by its kind and position, and described without its value", () => {
    let made: ReturnType<typeof admitClients> = [];
    const synth = Testing.synthScope((scope) => {
      const client = new TerraformVariable(scope, "client", { type: "string" }).stringValue;
      made = admitClients(scope, {
        securityGroupId: SG,
        clients: { securityGroupIds: ["sg-0123456789abcdef1"], ipv4Cidrs: ["10.9.0.0/16", client] },
        ports: [{ port: 443, ipProtocols: ["tcp"], key: "0" }],
        sourceKey: idPart,
        id: (rule) => `Ingress-${rule.key}`,
        describeClient: (c) => c ?? "a client",
      });
    });
    expect(made.map((r) => r.resource.node.id)).toEqual(["Ingress-sg-0123456789abcdef1", "Ingress-10_9_0_0_16", "Ingress-ipv42"]);
    expect(synth).toContain('"description": "TCP 443 from a client"');
  });

  test("a moved block from each rule's earlier id, when it differs", () => {
    // GIVEN earlier ids that held the port number, and none for the group client
    const { rules, moved } = synthRules({ earlierId: (rule) => (rule.list === "securityGroupIds" ? undefined : `Ingress-${rule.ipProtocol}${rule.port}-${rule.key}`) });
    // THEN 6 moved blocks, each to one of the rules
    expect(moved).toHaveLength(6);
    expect(moved).toContainEqual({ from: expect.stringMatching(/^aws_vpc_security_group_ingress_rule\.Group_Ingress-udp53-10_9_0_0_16_[0-9A-F]{8}$/), to: expect.stringMatching(/^aws_vpc_security_group_ingress_rule\.Group_Ingress-dns-udp-10_9_0_0_16_[0-9A-F]{8}$/) });
    for (const m of moved!) expect(Object.keys(rules)).toContain(m.to.split(".")[1]);
    // AND none when the earlier id is the id itself
    expect(synthRules({ earlierId: (rule) => `Ingress-${rule.portKey}-${rule.ipProtocol}-${rule.key}` }).moved).toBeUndefined();
  });
});

describe("canonicalSourceKey (the listeners')", () => {
  test.each(["10.0.0.0/16", "2001:db8::/56", "fd00:0:0:1::/64", "2001:db8:0:0:1::/128", SG])("is the key the text as written gave before 0.2 for canonical text: %s", (source) => {
    expect(canonicalSourceKey(source)).toBe(idPart(source));
  });

  test.each([
    ["2001:DB8::/56", "2001_db8___56"],
    ["2001:0db8:0000::/56", "2001_db8___56"],
    ["2001:db8:1::0/112", "2001_db8_1___112"],
    ["10.0.0.0/016", "10_0_0_0_16"],
  ])("gives another spelling of a block its canonical key: %s -> %s", (source, key) => expect(canonicalSourceKey(source)).toBe(key));

  test("gives two blocks whose texts differ only in '.' and ':' two keys (the text as written gave both one)", () => {
    // ::1.2.3.4 is ::ffff:102:304 to the parser, another block than ::1:2:3:4
    expect(idPart("::1.2.3.4/128")).toBe(idPart("::1:2:3:4/128"));
    expect(canonicalSourceKey("::1.2.3.4/128")).not.toBe(canonicalSourceKey("::1:2:3:4/128"));
  });
});

describe("expandedSourceKey (ConsumerEndpoint's)", () => {
  test.each([
    ["10.0.0.0/16", "10_0_0_0_16"],
    ["2001:db8::/56", "2001_db8_0_0_0_0_0_0_56"],
    ["2001:DB8:0::/56", "2001_db8_0_0_0_0_0_0_56"],
    [SG, "sg_0123456789abcdef0"],
  ])("%s -> %s", (source, key) => expect(expandedSourceKey(source)).toBe(key));
});

describe("checkClients", () => {
  const problems = (from: Parameters<typeof checkClients>[0], checks = DIRECT_CLIENTS) => {
    const p = new Problems();
    checkClients(from, p, checks);
    return p.all.map((x) => `${x.path}: ${JSON.stringify(x.received)}; ${x.expected}`);
  };

  test("accepts groups and network CIDRs of their family", () => {
    expect(problems({ securityGroupIds: [SG], ipv4Cidrs: ["10.9.0.0/16"], ipv6Cidrs: ["2001:db8::/56"] })).toEqual([]);
  });

  test("names each bad client by its list and index, relative to the clients", () => {
    expect(problems({ securityGroupIds: ["sg-1"], ipv4Cidrs: ["10.9.0.5/16"], ipv6Cidrs: ["10.9.0.0/16"] })).toEqual([
      'securityGroupIds[0]: "sg-1"; an id of the form sg-0123456789abcdef0',
      'ipv4Cidrs[0]: "10.9.0.5/16"; the network address of the block, 10.9.0.0/16',
      'ipv6Cidrs[0]: "10.9.0.0/16"; an IPv6 CIDR block such as 2001:db8::/56',
    ]);
  });

  test("refuses the whole internet unless the construct accepts it", () => {
    expect(problems({ ipv4Cidrs: ["0.0.0.0/0"], ipv6Cidrs: ["::/0"] })).toEqual([
      'ipv4Cidrs[0]: "0.0.0.0/0"; a narrower CIDR than the whole internet: the load balancer is internal',
      'ipv6Cidrs[0]: "::/0"; a narrower CIDR than the whole internet: the load balancer is internal',
    ]);
    expect(problems({ ipv4Cidrs: ["0.0.0.0/0"] }, { once: "each client once" })).toEqual([]);
  });

  test("refuses one block written two ways: each would be the same rule", () => {
    expect(problems({ ipv6Cidrs: ["2001:db8::/56", "2001:DB8:0::/56"] })).toEqual(['ipv6Cidrs: "2001:DB8:0::/56"; each client once: 2001:DB8:0::/56 is 2001:db8::/56, written another way']);
  });

  test("refuses a client listed twice, and a whole-list token", () => {
    expect(problems({ securityGroupIds: [SG, SG], ipv4Cidrs: ["10.9.0.0/16", "10.9.0.0/16"] })).toEqual([`securityGroupIds: "${SG}"; each client once`, 'ipv4Cidrs: "10.9.0.0/16"; each client once']);
    expect(problems({ ipv4Cidrs: Token.asList("${var.clients}") })).toEqual(['ipv4Cidrs: "a list token"; a list written out, one string (or single-value token) per client']);
  });
});
