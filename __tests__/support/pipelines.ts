import { exampleJson } from "./synth";

// Configs with pipelines.githubActions, shared by the workflow's unit and app tests.

/** The example with S3 state, a role per account and the workflow: provider in 111…, consumers in 222… and 333…. */
export function pipelineConfig(): Record<string, any> {
  const c = exampleJson();
  delete c.$schema;
  c.state = { backend: "s3", bucket: "acme-tf-state", region: "us-west-2" };
  c.service.account = { region: "us-west-2", roleArn: "arn:aws:iam::111111111111:role/terraform" };
  c.consumers[0].account = { region: "us-west-2", id: "222222222222" };
  c.consumers[1].account = { region: "us-west-2", roleArn: "arn:aws:iam::333333333333:role/terraform" };
  c.service.endpointService.allowedPrincipals = ["arn:aws:iam::222222222222:root", "arn:aws:iam::333333333333:root", "arn:aws:iam::444444444444:root"];
  c.pipelines = { githubActions: { repository: "acme/privatelink" } };
  return c;
}

/** A consumer like the example's "reports", named `name`, in account `account`. */
export function consumer(name: string, account: string, cidr: string): Record<string, any> {
  return {
    name,
    account: { region: "us-west-2", id: account },
    network: { create: { ipv4Cidr: cidr, availabilityZones: ["us-west-2a"], flowLogs: { destination: "cloud-watch-logs" } } },
    ipAddressType: "ipv4",
    dnsRecordIpType: "ipv4",
    privateDns: false,
    allowFrom: { ipv4Cidrs: [cidr] },
  };
}
