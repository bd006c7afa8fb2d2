/** The config file: defaults, every problem with its JSON path, where the file comes from, the schema. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ConfigError, EXAMPLE_CONFIG_PATH, loadConfig, parseConfig, resolveConfigPath } from "../../config/load";
import { configSchemaJson } from "../../config/json-schema";
import { RANGES, rangeText } from "../../modules/validation";
import { exampleJson } from "../support/synth";

const PROJECT_ROOT = path.join(__dirname, "..", "..");

/** The smallest valid config: an existing provider network, one listener, no consumers. */
function minimalJson(): Record<string, any> {
  return {
    name: "mini",
    service: {
      account: { region: "us-west-2" },
      network: { vpcId: "vpc-0123456789abcdef0", subnetIds: ["subnet-0123456789abcdef0"] },
      loadBalancer: { listeners: [{ port: 80 }] },
      endpointService: { allowedPrincipals: ["arn:aws:iam::222222222222:root"] },
    },
  };
}

/** The ConfigError parseConfig throws for a config; fails the test when it accepts the config. */
function configError(json: unknown): ConfigError {
  try {
    parseConfig(json);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error("parseConfig accepted the config");
}

const paths = (e: ConfigError): string[] => e.problems.map((p) => p.path);

const tempDirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pl-config-"));
  tempDirs.push(dir);
  return dir;
}
afterAll(() => tempDirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe("parseConfig defaults", () => {
  test("top-level sections get their defaults", () => {
    // GIVEN a minimal config without tags, state, dns, consumers or sandbox
    // WHEN it is parsed
    const config = parseConfig(minimalJson());
    // THEN tags are empty, state is local in terraform-state, there are no consumers, no dns and no sandbox
    expect(config.tags).toEqual({});
    expect(config.state).toEqual({ backend: "local", directory: "terraform-state" });
    expect(config.consumers).toEqual([]);
    expect(config.dns).toBeUndefined();
    expect(config.sandbox).toBeUndefined();
  });

  test("the load balancer gets its defaults", () => {
    // GIVEN a minimal config with one listener { port: 80 }
    // WHEN it is parsed
    const lb = parseConfig(minimalJson()).service.loadBalancer;
    // THEN it is dual-stack, TCP, instance targets on IPv4, no proxy protocol, cross-zone on, and
    // deletion protection left to the stack (on, except in the sandbox)
    expect(lb).toEqual(
      expect.objectContaining({
        ipAddressType: "dualstack",
        listeners: [expect.objectContaining({ port: 80, protocol: "TCP" })],
        target: expect.objectContaining({ type: "instance", ipAddressType: "ipv4", ids: [] }),
        proxyProtocolV2: false,
        crossZone: true,
      }),
    );
    expect(lb.deletionProtection).toBeUndefined();
    expect(lb.withoutSecurityGroup).toBeUndefined();
    expect(lb.allowDirectFrom).toBeUndefined();
  });

  test("the endpoint service gets its defaults", () => {
    // GIVEN a minimal config whose endpointService has only its principal
    // WHEN it is parsed
    const es = parseConfig(minimalJson()).service.endpointService;
    // THEN acceptance is required, IPv4 and IPv6 are supported, no other regions, no private DNS name
    expect(es).toEqual(expect.objectContaining({ acceptanceRequired: true, supportedIpAddressTypes: ["ipv4", "ipv6"], supportedRegions: [] }));
    expect(es.privateDnsName).toBeUndefined();
  });

  test("a consumer gets its defaults", () => {
    // GIVEN a consumer with only name, account, a created network and one allowed client
    const json = minimalJson();
    json.consumers = [
      { name: "app", account: { region: "us-west-2" }, network: { create: { ipv4Cidr: "10.1.0.0/16", availabilityZones: ["us-west-2a"] } }, allowFrom: { ipv4Cidrs: ["10.1.0.0/16"] } },
    ];
    // WHEN it is parsed
    const [consumer] = parseConfig(json).consumers;
    // THEN it is dual-stack, private DNS left to the service, no other source, no internet gateway
    expect(consumer.ipAddressType).toBe("dualstack");
    expect(consumer.privateDns).toBeUndefined();
    expect(consumer.allowFrom).toEqual({ securityGroupIds: [], ipv4Cidrs: ["10.1.0.0/16"], ipv6Cidrs: [], allowAnyAddress: false });
    expect(consumer.network).toEqual({ create: { ipv4Cidr: "10.1.0.0/16", availabilityZones: ["us-west-2a"], internetGateway: false } });
  });

  test("S3 state gets the default key prefix", () => {
    // GIVEN S3 state without keyPrefix
    const json = minimalJson();
    json.state = { backend: "s3", bucket: "tf-state", region: "us-west-2" };
    // WHEN it is parsed
    // THEN keyPrefix is privatelink/
    expect(parseConfig(json).state).toEqual(expect.objectContaining({ backend: "s3", keyPrefix: "privatelink/" }));
  });
});

describe("parseConfig problems", () => {
  test("an unknown key is reported with its JSON path and value", () => {
    // GIVEN a listener with a misspelled key "prot"
    const json = minimalJson();
    json.service.loadBalancer.listeners[0].prot = "TLS";
    // WHEN it is parsed
    const error = configError(json);
    // THEN the problem names service.loadBalancer.listeners[0].prot and the value received
    expect(error.problems).toEqual([expect.objectContaining({ path: "service.loadBalancer.listeners[0].prot", received: "TLS" })]);
    expect(error.message).toContain("service.loadBalancer.listeners[0].prot");
  });

  test("an unknown top-level key is reported with its name as path", () => {
    // GIVEN a misspelled top-level key "consumer"
    const json = minimalJson();
    json.consumer = [];
    // WHEN it is parsed
    // THEN the problem's path is "consumer"
    expect(paths(configError(json))).toEqual(["consumer"]);
  });

  test("privateDns true without a service private DNS name names consumers[i].privateDns", () => {
    // GIVEN the example without privateDnsName, consumer 0 still asking for private DNS
    const json = exampleJson();
    delete json.service.endpointService.privateDnsName;
    // WHEN it is parsed
    const error = configError(json);
    // THEN the only problem is at consumers[0].privateDns
    expect(paths(error)).toEqual(["consumers[0].privateDns"]);
    expect(error.problems[0]).toEqual(expect.objectContaining({ received: true, expected: expect.stringContaining("privateDnsName") }));
  });

  test("a duplicate consumer name is reported at the second consumer's name", () => {
    // GIVEN the example with both consumers named "app"
    const json = exampleJson();
    json.consumers[1].name = "app";
    // WHEN it is parsed
    const error = configError(json);
    // THEN the problem is at consumers[1].name with the value "app"
    expect(error.problems).toEqual([expect.objectContaining({ path: "consumers[1].name", received: "app" })]);
  });

  test("a consumer name that would collide with another consumer's private-dns stack is reported", () => {
    // GIVEN consumers "app" and "app-private-dns": both would make stack consumer-app-private-dns
    const json = exampleJson();
    json.consumers[1].name = "app-private-dns";
    // WHEN it is parsed / THEN the name is refused at its path
    expect(configError(json).problems).toEqual([expect.objectContaining({ path: "consumers[1].name", received: "app-private-dns", expected: expect.stringMatching(/-private-dns/) })]);
  });

  test("a serviceRegion other than the service's region is reported", () => {
    // GIVEN a consumer with serviceRegion eu-west-1 while the service is in us-west-2
    const json = exampleJson();
    json.consumers[0].serviceRegion = "eu-west-1";
    // WHEN it is parsed
    const error = configError(json);
    // THEN the problem is at consumers[0].serviceRegion with the value received
    expect(error.problems).toEqual([expect.objectContaining({ path: "consumers[0].serviceRegion", received: "eu-west-1" })]);
  });

  test("cross-region: a consumer in a supported region naming the service's region is accepted", () => {
    // GIVEN a consumer in eu-west-1 with serviceRegion us-west-2, and eu-west-1 among the service's supported regions
    const json = exampleJson();
    json.consumers[0].account.region = "eu-west-1";
    json.consumers[0].network.create.availabilityZones = ["eu-west-1a", "eu-west-1b"];
    json.consumers[0].serviceRegion = "us-west-2";
    json.service.endpointService.supportedRegions = ["eu-west-1"];
    // WHEN it is parsed / THEN the config is accepted
    expect(parseConfig(json).consumers[0].serviceRegion).toBe("us-west-2");
  });

  test("cross-region: a consumer in another region needs serviceRegion and a supported region", () => {
    // GIVEN a consumer in eu-west-1 without serviceRegion and no supportedRegions
    const json = exampleJson();
    json.consumers[0].account.region = "eu-west-1";
    json.consumers[0].network.create.availabilityZones = ["eu-west-1a", "eu-west-1b"];
    // WHEN it is parsed / THEN both missing pieces are named
    expect(paths(configError(json)).sort()).toEqual(["consumers[0].serviceRegion", "service.endpointService.supportedRegions"]);
  });

  test("several rule problems are reported together in one ConfigError", () => {
    // GIVEN a duplicate consumer name, an unsupported serviceRegion and privateDns without a name
    const json = exampleJson();
    delete json.service.endpointService.privateDnsName;
    json.consumers[1].name = "app";
    json.consumers[1].serviceRegion = "eu-west-1";
    // WHEN it is parsed
    const error = configError(json);
    // THEN all three are in the one error
    expect(paths(error).sort()).toEqual(["consumers[0].privateDns", "consumers[1].name", "consumers[1].serviceRegion"]);
  });

  test("an unknown key does not hide the PrivateLink rule problems of the same config", () => {
    // GIVEN a typo and a rule problem (an invalid listener port)
    const json = exampleJson();
    json.service.loadBalancer.lisetners = [];
    json.service.loadBalancer.listeners[0].port = 0;
    // WHEN parsed / THEN both are reported in one run
    expect(paths(configError(json))).toEqual(["service.loadBalancer.lisetners", "service.loadBalancer.listeners[0].port"]);
  });

  test("several shape problems are reported together in one ConfigError", () => {
    // GIVEN a config without name, with an unknown key and a listener port that is not a number
    const json = minimalJson();
    delete json.name;
    json.colour = "blue";
    json.service.loadBalancer.listeners[0].port = "80";
    // WHEN it is parsed
    const error = configError(json);
    // THEN all three paths are reported, and the message lists each
    expect(paths(error).sort()).toEqual(["colour", "name", "service.loadBalancer.listeners[0].port"]);
    for (const p of paths(error)) expect(error.message).toContain(p);
  });

  test("the error names its source", () => {
    // GIVEN a config with a problem and a source name
    const json = minimalJson();
    json.name = "Not Valid";
    // WHEN it is parsed with that source
    let error: unknown;
    try {
      parseConfig(json, "my-config.json");
    } catch (e) {
      error = e;
    }
    // THEN the ConfigError carries the source and the message starts with it
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).source).toBe("my-config.json");
    expect((error as ConfigError).message.startsWith("my-config.json:")).toBe(true);
  });
});

