/** Every generated aws-access directory passes `terraform validate` with the real AWS provider. */
import * as fs from "fs";
import * as path from "path";
import { validateDirs } from "../../support/validate";
import { parseConfig } from "../../../config/load";
import { synthesize } from "../../../synth/synth";
import { readRecord } from "../../../synth/stack-record";
import { AWS_ACCESS_FOLDER, accountHints, writeAwsAccess } from "../../../synth/pipelines/aws-access";
import { exampleJson, tempDirs } from "../../support/synth";

const newDir = tempDirs("pl-access-validate-");

/** The example with S3 state, in three accounts plus a DNS account; `roles`: reached through roleArns, else by account.id. */
function multiAccount(roles: boolean): Record<string, any> {
  const c = exampleJson();
  c.state = { backend: "s3", bucket: "acme-tf-state", region: "us-east-1", keyPrefix: "privatelink/", kmsKeyId: "1234abcd-12ab-34cd-56ef-1234567890ab" };
  const account = (id: string) => (roles ? { region: "us-west-2", roleArn: `arn:aws:iam::${id}:role/deployer` } : { region: "us-west-2", id });
  c.service.account = account("111111111111");
  c.service.endpointService.allowedPrincipals = ["arn:aws:iam::222222222222:root", "arn:aws:iam::333333333333:root"];
  c.dns = { provider: "route53", zoneName: "example.com", account: { region: "us-east-1", roleArn: "arn:aws:iam::444444444444:role/dns" } };
  c.consumers[0].account = account("222222222222");
  c.consumers[1].account = account("333333333333");
  return c;
}

describe("the aws-access directories", () => {
  test.each([
    ["the config's roles in every account, the bucket policy managed", true, {}],
    ["the pipeline roles acting themselves, existing OIDC providers, the bucket policy as an output", false, { existingOidcProviders: { "222222222222": "arn:aws:iam::222222222222:oidc-provider/token.actions.githubusercontent.com", "333333333333": "existing" }, manageBucketPolicy: false }],
  ])("%s: terraform validate passes in every directory", (_name, roles, options) => {
    const dir = newDir();
    const outdir = path.join(dir, "cdktf.out");
    const recordFile = path.join(dir, "privatelink.stacks.json");
    synthesize(parseConfig(multiAccount(roles)), outdir, { recordFile });
    const accounts = Object.fromEntries(Object.entries(readRecord(recordFile).stacks).map(([name, s]) => [name, s.accounts.default]));
    const input = writeAwsAccess(outdir, { repository: "acme/privatelink", stateBucketAccountId: "111111111111", accounts: accountHints(accounts), ...options });
    expect(input.accounts.map((a) => a.accountId)).toEqual(["111111111111", "222222222222", "333333333333", "444444444444"]);
    const results = validateDirs(input.accounts.map((a) => ({ stack: a.accountId, dir: path.join(outdir, AWS_ACCESS_FOLDER, a.accountId) })));
    expect(results.filter((r) => !r.valid)).toEqual([]);
    expect(fs.readdirSync(path.join(outdir, AWS_ACCESS_FOLDER)).filter((f) => /^\d{12}$/.test(f))).toHaveLength(4);
  });
});

describe("the aws-access directories for HCP Terraform", () => {
  test("written by synth with pipelines.hcpTerraform: terraform validate passes in every directory", () => {
    const dir = newDir();
    const c = multiAccount(false);
    c.state = { backend: "hcp-terraform", organization: "acme", project: "privatelink" };
    c.pipelines = { hcpTerraform: {} };
    synthesize(parseConfig(c), path.join(dir, "cdktf.out"), { recordFile: path.join(dir, "privatelink.stacks.json") });
    const folder = path.join(dir, "cdktf.out", AWS_ACCESS_FOLDER);
    const accounts = fs.readdirSync(folder).filter((f) => /^\d{12}$/.test(f));
    expect(accounts).toEqual(["111111111111", "222222222222", "333333333333", "444444444444"]);
    const results = validateDirs(accounts.map((a) => ({ stack: a, dir: path.join(folder, a) })));
    expect(results.filter((r) => !r.valid)).toEqual([]);
    // HCP Terraform's issuer, not GitHub's
    expect(JSON.parse(fs.readFileSync(path.join(folder, "111111111111", "main.tf.json"), "utf8")).resource.aws_iam_openid_connect_provider.hcp_terraform).toEqual({ url: "https://app.terraform.io", client_id_list: ["aws.workload.identity"] });
  });
});
