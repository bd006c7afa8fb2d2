/**
 * The whole flow on the emulator with local state (and, on the way, stages applied out of order
 * fail early with what to apply first): the provider applied alone, then `npm run deploy` while
 * the emulator fails one consumer's endpoint creation (the stacks that do not depend on it apply,
 * the others are skipped, exit 1), then `npm run deploy` again, which converges: remote state
 * really carries the service name, the verification token and the endpoint ids, nothing is
 * duplicated and a plain second plan of every stack is empty; `npm run destroy` asks before it
 * destroys anything. The day-2 flows start from the same applied setup, built once and copied
 * (support/baseline.ts), and destroy what they changed.
 */
import * as fs from "fs";
import * as path from "path";
import { SANDBOX_ZONE, StackFailure } from "../../sandbox/flow";
import { armedFaults, emulatorCall, injectFault } from "../../sandbox/emulator";
import { npmRun, useSandbox } from "../support/sandbox";

jest.setTimeout(600_000);

async function failure(p: Promise<unknown>): Promise<StackFailure> {
  try {
    await p;
  } catch (e) {
    if (e instanceof StackFailure) return e;
    throw e;
  }
  throw new Error("expected the terraform step to fail");
}

describe("sandbox flow, local state", () => {
  const sandbox = useSandbox("local");
  const ec2 = (operation: string, params: Record<string, unknown> = {}) => emulatorCall(sandbox.emulator.endpoint, "us-west-2", "ec2", operation, params);
  const endpoint = (id: string) => ec2("describe_vpc_endpoints", { VpcEndpointIds: [id] }).VpcEndpoints[0];
  const verificationState = (serviceId: string) => ec2("describe_vpc_endpoint_service_configurations", { ServiceIds: [serviceId] }).ServiceConfigurations[0].PrivateDnsNameConfiguration.State;
  const liveEndpoints = () => ec2("describe_vpc_endpoints").VpcEndpoints.filter((e: any) => e.State !== "deleted");
  /** The summary table's row of a stack: stack, result, seconds, note. */
  const row = (stdout: string, stack: string) => stdout.split("\n").find((l) => l.startsWith(`${stack} `))?.trim().split(/\s{2,}/);
  const out: Record<string, Record<string, any>> = {};

  test("the flow has the five stages in dependency order", () => {
    expect(sandbox.run.waves()).toEqual([["provider"], ["consumer-app", "consumer-reports", "dns-verification"], ["acceptance"], ["consumer-app-private-dns"]]);
    expect(sandbox.run.retireStacks()).toEqual([]);
  });

  describe("applied out of order, a stack fails early and says what to apply first", () => {
    test("a consumer applied before the provider's state exists names the stack to apply first", async () => {
      const e = await failure(sandbox.run.apply("consumer-app"));
      expect(e.stackName).toBe("consumer-app");
      expect(e.message).toMatch(/Error: Unable to find remote state/);
      expect(e.message).toMatch(/with data\.terraform_remote_state\.provider/);
      expect(e.message).toMatch(/Stack provider has no state yet: apply stack provider first/);
    });

    test("a stack whose source state lacks the outputs it reads fails on the postcondition", async () => {
      // GIVEN a provider state that exists but holds no outputs (as after a destroy)
      const providerState = path.join(sandbox.workDir, "terraform-state", "provider.tfstate");
      fs.mkdirSync(path.dirname(providerState), { recursive: true });
      fs.writeFileSync(providerState, JSON.stringify({ version: 4, terraform_version: "1.11.4", serial: 1, lineage: "empty", outputs: {}, resources: [] }));
      const e = await failure(sandbox.run.apply("consumer-app"));
      fs.rmSync(providerState);
      expect(e.message.replace(/\s+/g, " ")).toMatch(/Stack consumer-app reads outputs service_name from the state of stack provider, which does not have them yet: apply stack provider first/);
    });
  });

  test("1 provider: the service gets a real verification token, pending verification", async () => {
    await sandbox.run.apply("provider");
    out.provider = await sandbox.run.outputs("provider");
    expect(out.provider.service_name).toMatch(/^com\.amazonaws\.vpce\.us-west-2\.vpce-svc-[0-9a-f]+$/);
    expect(out.provider.service_id).toMatch(/^vpce-svc-[0-9a-f]+$/);
    expect(out.provider.supported_ip_address_types.sort()).toEqual(["ipv4", "ipv6"]);
    expect(out.provider.private_dns_name).toBe(`api.${SANDBOX_ZONE}`);
    expect(out.provider.private_dns_verification_name).toMatch(/^_[a-z0-9]+$/);
    expect(out.provider.private_dns_verification_value).toMatch(/^vpce:[a-z0-9]+$/);
    expect(out.provider.private_dns_verification_type).toBe("TXT");
    expect(verificationState(out.provider.service_id)).toBe("pendingVerification");
  });

  test("npm run deploy while the emulator fails consumer-reports' endpoint: what does not depend on it applies, the rest is skipped, exit 1", async () => {
    // GIVEN the emulator fails the next creation of an IPv4-only endpoint (consumer-reports'; consumer-app's is dual-stack)
    await injectFault(sandbox.emulator.endpoint, { action: "CreateVpcEndpoint", params: { IpAddressType: "ipv4" } });
    // WHEN npm run deploy synthesizes and applies every stack
    const r = await npmRun(sandbox, "deploy");
    // THEN consumer-reports failed half-way, with terraform's error; the stacks that read it were skipped; the others applied
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 1, stderr: expect.stringMatching(/Security rules: 0 errors/) });
    expect(row(r.stdout, "provider")).toEqual(["provider", "applied", expect.stringMatching(/^\d+\.\d$/), "no changes"]);
    expect(row(r.stdout, "dns-verification")?.slice(0, 2)).toEqual(["dns-verification", "applied"]);
    expect(row(r.stdout, "consumer-app")?.slice(0, 2)).toEqual(["consumer-app", "applied"]);
    expect(row(r.stdout, "consumer-reports")).toEqual(["consumer-reports", "FAILED", expect.any(String), "see below"]);
    expect(row(r.stdout, "acceptance")).toEqual(["acceptance", "skipped", "-", "blocked by consumer-reports"]);
    expect(row(r.stdout, "consumer-app-private-dns")).toEqual(["consumer-app-private-dns", "skipped", "-", "blocked by consumer-reports"]);
    expect(r.stdout).toMatch(/^consumer-reports: terraform apply failed \(exit 1\):\nError: creating EC2 VPC Endpoint .*InjectedFault: the emulator failed CreateVpcEndpoint on purpose/m);
    expect(r.stdout).toMatch(/^3 applied, 1 failed, 2 skipped$/m);
    expect(r.stdout).toMatch(/^ {2}acceptance +skipped: consumer-reports did not succeed$/m);
    expect(await armedFaults(sandbox.emulator.endpoint)).toEqual([]);
    // AND consumer-reports' network is in its state, with no endpoint there nor in the emulator
    const reports = await sandbox.run.resources("consumer-reports");
    expect(reports).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_vpc\./), expect.stringMatching(/^aws_security_group\./)]));
    expect(reports.filter((a) => a.startsWith("aws_vpc_endpoint."))).toEqual([]);
    expect(liveEndpoints()).toHaveLength(1);
  });

  test("2 dns-verification: the TXT record holds the provider's token and the domain is verified", async () => {
    out.dns = await sandbox.run.outputs("dns-verification");
    expect(out.dns.verification_record_fqdn).toBe(`${out.provider.private_dns_verification_name}.api.${SANDBOX_ZONE}`);
    expect(out.dns.verification_record_value).toBe(out.provider.private_dns_verification_value);
    expect(verificationState(out.provider.service_id)).toBe("verified");
  });

  test("3 consumer-app: the endpoint uses the provider's service name and waits for acceptance", async () => {
    out.app = await sandbox.run.outputs("consumer-app");
    expect(out.app.service_name).toBe(out.provider.service_name);
    expect(out.app.endpoint_id).toMatch(/^vpce-[0-9a-f]+$/);
    expect(endpoint(out.app.endpoint_id).State).toBe("pendingAcceptance");
    expect(out.app.ip_address_type).toBe("dualstack");
    expect(out.app.dns_names.length).toBeGreaterThan(0);
    expect(Object.keys(out.app.zonal_dns_names).sort()).toEqual(["us-west-2a", "us-west-2b"]);
    // consumer-app's network is given by zone id: its subnets are in those zones, and the
    // endpoint's zone check found those ids among the service's
    const appSubnets = ec2("describe_subnets", { SubnetIds: endpoint(out.app.endpoint_id).SubnetIds }).Subnets;
    expect(appSubnets.map((s: any) => s.AvailabilityZoneId).sort()).toEqual(["usw2-az1", "usw2-az2"]);
    expect(out.app.network_interface_ids).toHaveLength(2);
    expect(out.app.security_group_id).toMatch(/^sg-/);
  });

  test("private DNS turned on before acceptance (stage 5 before 4) is refused with AWS's message", async () => {
    const e = await failure(sandbox.run.apply("consumer-app-private-dns"));
    expect(e.stackName).toBe("consumer-app-private-dns");
    expect(e.message.replace(/\s+/g, " ")).toMatch(/Private DNS can only be enabled after the endpoint connection is accepted by the owner of com\.amazonaws\.vpce\.us-west-2\.vpce-svc-/);
  });

  test("npm run deploy again converges: consumer-reports gets one endpoint, acceptance and private DNS apply, the rest is unchanged, exit 0", async () => {
    const r = await npmRun(sandbox, "deploy", ["--no-synth"]);
    expect({ code: r.code, output: r.code === 0 ? "" : r.stdout + r.stderr }).toEqual({ code: 0, output: "" });
    for (const stack of ["provider", "dns-verification", "consumer-app"]) expect(row(r.stdout, stack)).toEqual([stack, "applied", expect.any(String), "no changes"]);
    expect(row(r.stdout, "consumer-reports")).toEqual(["consumer-reports", "applied", expect.any(String), expect.stringMatching(/^[1-9]\d* added, 0 changed, 0 destroyed$/)]);
    for (const stack of ["acceptance", "consumer-app-private-dns"]) expect(row(r.stdout, stack)?.slice(0, 2)).toEqual([stack, "applied"]);
    expect(r.stdout).toMatch(/^6 applied, 0 failed, 0 skipped$/m);
    // nothing duplicated: one endpoint per consumer, the one its state holds
    out.reports = await sandbox.run.outputs("consumer-reports");
    expect(liveEndpoints().map((e: any) => e.VpcEndpointId).sort()).toEqual([out.app.endpoint_id, out.reports.endpoint_id].sort());
    expect(out.reports.ip_address_type).toBe("ipv4");
    expect(ec2("describe_vpcs").Vpcs.filter((v: any) => !v.IsDefault)).toHaveLength(3);
  });

  test("4 acceptance: every consumer endpoint, read from the consumers' state, is available", async () => {
    out.acceptance = await sandbox.run.outputs("acceptance");
    expect([...out.acceptance.accepted_endpoint_ids].sort()).toEqual([out.app.endpoint_id, out.reports.endpoint_id].sort());
    expect(endpoint(out.app.endpoint_id).State).toBe("available");
    expect(endpoint(out.reports.endpoint_id).State).toBe("available");
  });

  test("5 consumer-app-private-dns: private DNS is on once accepted and verified", async () => {
    expect((await sandbox.run.outputs("consumer-app-private-dns")).private_dns_name).toBe(`api.${SANDBOX_ZONE}`);
    const app = endpoint(out.app.endpoint_id);
    expect(app.PrivateDnsEnabled).toBe(true);
    expect(app.DnsEntries.map((e: { DnsName: string }) => e.DnsName)).toContain(`api.${SANDBOX_ZONE}`);
  });

  test("a plain second plan of every stack is empty, with no refresh first", async () => {
    const plans = await sandbox.run.emptyPlans();
    expect(plans.map(({ stack, empty, run: plan }) => ({ stack, empty, plan: empty ? "" : plan.stdout }))).toEqual(sandbox.run.waves().flat().map((stack) => ({ stack, empty: true, plan: "" })));
  });

  test("npm run destroy asks first: without a terminal and --auto-approve it destroys nothing", async () => {
    const r = await npmRun(sandbox, "destroy", ["--no-synth"]);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 1, stderr: expect.stringMatching(/No terminal to answer on: run again with --auto-approve[\s\S]*nothing destroyed/) });
    expect(liveEndpoints()).toHaveLength(2);
  });
});
