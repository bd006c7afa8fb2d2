/** Stacks that leave the config are retired through the stack record, never orphaned. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseConfig } from "../../config/load";
import { readRecord, recordPathFor } from "../../synth/stack-record";
import { RulesError, synthesize } from "../../synth/synth";
import { digest, runApp } from "../support/app";
import { exampleJson } from "../support/synth";

const tmp: string[] = [];
afterAll(() => tmp.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** A project folder with a config file and its record, synthesized into <folder>/cdktf.out. */
function project() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pl-retire-"));
  tmp.push(dir);
  const outdir = path.join(dir, "cdktf.out");
  const recordFile = recordPathFor(path.join(dir, "privatelink.config.json"));
  const synth = (json: unknown, lockFile?: string) => synthesize(parseConfig(json), outdir, { recordFile, lockFile });
  const stack = (name: string) => JSON.parse(fs.readFileSync(path.join(outdir, "stacks", name, "cdk.tf.json"), "utf8"));
  const order = () => JSON.parse(fs.readFileSync(path.join(outdir, "deploy-order.json"), "utf8"));
  return { dir, outdir, recordFile, synth, stack, order };
}

/** The example whose "reports" consumer assumes a role in its own account. */
function exampleWithRoles(): Record<string, any> {
  const c = exampleJson();
  c.consumers[1].account = { region: "eu-west-1", roleArn: "arn:aws:iam::333333333333:role/deploy", externalId: "ext-1" };
  c.service.endpointService.allowedPrincipals.push("arn:aws:iam::333333333333:role/deploy");
  c.consumers[1].serviceRegion = "us-west-2";
  c.consumers[1].network.create.availabilityZones = ["eu-west-1a"];
  c.service.endpointService.supportedRegions = ["eu-west-1"];
  return c;
}

const withoutReports = (c: Record<string, any>) => ({ ...c, consumers: c.consumers.filter((x: any) => x.name !== "reports") });
const withoutAcceptance = (c: Record<string, any>) => ({ ...c, service: { ...c.service, endpointService: { ...c.service.endpointService, acceptanceRequired: false } } });