describe("loadConfig", () => {
  test("a JSON syntax error names the line and column", () => {
    // GIVEN a file with a missing comma: the unexpected token is on line 3, column 3
    const file = path.join(tempDir(), "privatelink.config.json");
    fs.writeFileSync(file, '{\n  "name": "demo"\n  "state": {}\n}\n');
    // WHEN it is loaded
    let error: unknown;
    try {
      loadConfig(file);
    } catch (e) {
      error = e;
    }
    // THEN a ConfigError for that file names line 3, column 3
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).source).toBe(file);
    expect((error as ConfigError).problems).toEqual([expect.objectContaining({ path: "(line 3, column 3)", expected: "valid JSON with comments (CommaExpected)" })]);
  });

  test.each([
    ["a missing value", '{\n  "name": }\n', "(line 2, column 11)"],
    ["an unclosed comment", '{\n  "name": "demo", /* the prefix\n}\n', "(line 2, column 19)"],
    ["a mistake after a comment", '// the demo\n{\n  "name": "demo" // prefix\n  "tags": {}\n}\n', "(line 4, column 3)"],
    ["a misspelled literal", '{\n  "x": tru\n}\n', "(line 2, column 8)"],
  ])("%s is located by line and column", (_what, text, where) => {
    // GIVEN a file whose error V8's JSON.parse message gives no position for
    const file = path.join(tempDir(), "privatelink.config.json");
    fs.writeFileSync(file, text);
    // WHEN loaded / THEN the first problem names the place
    expect(() => loadConfig(file)).toThrow(ConfigError);
    try {
      loadConfig(file);
    } catch (e) {
      expect((e as ConfigError).problems[0].path).toBe(where);
    }
  });

  test("the config is JSONC: comments and trailing commas are accepted, as in tsconfig.json", () => {
    // GIVEN the example written with line and block comments and trailing commas
    const file = path.join(tempDir(), "privatelink.config.json");
    const text = JSON.stringify(exampleJson(), null, 2)
      .replace('"name": "demo",', '// the service\n  "name": "demo", /* prefix of every name */')
      .replace(/("privateDnsName": "api\.example\.com")/, "$1, // verified by TXT record")
      .replace(/\n(\s*)\]/g, ",\n$1]")
      .replace(/\n}$/, ",\n}\n");
    fs.writeFileSync(file, text);
    expect(text).toMatch(/\/\/ the service/);
    expect(text).toMatch(/,\n\s*\]/);
    // WHEN it is loaded
    const config = loadConfig(file);
    // THEN it is the example, as the plain JSON gives it
    expect(config).toEqual(parseConfig(exampleJson()));
  });

  test("a rule problem in a commented config names its JSON path", () => {
    // GIVEN a commented config with a port out of range
    const json = exampleJson();
    json.service.loadBalancer.listeners[0].port = 70000;
    const file = path.join(tempDir(), "privatelink.config.json");
    fs.writeFileSync(file, `// ports move\n${JSON.stringify(json, null, 2)}`);
    // WHEN it is loaded / THEN the problem is at the listener's port
    expect(() => loadConfig(file)).toThrow(/service\.loadBalancer\.listeners\[0\]\.port/);
  });

  test("a missing file is a ConfigError, not a crash", () => {
    // GIVEN a path where no file exists
    const file = path.join(tempDir(), "missing.json");
    // WHEN it is loaded
    // THEN a ConfigError is thrown
    expect(() => loadConfig(file)).toThrow(ConfigError);
  });

  test("a valid file is parsed with defaults applied", () => {
    // GIVEN the example written to a temporary file
    const file = path.join(tempDir(), "privatelink.config.json");
    fs.writeFileSync(file, JSON.stringify(exampleJson()));
    // WHEN it is loaded
    const config = loadConfig(file);
    // THEN it is the parsed example, with defaults such as crossZone filled in
    expect(config.name).toBe("demo");
    expect(config.service.loadBalancer.crossZone).toBe(true);
  });
});

