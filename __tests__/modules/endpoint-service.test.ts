import { TerraformOutput, TerraformVariable, Testing } from "cdktf";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { VpcEndpointConnectionNotification } from "@cdktf/provider-aws/lib/vpc-endpoint-connection-notification";
import { VpcEndpointService } from "@cdktf/provider-aws/lib/vpc-endpoint-service";
import { VpcEndpointServiceAllowedPrincipal } from "@cdktf/provider-aws/lib/vpc-endpoint-service-allowed-principal";
import { ConnectionEvent, EndpointService, EndpointServiceProps, PropsError, ServiceIpAddressType } from "../../modules";

const NLB_ARN = "arn:aws:elasticloadbalancing:us-west-2:111111111111:loadbalancer/net/pl-demo/0123456789abcdef";
const GWLB_ARN = "arn:aws:elasticloadbalancing:us-west-2:111111111111:loadbalancer/gwy/pl-gwlb/0123456789abcdef";
const TOPIC_ARN = "arn:aws:sns:us-west-2:111111111111:privatelink-events";
const ROOT = "arn:aws:iam::222222222222:root";
const ROLE = "arn:aws:iam::333333333333:role/consumer";

/** Minimal valid props: one NLB; `extra` overrides any of them. */
function props(extra: Partial<EndpointServiceProps> = {}): EndpointServiceProps {
  return { networkLoadBalancerArns: [NLB_ARN], ...extra };
}

function synthService(extra: Partial<EndpointServiceProps> = {}): string {
  return Testing.synthScope((scope) => {
    new EndpointService(scope, "Service", props(extra));
  });
}

function build(extra: Partial<EndpointServiceProps>): () => void {
  return () => synthService(extra);
}

/** A value of the wrong type, as a caller without type checking could pass it. */
const bad = <T>(value: unknown): T => value as T;

type Json = Record<string, any>;

function resourcesOf(synth: string, type: string): Json[] {
  return Object.values((JSON.parse(synth).resource?.[type] ?? {}) as Json);
}

