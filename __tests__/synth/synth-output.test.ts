/** What pipelines get: deterministic, portable cdktf.out with a deploy order and optional HCL. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseConfig } from "../../config/load";
import { deployOrder, synthesize } from "../../synth/synth";
import { exampleJson, outputFiles, tempDirs } from "../support/synth";

const tmpdir = tempDirs("pl-out-");
const outdir = () => path.join(tmpdir(), "cdktf.out");

describe("synthesized output", () => {
  test("two runs produce byte-identical files", () => {
    // GIVEN the example synthesized twice, into different folders
    const config = parseConfig(exampleJson());
    const a = outdir();
    const b = outdir();
    synthesize(config, a, { hcl: true });
    synthesize(config, b, { hcl: true });
    // THEN every file is the same, byte for byte
    expect(outputFiles(b)).toEqual(outputFiles(a));
  });

  test("nothing depends on the machine: no temp folder path, no timestamp", () => {
    const dir = outdir();
    synthesize(parseConfig(exampleJson()), dir, { hcl: true });
    for (const [file, text] of Object.entries(outputFiles(dir))) {
      expect({ file, tmp: text.includes(os.tmpdir()), cwd: text.includes(process.cwd()) }).toEqual({ file, tmp: false, cwd: false });
      expect({ file, timestamp: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text) }).toEqual({ file, timestamp: false });
    }
  });

  test("deploy-order.json lists the stacks in apply order, with waves, and destroy in reverse", () => {
    const dir = outdir();
    synthesize(parseConfig(exampleJson()), dir);
    const order = JSON.parse(fs.readFileSync(path.join(dir, "deploy-order.json"), "utf8"));
    expect(order.apply.map((s: { name: string; wave: number }) => [s.wave, s.name])).toEqual([
      [0, "provider"],
      [1, "consumer-app"],
      [1, "consumer-reports"],
      [1, "dns-verification"],
      [2, "acceptance"],
      [3, "consumer-app-private-dns"],
    ]);
    expect(order.apply[5]).toEqual({ name: "consumer-app-private-dns", wave: 3, dependsOn: ["acceptance", "consumer-app", "dns-verification"], workingDirectory: "stacks/consumer-app-private-dns" });
    expect(order.destroy).toEqual(["consumer-app-private-dns", "acceptance", "dns-verification", "consumer-reports", "consumer-app", "provider"]);
  });

  test("a dependency cycle is refused", () => {
    expect(() => deployOrder({ stacks: { a: { dependencies: ["b"], workingDirectory: "a" }, b: { dependencies: ["a"], workingDirectory: "b" } } })).toThrow(/cycle: a -> b -> a/);
  });
});