describe("resolveConfigPath", () => {
  test("PRIVATELINK_CONFIG wins, resolved against the working directory", () => {
    // GIVEN a working directory holding privatelink.config.json, and PRIVATELINK_CONFIG=configs/dev.json
    const cwd = tempDir();
    fs.writeFileSync(path.join(cwd, "privatelink.config.json"), "{}");
    // WHEN the config path is resolved
    // THEN it is <cwd>/configs/dev.json
    expect(resolveConfigPath(cwd, { PRIVATELINK_CONFIG: "configs/dev.json" })).toBe(path.join(cwd, "configs", "dev.json"));
  });

  test("an absolute PRIVATELINK_CONFIG is used as is", () => {
    // GIVEN PRIVATELINK_CONFIG set to an absolute path
    const cwd = tempDir();
    const file = path.join(tempDir(), "elsewhere.json");
    // WHEN the config path is resolved
    // THEN it is that path
    expect(resolveConfigPath(cwd, { PRIVATELINK_CONFIG: file })).toBe(file);
  });

  test("without PRIVATELINK_CONFIG, privatelink.config.json in the working directory is used", () => {
    // GIVEN a working directory holding privatelink.config.json and no PRIVATELINK_CONFIG
    const cwd = tempDir();
    fs.writeFileSync(path.join(cwd, "privatelink.config.json"), "{}");
    // WHEN the config path is resolved
    // THEN it is that file
    expect(resolveConfigPath(cwd, {})).toBe(path.join(cwd, "privatelink.config.json"));
  });

  test("with neither, the built-in example is used", () => {
    // GIVEN an empty working directory and no PRIVATELINK_CONFIG
    const cwd = tempDir();
    // WHEN the config path is resolved
    // THEN it is the built-in example, which exists
    expect(resolveConfigPath(cwd, {})).toBe(EXAMPLE_CONFIG_PATH);
    expect(fs.existsSync(EXAMPLE_CONFIG_PATH)).toBe(true);
  });

  test("an empty PRIVATELINK_CONFIG counts as unset", () => {
    // GIVEN an empty working directory and PRIVATELINK_CONFIG set to ""
    const cwd = tempDir();
    // WHEN the config path is resolved
    // THEN it is the built-in example
    expect(resolveConfigPath(cwd, { PRIVATELINK_CONFIG: "" })).toBe(EXAMPLE_CONFIG_PATH);
  });
});

