/** Each jest project runs the constructs on its own flavour's packages (see jest.config.js). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { FLAVOURS } = require("../../scripts/flavours") as { FLAVOURS: Record<string, { core: string; provider: string; awsProvider: string }> };

const flavour = (globalThis as { PRIVATELINK_FLAVOUR?: string }).PRIVATELINK_FLAVOUR ?? "cdktf-aws5";

test("the cdktf family in use is the project's flavour's", () => {
  // GIVEN this test project's flavour
  const expected = FLAVOURS[flavour];
  // WHEN the family's packages are loaded as the constructs load them
  const core = require("cdktf/package.json");
  const provider = require("@cdktf/provider-aws/package.json");
  const { App } = require("cdktf");
  // THEN they are the flavour's: core, provider package, and the AWS provider major it was generated from
  expect({ core: core.name, provider: provider.name }).toEqual({ core: expected.core, provider: expected.provider });
  const app = new App();
  const { TerraformStack } = require("cdktf");
  const { AwsProvider } = require("@cdktf/provider-aws/lib/provider");
  const aws = new AwsProvider(new TerraformStack(app, "s"), "aws", { region: "us-west-2" });
  expect(`${aws.terraformGeneratorMetadata?.providerVersion?.split(".")[0]}.x`).toBe(expected.awsProvider);
});
