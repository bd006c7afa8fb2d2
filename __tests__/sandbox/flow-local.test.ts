/**
 * The whole flow applied in order on the emulator with local state: remote state really carries
 * the service name, the verification token and the endpoint ids; a second plan of every stack is
 * empty; destroy leaves nothing.
 */
import { SANDBOX_ZONE } from "../../sandbox/flow";
import { useSandbox } from "../support/sandbox";

jest.setTimeout(600_000);

describe("sandbox flow, local state", () => {
  const sandbox = useSandbox("local");
  const out: Record<string, Record<string, any>> = {};

  test("the flow has the five stages in dependency order", () => {
    expect(sandbox.run.waves()).toEqual([["provider"], ["consumer-app", "consumer-reports", "dns-verification"], ["acceptance"], ["consumer-app-private-dns"]]);
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
    expect(out.provider.private_dns_verification_state).toBe("pendingVerification");
  });

  test("2 dns-verification: the TXT record holds the provider's token and the domain is verified", async () => {
    await sandbox.run.apply("dns-verification");
    out.dns = await sandbox.run.outputs("dns-verification");
    expect(out.dns.verification_record_fqdn).toBe(`${out.provider.private_dns_verification_name}.api.${SANDBOX_ZONE}`);
    expect(out.dns.verification_record_value).toBe(out.provider.private_dns_verification_value);
    await sandbox.run.refresh("provider");
    expect((await sandbox.run.outputs("provider")).private_dns_verification_state).toBe("verified");
  });

  test("3 consumers: endpoints use the provider's service name and wait for acceptance", async () => {
    await Promise.all([sandbox.run.apply("consumer-app"), sandbox.run.apply("consumer-reports")]);
    out.app = await sandbox.run.outputs("consumer-app");
    out.reports = await sandbox.run.outputs("consumer-reports");
    expect(out.app.service_name).toBe(out.provider.service_name);
    expect(out.app.endpoint_id).toMatch(/^vpce-[0-9a-f]+$/);
    expect(out.app.endpoint_state).toBe("pendingAcceptance");
    expect(out.reports.endpoint_state).toBe("pendingAcceptance");
    expect(out.app.ip_address_type).toBe("dualstack");
    expect(out.reports.ip_address_type).toBe("ipv4");
    expect(out.app.dns_names.length).toBeGreaterThan(0);
    expect(Object.keys(out.app.zonal_dns_names).sort()).toEqual(["us-west-2a", "us-west-2b"]);
    expect(out.app.network_interface_ids).toHaveLength(2);
    expect(out.app.security_group_id).toMatch(/^sg-/);
  });

  test("4 acceptance: every consumer endpoint, read from the consumers' state, becomes available", async () => {
    await sandbox.run.apply("acceptance");
    out.acceptance = await sandbox.run.outputs("acceptance");
    expect([...out.acceptance.accepted_endpoint_ids].sort()).toEqual([out.app.endpoint_id, out.reports.endpoint_id].sort());
    await sandbox.run.refresh("consumer-app");
    expect((await sandbox.run.outputs("consumer-app")).endpoint_state).toBe("available");
  });

  test("5 consumer-app-private-dns: private DNS is on once accepted and verified", async () => {
    await sandbox.run.apply("consumer-app-private-dns");
    expect((await sandbox.run.outputs("consumer-app-private-dns")).private_dns_name).toBe(`api.${SANDBOX_ZONE}`);
    await sandbox.run.refresh("consumer-app");
    const endpoint = await sandbox.run.resourceValues("consumer-app", "aws_vpc_endpoint");
    expect(endpoint?.private_dns_enabled).toBe(true);
    expect(endpoint?.dns_entry.map((e: { dns_name: string }) => e.dns_name)).toContain(`api.${SANDBOX_ZONE}`);
  });

  test("a second plan of every stack is empty", async () => {
    for (const stack of sandbox.run.waves().flat()) await sandbox.run.refresh(stack);
    for (const stack of sandbox.run.waves().flat()) {
      const { empty, run: plan } = await sandbox.run.planIsEmpty(stack);
      expect({ stack, empty, plan: empty ? "" : plan.stdout }).toEqual({ stack, empty: true, plan: "" });
    }
  });

  test("destroy in reverse order leaves nothing", async () => {
    for (const wave of [...sandbox.run.waves()].reverse()) await Promise.all(wave.map((s) => sandbox.run.destroy(s)));
    for (const stack of sandbox.run.waves().flat()) expect({ stack, left: await sandbox.run.resources(stack) }).toEqual({ stack, left: [] });
  });
});