describe("schema and example", () => {
  test("the committed privatelink.schema.json is the one generated from the zod schema", () => {
    // GIVEN the committed schema file
    const committed = fs.readFileSync(path.join(PROJECT_ROOT, "privatelink.schema.json"), "utf8");
    // WHEN it is compared with a fresh generation (npm run schema)
    // THEN they are identical
    expect(committed).toBe(configSchemaJson());
  });

  test("the schema gives editors real integer ranges: ports 1 to 65535, health check bounds", () => {
    const schema = JSON.parse(configSchemaJson());
    const lb = schema.properties.service.properties.loadBalancer.properties;
    expect(lb.listeners.items.properties.port).toMatchObject({ type: "integer", minimum: 1, maximum: 65535 });
    expect(lb.target.properties.port).toMatchObject({ minimum: 1, maximum: 65535 });
    expect(lb.target.properties.healthCheck.properties.intervalSeconds).toMatchObject({ minimum: 5, maximum: 300 });
    expect(lb.target.properties.deregistrationDelaySeconds).toMatchObject({ minimum: 0, maximum: 3600 });
    expect(JSON.stringify(schema)).not.toContain("9007199254740991");
  });

  test("the schema's ranges are the constructs' own (one definition), and a value outside one gets the constructs' words", () => {
    const schema = JSON.parse(configSchemaJson());
    const target = schema.properties.service.properties.loadBalancer.properties.target.properties;
    expect(target.healthCheck.properties.healthyThreshold).toMatchObject(RANGES.healthCheckThreshold);
    expect(target.healthCheck.properties.unhealthyThreshold).toMatchObject(RANGES.healthCheckThreshold);
    expect(target.healthCheck.properties.intervalSeconds).toMatchObject(RANGES.healthCheckIntervalSeconds);
    expect(target.deregistrationDelaySeconds).toMatchObject(RANGES.deregistrationDelaySeconds);
    const json = exampleJson();
    json.service.loadBalancer.target.deregistrationDelaySeconds = RANGES.deregistrationDelaySeconds.maximum + 1;
    expect(() => parseConfig(json)).toThrow(`service.loadBalancer.target.deregistrationDelaySeconds: received ${RANGES.deregistrationDelaySeconds.maximum + 1}; expected ${rangeText(RANGES.deregistrationDelaySeconds)}`);
  });

  test("the built-in example validates", () => {
    // GIVEN the built-in example
    // WHEN it is parsed
    // THEN it is accepted
    expect(() => parseConfig(exampleJson())).not.toThrow();
  });

  test("the example's $schema points at the committed schema file", () => {
    // GIVEN the example's $schema, relative to the example file
    const schemaPath = path.resolve(path.dirname(EXAMPLE_CONFIG_PATH), exampleJson().$schema);
    // WHEN it is resolved
    // THEN it is the project's privatelink.schema.json
    expect(schemaPath).toBe(path.join(PROJECT_ROOT, "privatelink.schema.json"));
  });
});

