import { Testing, TerraformStack } from "cdktf";
import { ConsumerEndpoint, DualStackNlb, DualStackVpc, PropsError } from "../../modules";

describe("PropsError", () => {
  test("names the construct's path: two load balancers in one app are told apart", () => {
    // GIVEN two load balancers with the same mistake in one stack
    const stack = new TerraformStack(Testing.app(), "provider");
    const nlb = (id: string) => () => new DualStackNlb(stack, id, { vpcId: "vpc-0123456789abcdef0", subnetIds: ["subnet-0123456789abcdef0"], listeners: [{ port: 0 }], target: { ids: [] } });
    // WHEN each is built / THEN each error names its own path
    expect(nlb("Public")).toThrow(/^Invalid props for DualStackNlb at provider\/Public:\n {2}- listeners\[0\]\.port: received 0/);
    expect(nlb("Internal")).toThrow(/^Invalid props for DualStackNlb at provider\/Internal:/);
  });

  test.each([
    ["DualStackVpc", (s: TerraformStack) => new DualStackVpc(s, "Net", { ipv4Cidr: "10.0.0.0/8", availabilityZones: ["us-west-2a"] }), "consumer/Net"],
    ["ConsumerEndpoint", (s: TerraformStack) => new ConsumerEndpoint(s, "Endpoint", { serviceName: "svc", vpcId: "vpc-0123456789abcdef0", subnetIds: ["subnet-0123456789abcdef0"], ports: [{ port: 443 }], allowFrom: {} }), "consumer/Endpoint"],
  ])("%s errors carry the construct path and a PropsError's fields", (kind, build, at) => {
    const stack = new TerraformStack(Testing.app(), "consumer");
    let error: unknown;
    try {
      build(stack);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PropsError);
    expect(error).toMatchObject({ construct: kind, constructPath: at });
    expect((error as PropsError).message.startsWith(`Invalid props for ${kind} at ${at}:\n`)).toBe(true);
  });
});
