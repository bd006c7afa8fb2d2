/** Stage 4, the acceptance stack: the provider accepts each consumer endpoint, ids read from remote state. */
import * as fs from "fs";
import { SynthResult, exampleJson, synthConfig } from "../support/synth";

const synthesized: SynthResult[] = [];
function acceptanceStack(json: unknown): any {
  const result = synthConfig(json);
  synthesized.push(result);
  return result.stacks.acceptance;
}
afterAll(() => synthesized.forEach((r) => fs.rmSync(r.outdir, { recursive: true, force: true })));

const accepters = (stack: any): any[] => Object.values(stack.resource?.aws_vpc_endpoint_connection_accepter ?? {});
const remoteStates = (stack: any): Record<string, any> => stack.data?.terraform_remote_state ?? {};
/** The remote-state data source id that reads the given stack's local state file. */
function remoteStateIdOf(stack: any, readStack: string): string | undefined {
  const path = `../../../terraform-state/${readStack}.tfstate`;
  return Object.entries(remoteStates(stack)).find(([, s]) => s.backend === "local" && s.config.path === path)?.[0];
}

describe("acceptance stack of the built-in example", () => {
  let stack: any;
  beforeAll(() => {
    stack = acceptanceStack(exampleJson());
  });

  test("reads the remote state of provider and of every consumer stack", () => {
    // GIVEN the example with consumers app and reports
    // WHEN the remote-state data sources are read
    const paths = Object.values(remoteStates(stack)).map((s) => s.config.path);
    // THEN it reads exactly provider, consumer-app and consumer-reports, through relative paths
    expect(paths.sort()).toEqual([
      "../../../terraform-state/consumer-app.tfstate",
      "../../../terraform-state/consumer-reports.tfstate",
      "../../../terraform-state/provider.tfstate",
    ]);
  });

  test("has one connection accepter per consumer", () => {
    // GIVEN the example with two consumers
    // WHEN the accepters are read
    // THEN there are two
    expect(accepters(stack)).toHaveLength(2);
  });

  test.each(["consumer-app", "consumer-reports"])("accepts the endpoint id read from %s's remote state", (consumerStack) => {
    // GIVEN the remote-state data source reading the consumer stack's state
    const id = remoteStateIdOf(stack, consumerStack);
    expect(id).toBeDefined();
    // WHEN the accepters' endpoint ids are read
    const endpointIds = accepters(stack).map((a) => a.vpc_endpoint_id);
    // THEN one accepter takes that stack's endpoint_id output
    expect(endpointIds).toContain(`\${data.terraform_remote_state.${id}.outputs.endpoint_id}`);
  });

  test("every accepter targets the service id read from the provider's remote state", () => {
    // GIVEN the remote-state data source reading the provider's state
    const id = remoteStateIdOf(stack, "provider");
    expect(id).toBeDefined();
    // WHEN the accepters' service ids are read
    // THEN all are the provider's service_id output
    for (const a of accepters(stack)) expect(a.vpc_endpoint_service_id).toBe(`\${data.terraform_remote_state.${id}.outputs.service_id}`);
  });

  test("outputs accepted_endpoint_ids from the accepters", () => {
    // GIVEN the synthesized stack
    // WHEN the output is read
    const value = stack.output.accepted_endpoint_ids.value;
    // THEN it lists one id per accepter, each referencing an accepter
    expect(value).toHaveLength(2);
    for (const v of value) expect(v).toMatch(/^\$\{aws_vpc_endpoint_connection_accepter\.[^.]+\.(vpc_endpoint_id|id)\}$/);
  });

  test("runs in the provider account's region", () => {
    // GIVEN the example's service region us-west-2
    // WHEN the AWS provider is read
    // THEN it has that region
    expect(stack.provider.aws[0].region).toBe("us-west-2");
  });
});

describe("acceptance stack variations", () => {
  test("a third consumer gets its own remote state and accepter", () => {
    // GIVEN the example with a third consumer "ops"
    const c = exampleJson();
    c.consumers.push({ ...c.consumers[1], name: "ops" });
    // WHEN the acceptance stack is synthesized
    const stack = acceptanceStack(c);
    // THEN it reads consumer-ops' state and accepts its endpoint id, with three accepters in all
    const id = remoteStateIdOf(stack, "consumer-ops");
    expect(id).toBeDefined();
    expect(accepters(stack)).toHaveLength(3);
    expect(accepters(stack).map((a) => a.vpc_endpoint_id)).toContain(`\${data.terraform_remote_state.${id}.outputs.endpoint_id}`);
  });

  test("the AWS provider assumes the service account's role, not a consumer's", () => {
    // GIVEN roles for the service account and for consumer "app"
    const c = exampleJson();
    c.service.account.roleArn = "arn:aws:iam::111111111111:role/deploy";
    c.consumers[0].account.roleArn = "arn:aws:iam::222222222222:role/deploy";
    c.service.endpointService.allowedPrincipals.push("arn:aws:iam::222222222222:root");
    // WHEN the acceptance stack is synthesized
    // THEN its AWS provider assumes the service account's role
    expect(acceptanceStack(c).provider.aws[0].assume_role).toEqual([expect.objectContaining({ role_arn: "arn:aws:iam::111111111111:role/deploy" })]);
  });
});
