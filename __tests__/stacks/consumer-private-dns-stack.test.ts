/** Stage 5, the consumer-<name>-private-dns stacks: private DNS on, once accepted and verified. */
import { exampleJson, synthConfig } from "../support/synth";

const synth = synthConfig;

const privateDnsResources = (stack: any): any[] => Object.values(stack.resource?.aws_vpc_endpoint_private_dns ?? {});
const REMOTE_OUTPUT = /^\$\{data\.terraform_remote_state\.([^.]+)\.outputs\.([a-z_]+)\}$/;

describe("consumer-app-private-dns stack of the built-in example", () => {
  let stack: any;
  beforeAll(() => {
    stack = synth(exampleJson()).stacks["consumer-app-private-dns"];
  });

  test("has one aws_vpc_endpoint_private_dns turning private DNS on", () => {
    // GIVEN the synthesized stack
    // WHEN its private DNS resources are read
    // THEN there is one, with private_dns_enabled true
    expect(privateDnsResources(stack)).toEqual([expect.objectContaining({ private_dns_enabled: true })]);
  });

  test("the endpoint id is consumer-app's endpoint_id output, read from its remote state", () => {
    // GIVEN the synthesized stack
    // WHEN the resource's vpc_endpoint_id is read
    const [resource] = privateDnsResources(stack);
    const match = REMOTE_OUTPUT.exec(resource.vpc_endpoint_id);
    // THEN it references the endpoint_id output of a remote state that reads consumer-app's local state
    expect(match).not.toBeNull();
    const [, id, output] = match!;
    expect(output).toBe("endpoint_id");
    expect(stack.data.terraform_remote_state[id]).toMatchObject({ backend: "local", config: { path: "../../../terraform-state/consumer-app.tfstate" } });
  });

  test("outputs private_dns_name", () => {
    // GIVEN the example's private DNS name api.example.com
    // WHEN the output is read
    const value = stack.output.private_dns_name.value;
    // THEN it is that name, literally or read from the provider's remote state
    expect(value).toMatch(/^(api\.example\.com|\$\{data\.terraform_remote_state\.[^.]+\.outputs\.private_dns_name\})$/);
    const match = REMOTE_OUTPUT.exec(value);
    if (match) expect(stack.data.terraform_remote_state[match[1]].config.path).toBe("../../../terraform-state/provider.tfstate");
  });

  test("the AWS provider is in the consumer's region", () => {
    // GIVEN consumer "app" in us-west-2
    // WHEN the AWS provider is read
    // THEN it has that region
    expect(stack.provider.aws[0].region).toBe("us-west-2");
  });
});

describe("consumer private-dns stack variations", () => {
  test("the AWS provider assumes the consumer account's role, not the service's", () => {
    // GIVEN roles for the service account and for consumer "app"
    const c = exampleJson();
    c.service.account.roleArn = "arn:aws:iam::111111111111:role/deploy";
    c.consumers[0].account.roleArn = "arn:aws:iam::222222222222:role/deploy";
    c.service.endpointService.allowedPrincipals.push("arn:aws:iam::222222222222:root");
    // WHEN consumer-app-private-dns is synthesized
    const stack = synth(c).stacks["consumer-app-private-dns"];
    // THEN its AWS provider assumes the consumer's role
    expect(stack.provider.aws[0].assume_role).toEqual([expect.objectContaining({ role_arn: "arn:aws:iam::222222222222:role/deploy" })]);
  });

  test("a renamed consumer's private-dns stack reads that consumer's state", () => {
    // GIVEN consumer "app" renamed "billing"
    const c = exampleJson();
    c.consumers[0].name = "billing";
    // WHEN consumer-billing-private-dns is synthesized
    const stack = synth(c).stacks["consumer-billing-private-dns"];
    // THEN its endpoint id comes from the remote state of consumer-billing
    const [, id] = REMOTE_OUTPUT.exec(privateDnsResources(stack)[0].vpc_endpoint_id)!;
    expect(stack.data.terraform_remote_state[id].config.path).toBe("../../../terraform-state/consumer-billing.tfstate");
  });
});