describe("the stack record", () => {
  test("names the file after the config", () => {
    expect(recordPathFor("/p/privatelink.config.json")).toBe("/p/privatelink.stacks.json");
    expect(recordPathFor("/p/configs/prod.json")).toBe("/p/configs/prod.stacks.json");
  });

  test("a first synth records every stack as live, with its accounts and what retiring must forget", () => {
    const p = project();
    p.synth(exampleWithRoles());
    const record = readRecord(p.recordFile);
    expect(Object.keys(record.stacks).sort()).toEqual(["acceptance", "consumer-app", "consumer-app-private-dns", "consumer-reports", "dns-verification", "provider"]);
    for (const entry of Object.values(record.stacks)) expect(entry.status).toBe("live");
    expect(record.stacks["consumer-reports"].accounts).toEqual({ default: { region: "eu-west-1", roleArn: "arn:aws:iam::333333333333:role/deploy", externalId: "ext-1" } });
    expect(record.stacks.acceptance.forget).toEqual([expect.stringMatching(/^aws_vpc_endpoint_connection_accepter\.Accepter_Accept-app_/), expect.stringMatching(/^aws_vpc_endpoint_connection_accepter\.Accepter_Accept-reports_/)]);
    expect(record.stacks["consumer-app-private-dns"].forget).toEqual([expect.stringMatching(/^aws_vpc_endpoint_private_dns\./)]);
    expect(record.stacks.provider.forget).toEqual([]);
  });

  test("a synth of the same config leaves the record unchanged", () => {
    const p = project();
    expect(p.synth(exampleJson()).recordChanged).toBe(true);
    const text = fs.readFileSync(p.recordFile, "utf8");
    expect(p.synth(exampleJson()).recordChanged).toBe(false);
    expect(fs.readFileSync(p.recordFile, "utf8")).toBe(text);
  });

  test("accounts given by id are recorded with it, and the next synth reads them back", () => {
    const p = project();
    const c = exampleJson();
    c.service.account.id = "123456789012";
    p.synth(c);
    expect(readRecord(p.recordFile).stacks.provider.accounts).toEqual({ default: { region: "us-west-2", id: "123456789012" } });
    expect(p.synth(c).recordChanged).toBe(false);
  });

  test("a record that is not JSON, or not a record, stops synthesis and leaves cdktf.out and the record as they were", () => {
    const p = project();
    p.synth(exampleJson());
    const before = digest(p.outdir);
    fs.writeFileSync(p.recordFile, '{"stacks": {"provider": {"status": "gone"}}}');
    expect(() => p.synth(exampleJson())).toThrow(/privatelink\.stacks\.json: not a stack record \(stacks\.provider\.status: .*stacks\.provider\.accounts: /);
    fs.writeFileSync(p.recordFile, "{ not json");
    expect(() => p.synth(exampleJson())).toThrow(/not a stack record/);
    expect(digest(p.outdir)).toBe(before);
    expect(fs.readFileSync(p.recordFile, "utf8")).toBe("{ not json");
  });

  test("a synth stopped by the security rules does not touch the record", () => {
    const p = project();
    p.synth(exampleJson());
    const text = fs.readFileSync(p.recordFile, "utf8");
    const bad: Record<string, any> = withoutReports(exampleJson());
    bad.service.endpointService.allowedPrincipals = ["*"];
    expect(() => p.synth(bad)).toThrow(RulesError);
    expect(fs.readFileSync(p.recordFile, "utf8")).toBe(text);
  });
});

describe("a consumer removed from the config", () => {
  const p = project();
  let result: ReturnType<typeof p.synth>;
  beforeAll(() => {
    p.synth(exampleWithRoles());
    result = p.synth(withoutReports(exampleWithRoles()));
  });

  test("becomes a retire stack: same name and backend, the account it deployed to, nothing of its own", () => {
    const retire = p.stack("consumer-reports");
    expect(retire.terraform.backend).toEqual({ local: { path: "../../../terraform-state/consumer-reports.tfstate" } });
    expect(retire.provider.aws).toEqual([
      expect.objectContaining({ region: "eu-west-1", assume_role: [{ role_arn: "arn:aws:iam::333333333333:role/deploy", external_id: "ext-1", session_name: "privatelink-as-code" }] }),
    ]);
    expect(retire.resource).toBeUndefined();
    expect(retire.data).toBeUndefined();
    expect(retire.output).toBeUndefined();
    expect(retire.removed).toBeUndefined();
  });

  test("is listed in deploy-order.json's retire list, applied after the waves and destroyed first", () => {
    const order = p.order();
    expect(order.retire).toEqual([{ name: "consumer-reports", workingDirectory: "stacks/consumer-reports" }]);
    expect(order.apply.map((s: { name: string }) => s.name)).not.toContain("consumer-reports");
    expect(order.destroy[0]).toBe("consumer-reports");
    expect(result.retired).toEqual([{ name: "consumer-reports", workingDirectory: "stacks/consumer-reports", action: expect.stringMatching(/destroys everything its state holds: the interface endpoint, its security group and any network it created/) }]);
  });

  test("depends on every live stack, so cdktf deploy '*' applies it last and cdktf destroy '*' first", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(p.outdir, "manifest.json"), "utf8"));
    const live = Object.keys(manifest.stacks).filter((s) => s !== "consumer-reports");
    expect([...manifest.stacks["consumer-reports"].dependencies].sort()).toEqual(live.sort());
  });

  test("is recorded as retired, and the live acceptance stack no longer accepts it", () => {
    expect(readRecord(p.recordFile).stacks["consumer-reports"].status).toBe("retired");
    expect(Object.keys(p.stack("acceptance").resource.aws_vpc_endpoint_connection_accepter)).toEqual([expect.stringMatching(/Accept-app/)]);
    expect(Object.keys(p.stack("acceptance").data.terraform_remote_state)).not.toContain("consumer-reports");
  });

  test("stays a retire stack over later synths until forgotten, and comes back live if re-added", () => {
    p.synth(withoutReports(exampleWithRoles()));
    expect(p.order().retire.map((r: { name: string }) => r.name)).toEqual(["consumer-reports"]);
    p.synth(exampleWithRoles());
    expect(p.order().retire).toEqual([]);
    expect(readRecord(p.recordFile).stacks["consumer-reports"].status).toBe("live");
    expect(p.stack("consumer-reports").resource.aws_vpc_endpoint).toBeDefined();
  });
});

