/** Applying stages out of order fails early, with messages that say what to do. */
import * as fs from "fs";
import * as path from "path";
import { StackFailure } from "../../sandbox/flow";
import { useSandbox } from "../support/sandbox";

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

describe("ordering faults", () => {
  const sandbox = useSandbox("local");

  test("a consumer applied before the provider's state exists names the stack to apply first", async () => {
    // WHEN consumer-app is applied on an empty emulator with no provider state
    const e = await failure(sandbox.run.apply("consumer-app"));
    // THEN terraform names the remote state it could not find and the runner says what to apply first
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
    // WHEN consumer-app is applied
    const e = await failure(sandbox.run.apply("consumer-app"));
    fs.rmSync(providerState);
    // THEN the postcondition names the missing output and the stack to apply
    expect(e.message.replace(/\s+/g, " ")).toMatch(/Stack consumer-app reads outputs service_name from the state of stack provider, which does not have them yet: apply stack provider first/);
  });

  test("private DNS turned on before acceptance is refused with AWS's message", async () => {
    // GIVEN provider, verification and the consumer applied, but no acceptance
    await sandbox.run.apply("provider");
    await sandbox.run.apply("dns-verification");
    await sandbox.run.apply("consumer-app");
    // WHEN stage 5 runs before stage 4
    const e = await failure(sandbox.run.apply("consumer-app-private-dns"));
    // THEN the emulator refuses as AWS does
    expect(e.stackName).toBe("consumer-app-private-dns");
    expect(e.message.replace(/\s+/g, " ")).toMatch(/Private DNS can only be enabled after the endpoint connection is accepted by the owner of com\.amazonaws\.vpce\.us-west-2\.vpce-svc-/);
  });
});