describe("shape problems and rule problems together", () => {
  test("a value of the wrong kind does not hide the PrivateLink rule problems", () => {
    // GIVEN an unknown protocol (shape) and a port 0 (rule) in the same config
    const json = exampleJson();
    json.service.loadBalancer.listeners[0].protocol = "HTTP";
    json.service.loadBalancer.deletionProtection = "yes";
    json.service.endpointService.allowedPrincipals = ["bob"];
    // WHEN parsed / THEN all three are reported, each with what is valid
    const error = configError(json);
    expect(error.problems).toEqual([
      expect.objectContaining({ path: "service.loadBalancer.listeners[0].protocol", expected: 'one of "TCP", "TLS", "UDP", "TCP_UDP"' }),
      expect.objectContaining({ path: "service.loadBalancer.deletionProtection", expected: "a boolean" }),
      expect.objectContaining({ path: "service.endpointService.allowedPrincipals[0]", received: "bob" }),
    ]);
  });

  test("an unknown backend lists the backends there are", () => {
    const json = exampleJson();
    json.state = { backend: "gcs" };
    expect(configError(json).problems).toEqual([expect.objectContaining({ path: "state.backend", expected: 'one of "local", "s3", "hcp-terraform"' })]);
  });
});

test("one mistake, one problem: an incompatible DNS record type is reported once", () => {
  // GIVEN an ipv4 consumer asking for ipv6 DNS records
  const json = exampleJson();
  json.consumers[1].dnsRecordIpType = "ipv6";
  // THEN the construct's check reports it, at the config's path, and nothing repeats it
  expect(configError(json).problems).toEqual([expect.objectContaining({ path: "consumers[1].dnsRecordIpType", expected: "one of ipv4, service-defined for an ipv4 endpoint" })]);
});