describe("acceptance turned off", () => {
  const p = project();
  beforeAll(() => {
    p.synth(exampleJson());
    p.synth(withoutAcceptance(exampleJson()));
  });

  test("the acceptance retire stack forgets every accepter instead of rejecting live endpoints", () => {
    const retire = p.stack("acceptance");
    expect(retire.resource).toBeUndefined();
    expect(retire.removed).toEqual([
      { from: expect.stringMatching(/^aws_vpc_endpoint_connection_accepter\.Accepter_Accept-app_/), lifecycle: { destroy: false } },
      { from: expect.stringMatching(/^aws_vpc_endpoint_connection_accepter\.Accepter_Accept-reports_/), lifecycle: { destroy: false } },
    ]);
  });

  test("the private DNS retire stack forgets the switch, so private DNS stays on", () => {
    expect(p.stack("consumer-app-private-dns").removed).toEqual([{ from: expect.stringMatching(/^aws_vpc_endpoint_private_dns\./), lifecycle: { destroy: false } }]);
  });

  test("the consumer stack takes over private_dns_enabled: true, no longer ignored", () => {
    const endpoint = Object.values<any>(p.stack("consumer-app").resource.aws_vpc_endpoint)[0];
    expect(endpoint.private_dns_enabled).toBe(true);
    expect(endpoint.lifecycle?.ignore_changes ?? []).not.toContain("private_dns_enabled");
  });

  test("both are retired, with what applying each does", () => {
    expect(p.order().retire.map((r: { name: string }) => r.name)).toEqual(["acceptance", "consumer-app-private-dns"]);
  });
});

describe("provider lock files", () => {
  test("a new synth keeps each stack's .terraform.lock.hcl from the previous output", () => {
    const p = project();
    p.synth(exampleJson());
    const lock = path.join(p.outdir, "stacks", "provider", ".terraform.lock.hcl");
    fs.writeFileSync(lock, "# pinned by a pipeline\n");
    p.synth(exampleJson());
    expect(fs.readFileSync(lock, "utf8")).toBe("# pinned by a pipeline\n");
    expect(fs.existsSync(path.join(p.outdir, "stacks", "acceptance", ".terraform.lock.hcl"))).toBe(false);
  });

  test("stacks without one get the project's lock file", () => {
    const p = project();
    const projectLock = path.join(p.dir, ".terraform.lock.hcl");
    fs.writeFileSync(projectLock, "# the project's\n");
    p.synth(exampleJson(), projectLock);
    for (const stack of ["provider", "acceptance", "consumer-app"]) expect(fs.readFileSync(path.join(p.outdir, "stacks", stack, ".terraform.lock.hcl"), "utf8")).toBe("# the project's\n");
  });
});

describe("the app", () => {
  test("prints one line per retire stack saying what applying it does, and where the record is", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pl-retire-app-"));
    tmp.push(dir);
    const outdir = path.join(dir, "cdktf.out");
    expect(runApp(exampleJson(), outdir).stdout).toMatch(/stack record written: .*privatelink\.stacks\.json \(commit it with the config\)/);
    const r = runApp(withoutAcceptance(withoutReports(exampleJson())), outdir);
    expect(r.status).toBe(0);
    const lines = r.stdout.split("\n").filter((l) => l.startsWith("retire stack "));
    expect(lines).toEqual([
      expect.stringMatching(/^retire stack acceptance \(.*cdktf\.out\/stacks\/acceptance\): terraform apply there forgets the connection accepters \(2 resource\(s\)\), so no endpoint is rejected; deletes nothing\. Once applied: npm run forget -- acceptance$/),
      expect.stringMatching(/^retire stack consumer-app-private-dns .*forgets the private DNS switch .* private DNS stays on and consumer-app manages it from now on; deletes nothing\./),
      expect.stringMatching(/^retire stack consumer-reports .*destroys everything its state holds/),
    ]);
  });
});