describe("EndpointService", () => {
  describe("service", () => {
    test("puts the service on the given Network Load Balancers", () => {
      // GIVEN one NLB ARN
      // WHEN synthesized
      const synth = synthService();

      // THEN the service uses it and no Gateway Load Balancer
      expect(synth).toHaveResourceWithProperties(VpcEndpointService, { network_load_balancer_arns: [NLB_ARN] });
      expect(resourcesOf(synth, "aws_vpc_endpoint_service")[0]).not.toHaveProperty("gateway_load_balancer_arns");
    });

    test("puts the service on Gateway Load Balancers when given those instead", () => {
      // GIVEN only a GWLB ARN
      // WHEN synthesized
      const synth = synthService({ networkLoadBalancerArns: undefined, gatewayLoadBalancerArns: [GWLB_ARN] });

      // THEN the service uses it and no Network Load Balancer
      expect(synth).toHaveResourceWithProperties(VpcEndpointService, { gateway_load_balancer_arns: [GWLB_ARN] });
      expect(resourcesOf(synth, "aws_vpc_endpoint_service")[0]).not.toHaveProperty("network_load_balancer_arns");
    });

    test("requires acceptance by default", () => {
      // GIVEN no acceptanceRequired
      // WHEN synthesized
      const synth = synthService();

      // THEN each connection waits for acceptance
      expect(synth).toHaveResourceWithProperties(VpcEndpointService, { acceptance_required: true });
    });

    test("can accept connections automatically", () => {
      // GIVEN acceptanceRequired false
      // WHEN synthesized
      const synth = synthService({ acceptanceRequired: false });

      // THEN acceptance is not required
      expect(synth).toHaveResourceWithProperties(VpcEndpointService, { acceptance_required: false });
    });

    test("supports IPv4 only by default", () => {
      // GIVEN no supportedIpAddressTypes
      // WHEN synthesized
      const synth = synthService();

      // THEN only ipv4 is supported
      expect(synth).toHaveResourceWithProperties(VpcEndpointService, { supported_ip_address_types: ["ipv4"] });
    });

    test("supports IPv4 and IPv6 when asked", () => {
      // GIVEN both IP address types
      // WHEN synthesized
      const synth = synthService({ supportedIpAddressTypes: [ServiceIpAddressType.IPV4, ServiceIpAddressType.IPV6] });

      // THEN both are supported
      expect(synth).toHaveResourceWithProperties(VpcEndpointService, { supported_ip_address_types: ["ipv4", "ipv6"] });
    });

    test("sets the private DNS name when given", () => {
      // GIVEN a private DNS name
      // WHEN synthesized
      const synth = synthService({ privateDnsName: "api.example.com" });

      // THEN the service has it
      expect(synth).toHaveResourceWithProperties(VpcEndpointService, { private_dns_name: "api.example.com" });
    });

    test("has no private DNS name by default", () => {
      // GIVEN no privateDnsName
      // WHEN synthesized
      const synth = synthService();

      // THEN the attribute is absent
      expect(resourcesOf(synth, "aws_vpc_endpoint_service")[0]).not.toHaveProperty("private_dns_name");
    });

    test("accepts a wildcard private DNS name", () => {
      // GIVEN a wildcard private DNS name
      // WHEN synthesized
      const synth = synthService({ privateDnsName: "*.api.example.com" });

      // THEN the service has it
      expect(synth).toHaveResourceWithProperties(VpcEndpointService, { private_dns_name: "*.api.example.com" });
    });

    test("supports other regions when given", () => {
      // GIVEN supported regions
      // WHEN synthesized
      const synth = synthService({ supportedRegions: ["us-east-1", "eu-west-1"] });

      // THEN the service lists them
      expect(synth).toHaveResourceWithProperties(VpcEndpointService, { supported_regions: ["us-east-1", "eu-west-1"] });
    });

    test("supports only its own region by default", () => {
      // GIVEN no supportedRegions
      // WHEN synthesized
      const synth = synthService();

      // THEN the attribute is absent
      expect(resourcesOf(synth, "aws_vpc_endpoint_service")[0]).not.toHaveProperty("supported_regions");
    });

    test("tags the service", () => {
      // GIVEN tags
      // WHEN synthesized
      const synth = synthService({ tags: { team: "platform" } });

      // THEN the service has them
      expect(synth).toHaveResourceWithProperties(VpcEndpointService, { tags: { team: "platform" } });
    });
  });

  describe("allowed principals", () => {
    test("creates one allowed principal resource per principal", () => {
      // GIVEN three principals
      const principals = [ROOT, ROLE, "*"];

      // WHEN synthesized
      const synth = synthService({ allowedPrincipals: principals });

      // THEN there is one aws_vpc_endpoint_service_allowed_principal for each, on the service
      const serviceKey = Object.keys(JSON.parse(synth).resource.aws_vpc_endpoint_service)[0];
      const allowed = resourcesOf(synth, "aws_vpc_endpoint_service_allowed_principal");
      expect(allowed).toHaveLength(3);
      expect(allowed.map((a) => a.principal_arn).sort()).toEqual([...principals].sort());
      for (const principal of principals) {
        expect(synth).toHaveResourceWithProperties(VpcEndpointServiceAllowedPrincipal, {
          vpc_endpoint_service_id: `\${aws_vpc_endpoint_service.${serviceKey}.id}`,
          principal_arn: principal,
        });
      }
    });

    test("accepts an organization ARN as a principal", () => {
      // GIVEN an AWS Organizations principal
      const org = "arn:aws:organizations::111111111111:organization/o-abcdefghij";

      // WHEN synthesized
      const synth = synthService({ allowedPrincipals: [org] });

      // THEN it is allowed
      expect(synth).toHaveResourceWithProperties(VpcEndpointServiceAllowedPrincipal, { principal_arn: org });
    });

    test("never sets principals inline on the service", () => {
      // GIVEN principals
      // WHEN synthesized
      const synth = synthService({ allowedPrincipals: [ROOT, ROLE] });

      // THEN the service has no allowed_principals attribute
      expect(resourcesOf(synth, "aws_vpc_endpoint_service")[0]).not.toHaveProperty("allowed_principals");
    });

    test("ignores changes to the inline principal list", () => {
      // GIVEN principals
      // WHEN synthesized
      const synth = synthService({ allowedPrincipals: [ROOT] });

      // THEN the service ignores allowed_principals so that the separate resources own them
      expect(synth).toHaveResourceWithProperties(VpcEndpointService, { lifecycle: { ignore_changes: ["allowed_principals"] } });
    });

    test("allows nobody by default", () => {
      // GIVEN no allowedPrincipals
      let service!: EndpointService;

      // WHEN synthesized
      const synth = Testing.synthScope((scope) => {
        service = new EndpointService(scope, "Service", props());
      });

      // THEN there is no allowed principal resource
      expect(synth).not.toHaveResource(VpcEndpointServiceAllowedPrincipal);
      expect(service.allowedPrincipals).toEqual([]);
    });
  });

  describe("connection notification", () => {
    test("notifies the topic of all four events by default", () => {
      // GIVEN a topic and no events
      // WHEN synthesized
      const synth = synthService({ connectionNotification: { topicArn: TOPIC_ARN } });

      // THEN Connect, Accept, Reject and Delete are sent to the topic for this service
      const serviceKey = Object.keys(JSON.parse(synth).resource.aws_vpc_endpoint_service)[0];
      expect(synth).toHaveResourceWithProperties(VpcEndpointConnectionNotification, {
        vpc_endpoint_service_id: `\${aws_vpc_endpoint_service.${serviceKey}.id}`,
        connection_notification_arn: TOPIC_ARN,
        connection_events: ["Connect", "Accept", "Reject", "Delete"],
      });
    });

    test("notifies only the given events", () => {
      // GIVEN two events
      // WHEN synthesized
      const synth = synthService({ connectionNotification: { topicArn: TOPIC_ARN, events: [ConnectionEvent.CONNECT, ConnectionEvent.DELETE] } });

      // THEN only those are sent
      expect(synth).toHaveResourceWithProperties(VpcEndpointConnectionNotification, { connection_events: ["Connect", "Delete"] });
    });

    test("has no notification when none is configured", () => {
      // GIVEN no connectionNotification
      let service!: EndpointService;

      // WHEN synthesized
      const synth = Testing.synthScope((scope) => {
        service = new EndpointService(scope, "Service", props());
      });

      // THEN there is no notification resource
      expect(synth).not.toHaveResource(VpcEndpointConnectionNotification);
      expect(service.notification).toBeUndefined();
    });
  });

  describe("exposed attributes", () => {
    test("resolve to the service's attributes", () => {
      // GIVEN a service whose exposed fields are outputs
      let service!: EndpointService;

      // WHEN synthesized
      const synth = Testing.synthScope((scope) => {
        service = new EndpointService(scope, "Service", props({ privateDnsName: "api.example.com" }));
        new TerraformOutput(scope, "id", { value: service.serviceId });
        new TerraformOutput(scope, "name", { value: service.serviceName });
        new TerraformOutput(scope, "arn", { value: service.serviceArn });
        new TerraformOutput(scope, "type", { value: service.serviceType });
        new TerraformOutput(scope, "azs", { value: service.availabilityZones });
        new TerraformOutput(scope, "ip_types", { value: service.supportedIpAddressTypes });
        new TerraformOutput(scope, "verification_name", { value: service.privateDnsVerificationName });
        new TerraformOutput(scope, "verification_value", { value: service.privateDnsVerificationValue });
        new TerraformOutput(scope, "verification_type", { value: service.privateDnsVerificationType });
        new TerraformOutput(scope, "verification_state", { value: service.privateDnsVerificationState });
      });

      // THEN each output refers to the right attribute of the service
      const parsed = JSON.parse(synth);
      const svc = `aws_vpc_endpoint_service.${Object.keys(parsed.resource.aws_vpc_endpoint_service)[0]}`;
      const out = (name: string) => parsed.output[name].value;
      expect(out("id")).toBe(`\${${svc}.id}`);
      expect(out("name")).toBe(`\${${svc}.service_name}`);
      expect(out("arn")).toBe(`\${${svc}.arn}`);
      expect(out("type")).toBe(`\${${svc}.service_type}`);
      expect(out("azs")).toMatch(new RegExp(`^\\$\\{(tolist\\()?${svc}\\.availability_zones\\)?\\}$`));
      expect(out("ip_types")).toMatch(new RegExp(`^\\$\\{(tolist\\()?${svc}\\.supported_ip_address_types\\)?\\}$`));
      // (wrapped in try(..., "") so that a service without a private DNS name yields empty strings,
      // and read through the terraform_data replaced with the name, so a renamed service's new
      // challenge is read after the update instead of the planned old one)
      const change = `terraform_data.${Object.keys(parsed.resource.terraform_data)[0]}`;
      for (const field of ["name", "value", "type", "state"]) {
        expect(out(`verification_${field}`)).toBe(`\${${change}.id == "" ? "" : try(${svc}.private_dns_name_configuration[0].${field}, "")}`);
      }
      expect(parsed.resource.terraform_data[change.split(".")[1]].triggers_replace).toEqual({ privateDnsName: `\${${svc}.private_dns_name}` });
      expect(service.privateDnsName).toBe("api.example.com");
    });

    test("expose the principal and notification resources", () => {
      // GIVEN two principals and a notification
      let service!: EndpointService;

      // WHEN constructed
      Testing.synthScope((scope) => {
        service = new EndpointService(scope, "Service", props({ allowedPrincipals: [ROOT, ROLE], connectionNotification: { topicArn: TOPIC_ARN } }));
      });

      // THEN both are reachable from the construct
      expect(service.allowedPrincipals).toHaveLength(2);
      expect(service.allowedPrincipals.every((a) => a instanceof VpcEndpointServiceAllowedPrincipal)).toBe(true);
      expect(service.notification).toBeInstanceOf(VpcEndpointConnectionNotification);
    });
  });

  describe("validation", () => {
    test("rejects a service with no load balancer", () => {
      expect(build({ networkLoadBalancerArns: [] })).toThrow(/- networkLoadBalancerArns: received \[\]; expected at least one load balancer ARN in exactly one of/);
      expect(build({ networkLoadBalancerArns: undefined })).toThrow(/- networkLoadBalancerArns: received nothing/);
    });

    test("rejects both Network and Gateway Load Balancers", () => {
      expect(build({ gatewayLoadBalancerArns: [GWLB_ARN] })).toThrow(/- networkLoadBalancerArns: received \[.*\]; expected at least one load balancer ARN in exactly one of/);
    });

    test.each([
      ["a Gateway Load Balancer ARN", GWLB_ARN],
      ["an ALB ARN", "arn:aws:elasticloadbalancing:us-west-2:111111111111:loadbalancer/app/web/0123456789abcdef"],
      ["a target group ARN", "arn:aws:elasticloadbalancing:us-west-2:111111111111:targetgroup/net/tg/0123456789abcdef"],
      ["not an ARN", "pl-demo"],
    ])("rejects %s in networkLoadBalancerArns", (_label, arn) => {
      expect(build({ networkLoadBalancerArns: [NLB_ARN, arn] })).toThrow(/- networkLoadBalancerArns\[1\]: received/);
    });

    test.each([
      ["a Network Load Balancer ARN", NLB_ARN],
      ["not an ARN", "pl-gwlb"],
    ])("rejects %s in gatewayLoadBalancerArns", (_label, arn) => {
      expect(build({ networkLoadBalancerArns: undefined, gatewayLoadBalancerArns: [arn] })).toThrow(/- gatewayLoadBalancerArns\[0\]: received/);
    });

    test.each([
      ["a bare account id", "222222222222"],
      ["an S3 ARN", "arn:aws:s3:::bucket"],
      ["an IAM ARN without an account", "arn:aws:iam:::root"],
    ])("rejects %s as a principal", (_label, principal) => {
      expect(build({ allowedPrincipals: [ROOT, principal] })).toThrow(/- allowedPrincipals\[1\]: received/);
    });

    test("rejects a principal given twice", () => {
      expect(build({ allowedPrincipals: [ROOT, ROLE, ROOT] })).toThrow(/- allowedPrincipals: received "arn:aws:iam::222222222222:root"; expected each principal once/);
    });

    test("rejects an empty supportedIpAddressTypes", () => {
      expect(build({ supportedIpAddressTypes: [] })).toThrow(/- supportedIpAddressTypes: received \[\]/);
    });

    test("rejects an unknown supported IP address type", () => {
      expect(build({ supportedIpAddressTypes: [ServiceIpAddressType.IPV4, bad<ServiceIpAddressType>("dualstack")] })).toThrow(/- supportedIpAddressTypes\[1\]: received "dualstack"/);
    });

    test("rejects an IP address type given twice", () => {
      expect(build({ supportedIpAddressTypes: [ServiceIpAddressType.IPV6, ServiceIpAddressType.IPV6] })).toThrow(/- supportedIpAddressTypes: received "ipv6"; expected each IP address type once/);
    });

    test.each(["localhost", "api..example.com", "api_x.example.com", "-api.example.com", `${"a".repeat(64)}.example.com`])("rejects the private DNS name %j", (privateDnsName) => {
      expect(build({ privateDnsName })).toThrow(/- privateDnsName: received/);
    });

    test("rejects a private DNS name on a Gateway Load Balancer service", () => {
      expect(build({ networkLoadBalancerArns: undefined, gatewayLoadBalancerArns: [GWLB_ARN], privateDnsName: "api.example.com" })).toThrow(
        /- privateDnsName: received "api.example.com"; expected no private DNS name: Gateway Load Balancer/,
      );
    });

    test.each(["US-EAST-1", "us-east", "useast1", "mars-1"])("rejects the supported region %j", (region) => {
      expect(build({ supportedRegions: ["us-east-1", region] })).toThrow(/- supportedRegions\[1\]: received/);
    });

    test("rejects a region given twice", () => {
      expect(build({ supportedRegions: ["us-east-1", "us-east-1"] })).toThrow(/- supportedRegions: received "us-east-1"; expected each region once/);
    });

    test.each([
      ["an SQS ARN", "arn:aws:sqs:us-west-2:111111111111:queue"],
      ["a topic name", "privatelink-events"],
    ])("rejects %s as the notification topic", (_label, topicArn) => {
      expect(build({ connectionNotification: { topicArn } })).toThrow(/- connectionNotification\.topicArn: received/);
    });

    test("rejects an empty event list", () => {
      expect(build({ connectionNotification: { topicArn: TOPIC_ARN, events: [] } })).toThrow(/- connectionNotification\.events: received \[\]/);
    });

    test("rejects an unknown event", () => {
      const events = [ConnectionEvent.ACCEPT, bad<ConnectionEvent>("Connected")];
      expect(build({ connectionNotification: { topicArn: TOPIC_ARN, events } })).toThrow(/- connectionNotification\.events\[1\]: received "Connected"/);
    });

    test("reports every problem at once", () => {
      // GIVEN props with four independent problems
      const extra: Partial<EndpointServiceProps> = {
        networkLoadBalancerArns: ["not-an-arn"],
        allowedPrincipals: ["222222222222"],
        supportedRegions: ["mars-1"],
        connectionNotification: { topicArn: "topic" },
      };

      // WHEN constructed
      let error: unknown;
      try {
        synthService(extra);
      } catch (e) {
        error = e;
      }

      // THEN one PropsError lists them all
      expect(error).toBeInstanceOf(PropsError);
      expect((error as PropsError).problems.map((p) => p.path)).toEqual([
        "networkLoadBalancerArns[0]",
        "allowedPrincipals[0]",
        "supportedRegions[0]",
        "connectionNotification.topicArn",
      ]);
      expect((error as PropsError).message).toMatch(/^Invalid props for EndpointService at stack\/[\w-]+:\n {2}- networkLoadBalancerArns\[0\]: .*\n {2}- allowedPrincipals\[0\]: .*\n {2}- supportedRegions\[0\]: .*\n {2}- connectionNotification\.topicArn: /);
    });

    test("does not judge unresolved tokens", () => {
      // GIVEN tokens from other resources and variables wherever a literal would be checked
      // WHEN synthesized
      const synth = Testing.synthScope((scope) => {
        const lb = new Lb(scope, "Lb", { loadBalancerType: "network" });
        const topic = new SnsTopic(scope, "Topic", {});
        const arns = new TerraformVariable(scope, "nlb_arns", { type: "list(string)" });
        const regions = new TerraformVariable(scope, "regions", { type: "list(string)" });
        const principal = new TerraformVariable(scope, "principal", { type: "string" });
        const dnsName = new TerraformVariable(scope, "dns_name", { type: "string" });
        new EndpointService(scope, "Token", {
          networkLoadBalancerArns: [lb.arn],
          allowedPrincipals: [principal.stringValue],
          privateDnsName: dnsName.stringValue,
          supportedRegions: regions.listValue,
          supportedIpAddressTypes: bad<ServiceIpAddressType[]>(regions.listValue),
          connectionNotification: { topicArn: topic.arn },
        });
        new EndpointService(scope, "TokenList", { networkLoadBalancerArns: arns.listValue });
      });

      // THEN nothing is reported and the tokens reach the resources
      expect(synth).toHaveResourceWithProperties(VpcEndpointService, {
        network_load_balancer_arns: ["${aws_lb.Lb.arn}"],
        private_dns_name: "${var.dns_name}",
        supported_regions: "${var.regions}",
      });
      expect(synth).toHaveResourceWithProperties(VpcEndpointService, { network_load_balancer_arns: "${var.nlb_arns}" });
      expect(synth).toHaveResourceWithProperties(VpcEndpointServiceAllowedPrincipal, { principal_arn: "${var.principal}" });
      expect(synth).toHaveResourceWithProperties(VpcEndpointConnectionNotification, { connection_notification_arn: "${aws_sns_topic.Topic.arn}" });
    });
  });
});