describe("one mistake, one message", () => {
  test("a mistyped key reports the key alone, not what its absence would break elsewhere", () => {
    // GIVEN privateDnsName written as privateDNSName: without it, consumers asking for private DNS would be wrong
    const json = exampleJson();
    json.service.endpointService.privateDNSName = json.service.endpointService.privateDnsName;
    delete json.service.endpointService.privateDnsName;
    // WHEN it is checked / THEN only the unknown key is reported, with the key meant
    expect(configError(json).problems).toEqual([
      {
        path: "service.endpointService.privateDNSName",
        received: "api.example.com",
        expected: 'no such key: did you mean "privateDnsName"? valid keys here: acceptanceRequired, allowedPrincipals, supportedIpAddressTypes, privateDnsName, supportedRegions, connectionNotification',
      },
    ]);
  });

  test("an invalid protocol says only what is valid: its certificate is not judged against a protocol nobody meant", () => {
    // GIVEN an HTTPS listener (an Application Load Balancer protocol) with a certificate
    const json = exampleJson();
    json.service.loadBalancer.listeners = [{ port: 443, protocol: "HTTPS", certificateArn: "arn:aws:acm:us-west-2:123456789012:certificate/0b1c2d3e-aaaa-bbbb-cccc-0123456789ab" }];
    // WHEN it is checked / THEN the protocol is the one problem
    expect(configError(json).problems).toEqual([{ path: "service.loadBalancer.listeners[0].protocol", received: "HTTPS", expected: 'one of "TCP", "TLS", "UDP", "TCP_UDP"' }]);
  });

  test("a problem that holds whatever a faulty value meant is still reported beside it", () => {
    // GIVEN an HTTPS listener whose port is also out of range
    const json = exampleJson();
    json.service.loadBalancer.listeners = [{ port: 70000, protocol: "HTTPS" }];
    // WHEN it is checked / THEN both are reported, each once
    expect(configError(json).problems.map((p) => p.path)).toEqual(["service.loadBalancer.listeners[0].protocol", "service.loadBalancer.listeners[0].port"]);
  });

  test("an empty subnetIds is reported once", () => {
    const json = minimalJson();
    json.service.network.subnetIds = [];
    expect(configError(json).problems.filter((p) => p.path === "service.network.subnetIds")).toEqual([
      { path: "service.network.subnetIds", received: [], expected: "at least one subnet id, one per Availability Zone" },
    ]);
  });

  test("missing subnetIds are reported once, with the alternative", () => {
    const json = minimalJson();
    delete json.service.network.subnetIds;
    expect(configError(json).problems).toEqual([
      { path: "service.network.subnetIds", received: undefined, expected: "one or more existing subnet ids, one per Availability Zone, or use service.network.create" },
    ]);
  });

  test("an IPv6 CIDR written in ipv4Cidrs as well as ipv6Cidrs is reported once, where it is wrong", () => {
    const json = exampleJson();
    json.consumers[0].allowFrom = { ipv4Cidrs: ["2001:db8::/56"], ipv6Cidrs: ["2001:db8::/56"] };
    expect(configError(json).problems).toEqual([expect.objectContaining({ path: "consumers[0].allowFrom.ipv4Cidrs[0]", received: "2001:db8::/56" })]);
  });

  test("an unknown key in an external dns section lists that section's keys, and suggests none of another kind", () => {
    const json = exampleJson();
    json.dns = { provider: "external", zoneName: "example.com" };
    expect(configError(json).problems).toEqual([{ path: "dns.zoneName", received: "example.com", expected: "no such key: valid keys here: provider, startVerification" }]);
  });
});
