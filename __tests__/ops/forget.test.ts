/**
 * `npm run forget` leaves nothing of a forgotten stack behind: with local state, its state file,
 * Terraform's backup of it and a stale lock info file are deleted with its folder in cdktf.out;
 * with S3 state, the objects to delete are named. (The day-2 sandbox flow forgets a stack whose
 * resources were really destroyed.)
 */
import * as fs from "fs";
import * as path from "path";
import { forgetRetired, stateLeftovers } from "../../ops/forget";
import { parseConfig } from "../../config/load";
import { synthesize } from "../../synth/synth";
import { recordPathFor } from "../../synth/stack-record";
import { exampleJson, tempDirs } from "../support/synth";

jest.setTimeout(300_000);

/** A state file with no resources, as Terraform leaves it after destroying everything. */
const emptyState = (serial: number) => `${JSON.stringify({ version: 4, terraform_version: "1.11.4", serial, lineage: "5f1c0e2a-0000-4000-8000-000000000000", outputs: {}, resources: [], check_results: null }, null, 2)}\n`;

describe("npm run forget", () => {
  const tmp = tempDirs("pl-forget-");

  /** A project whose consumer reports left the config: consumer-reports is a retire stack. */
  const project = () => {
    const dir = tmp();
    const configFile = path.join(dir, "privatelink.config.json");
    const paths = { configFile, recordFile: recordPathFor(configFile), lockFile: path.join(dir, ".terraform.lock.hcl"), outdir: path.join(dir, "cdktf.out") };
    synthesize(parseConfig(exampleJson()), paths.outdir, { recordFile: paths.recordFile });
    const changed = exampleJson();
    changed.consumers = changed.consumers.filter((c: { name: string }) => c.name !== "reports");
    fs.writeFileSync(configFile, JSON.stringify(changed));
    const { retired } = synthesize(parseConfig(changed), paths.outdir, { recordFile: paths.recordFile });
    expect(retired.map((r) => r.name)).toContain("consumer-reports");
    const states = path.join(dir, "terraform-state");
    fs.mkdirSync(states);
    return { dir, paths, states };
  };

  test("deletes the forgotten stack's local state file, its backup and its lock info, and nothing of the other stacks", async () => {
    // GIVEN the retire stack's state emptied by an apply (a backup beside it, a stale lock info
    // from an interrupted run), and another stack's state
    const { paths, states } = project();
    fs.writeFileSync(path.join(states, "consumer-reports.tfstate"), emptyState(9));
    fs.writeFileSync(path.join(states, "consumer-reports.tfstate.backup"), emptyState(8));
    fs.writeFileSync(path.join(states, ".consumer-reports.tfstate.lock.info"), "{}");
    fs.writeFileSync(path.join(states, "consumer-app.tfstate"), emptyState(3));
    fs.writeFileSync(path.join(states, "consumer-app.tfstate.backup"), emptyState(2));
    // WHEN it is forgotten
    const lines = await forgetRetired(paths, ["consumer-reports"]);
    // THEN the line says what was deleted
    expect(lines).toEqual([
      expect.stringMatching(/^forgot consumer-reports: its state is empty; it is no longer synthesized; deleted \S*consumer-reports\.tfstate, \S*consumer-reports\.tfstate\.backup, \S*\.consumer-reports\.tfstate\.lock\.info$/),
    ]);
    // AND no file of it is left: not in the state folder, not in cdktf.out, not in the record
    expect(fs.readdirSync(states).sort()).toEqual(["consumer-app.tfstate", "consumer-app.tfstate.backup"]);
    expect(fs.existsSync(path.join(paths.outdir, "stacks", "consumer-reports"))).toBe(false);
    expect(fs.readdirSync(path.join(paths.outdir, "stacks"))).not.toContain("consumer-reports");
    expect(Object.keys(JSON.parse(fs.readFileSync(paths.recordFile, "utf8")).stacks)).not.toContain("consumer-reports");
  });

  test("a stack whose state never existed is forgotten with nothing to delete", async () => {
    const { paths, states } = project();
    expect(await forgetRetired(paths, ["consumer-reports"])).toEqual(["forgot consumer-reports: its state is empty; it is no longer synthesized"]);
    expect(fs.readdirSync(states)).toEqual([]);
  });

  test("a refused stack keeps its state, backup and folder", async () => {
    // GIVEN the retire stack's state still holding a resource
    const { paths, states } = project();
    const state = JSON.parse(emptyState(4));
    state.resources = [{ mode: "managed", type: "terraform_data", name: "left", provider: 'provider["terraform.io/builtin/terraform"]', instances: [{ schema_version: 0, attributes: { id: "x", input: null, output: null, triggers_replace: null } }] }];
    fs.writeFileSync(path.join(states, "consumer-reports.tfstate"), JSON.stringify(state));
    fs.writeFileSync(path.join(states, "consumer-reports.tfstate.backup"), emptyState(3));
    // WHEN forgetting it is asked
    await expect(forgetRetired(paths, ["consumer-reports"])).rejects.toThrow(/consumer-reports: its state still holds 1 resource\(s\) \(terraform_data\.left\)/);
    // THEN everything of it is still there
    expect(fs.readdirSync(states).sort()).toEqual(["consumer-reports.tfstate", "consumer-reports.tfstate.backup"]);
    expect(fs.existsSync(path.join(paths.outdir, "stacks", "consumer-reports"))).toBe(true);
  });

  test("with S3 state, the state and lock objects to delete are named, and the local paths follow the state directory", () => {
    const s3 = exampleJson();
    s3.state = { backend: "s3", bucket: "tf-state", region: "us-west-2", keyPrefix: "pl/" };
    expect(stateLeftovers(parseConfig(s3), "/p/cdktf.out/stacks/consumer-b", "consumer-b")).toEqual({ objects: ["s3://tf-state/pl/consumer-b.tfstate", "s3://tf-state/pl/consumer-b.tfstate.tflock"] });
    const local = exampleJson();
    local.state = { backend: "local", directory: "state/prod" };
    expect(stateLeftovers(parseConfig(local), "/p/cdktf.out/stacks/consumer-b", "consumer-b")).toEqual({
      files: ["/p/state/prod/consumer-b.tfstate", "/p/state/prod/consumer-b.tfstate.backup", "/p/state/prod/.consumer-b.tfstate.lock.info"],
    });
  });
});