test("a whole-list token for allowedPrincipals gives one resource with for_each, keyed by principal", () => {
  // GIVEN a list of principals that only Terraform knows (a module variable)
  const synth = Testing.synthScope((scope) => {
    const principals = new TerraformVariable(scope, "principals", { type: "list(string)" });
    new EndpointService(scope, "Service", props({ allowedPrincipals: principals.listValue }));
  });
  // THEN one allowed-principal resource iterates over the set of principals
  const all = resourcesOf(synth, "aws_vpc_endpoint_service_allowed_principal");
  expect(all).toHaveLength(1);
  expect(all[0]).toMatchObject({ for_each: "${toset(var.principals)}", principal_arn: "${each.value}", vpc_endpoint_service_id: expect.stringMatching(/^\$\{aws_vpc_endpoint_service\..+\.id\}$/) });
});

test("a notification enabled by a Terraform bool is counted in or out by it; a topic that is a token alone counts nothing", () => {
  // GIVEN a switch and a topic that only Terraform knows
  const synth = Testing.synthScope((scope) => {
    const on = new TerraformVariable(scope, "notify", { type: "bool" });
    const topic = new TerraformVariable(scope, "topic_arn", { type: "string" });
    new EndpointService(scope, "Service", props({ connectionNotification: { topicArn: topic.stringValue, enabled: on.booleanValue as unknown as boolean } }));
    new EndpointService(scope, "Other", props({ connectionNotification: { topicArn: topic.stringValue } }));
  });
  // THEN the switch decides the count; without one, the notification always exists (an unknown topic ARN is fine)
  const all = resourcesOf(synth, "aws_vpc_endpoint_connection_notification");
  expect(all).toHaveLength(2);
  expect(all.filter((r) => "count" in r)).toEqual([expect.objectContaining({ count: "${var.notify ? 1 : 0}", connection_notification_arn: "${var.topic_arn}" })]);
});

test("a notification disabled by a written false is not created", () => {
  expect(resourcesOf(synthService({ connectionNotification: { topicArn: TOPIC_ARN, enabled: false } }), "aws_vpc_endpoint_connection_notification")).toEqual([]);
});
