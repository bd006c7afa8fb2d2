/**
 * The synth's output folder: kept in memory until the run succeeded, then updated in place, and
 * JSON written as cdktf writes it.
 */
import * as fs from "fs";
import * as path from "path";
import { App, Testing } from "cdktf";
import { parseConfig } from "../../config/load";
import { buildStacks } from "../../stacks/app";
import { stableStringify, writeOutput } from "../../synth/stack-output";
import { RulesError, synthesize } from "../../synth/synth";
import { exampleJson, outputFiles, tempDirs } from "../support/synth";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const cdktfStringify: (v: unknown, o: { space: number }) => string = require(require.resolve("json-stable-stringify", { paths: [path.dirname(require.resolve("cdktf"))] }));

const tmpdir = tempDirs("pl-stack-output-");

describe("stableStringify", () => {
  class WithToJson {
    toJSON() {
      return { z: 1, a: [2] };
    }
  }
  test.each<[string, unknown]>([
    ["empty arrays and objects, at every depth", { a: [], b: {}, c: [[], {}, [{}]], d: { e: { f: [] } } }],
    ["keys in code unit order, integer-like keys as strings", { b: 1, a: 2, "10": 3, "9": 4, B: 5, _: 6, "-": 7, é: 8 }],
    ["undefined members left out, undefined items as null", { a: undefined, b: [undefined, 1, () => 1], c: () => 1 }],
    ["strings that need escaping", { s: 'quote " backslash \\ newline \n tab \t ${x} \u2028 é 😀', "key\"with": "x" }],
    ["numbers, booleans, null", { n: [0, -1, 1.5, 1e300, NaN, Infinity, -0], t: true, f: false, z: null }],
    ["toJSON, dates", { j: new WithToJson(), d: new Date(0) }],
    ["a bare value", "text"],
    ["a bare array", [1, { b: 1, a: 2 }]],
  ])("%s: what cdktf's json-stable-stringify writes", (_name, value) => {
    expect(stableStringify(value)).toBe(cdktfStringify(value, { space: 2 }));
  });

  test("a synthesized stack's JSON", () => {
    const app = Testing.app();
    const stack = buildStacks(app, parseConfig(exampleJson()))[0];
    const json = stack.toTerraform();
    expect(stableStringify(json)).toBe(cdktfStringify(json, { space: 2 }));
  });

  test("a circular structure is refused, as JSON.stringify refuses it", () => {
    const a: Record<string, unknown> = { b: 1 };
    a.self = a;
    expect(() => stableStringify(a)).toThrow(/circular/i);
  });
});

describe("writeOutput", () => {
  const output = (stacks: Record<string, Record<string, string>>) => ({ manifest: "{}", deployOrder: "[]", stacks: new Map(Object.entries(stacks)) });

  test("into a new folder: every stack folder and file, the fallback lock file in each", () => {
    const dir = tmpdir();
    const lock = path.join(dir, "project.lock.hcl");
    fs.writeFileSync(lock, "project lock");
    const out = path.join(dir, "nested", "cdktf.out");
    writeOutput(out, output({ a: { "cdk.tf.json": "A" }, b: { "cdk.tf.json": "B" } }), { lockFile: lock });
    expect(outputFiles(out)).toEqual({
      "deploy-order.json": "[]",
      "manifest.json": "{}",
      "stacks/": "",
      "stacks/a/": "",
      "stacks/a/.terraform.lock.hcl": "project lock",
      "stacks/a/cdk.tf.json": "A",
      "stacks/b/": "",
      "stacks/b/.terraform.lock.hcl": "project lock",
      "stacks/b/cdk.tf.json": "B",
    });
  });

  test("over a previous output: what a fresh folder would hold, each stack's own lock file kept", () => {
    const dir = tmpdir();
    const out = path.join(dir, "cdktf.out");
    const lock = path.join(dir, "project.lock.hcl");
    fs.writeFileSync(lock, "project lock");
    writeOutput(out, output({ a: { "cdk.tf.json": "A1" }, gone: { "cdk.tf.json": "G" } }));
    // Things a previous run or a user left behind: a stack's lock file and .terraform, HCL files,
    // a stray top-level file and folder, a file where a stack folder belongs.
    fs.writeFileSync(path.join(out, "stacks", "a", ".terraform.lock.hcl"), "a's own lock");
    fs.mkdirSync(path.join(out, "stacks", "a", ".terraform", "providers"), { recursive: true });
    fs.writeFileSync(path.join(out, "stacks", "a", "cdk.tf"), "old HCL");
    fs.writeFileSync(path.join(out, "stray.txt"), "x");
    fs.mkdirSync(path.join(out, "stray-folder"));
    fs.writeFileSync(path.join(out, "stacks", "c"), "a file, not a folder");
    writeOutput(out, output({ a: { "cdk.tf.json": "A2" }, c: { "cdk.tf.json": "C" } }), { lockFile: lock });
    expect(outputFiles(out)).toEqual({
      "deploy-order.json": "[]",
      "manifest.json": "{}",
      "stacks/": "",
      "stacks/a/": "",
      "stacks/a/.terraform.lock.hcl": "a's own lock",
      "stacks/a/cdk.tf.json": "A2",
      "stacks/c/": "",
      "stacks/c/.terraform.lock.hcl": "project lock",
      "stacks/c/cdk.tf.json": "C",
    });
  });

  test("a file that already holds its content is not rewritten", () => {
    const out = path.join(tmpdir(), "cdktf.out");
    writeOutput(out, output({ a: { "cdk.tf.json": "same" }, b: { "cdk.tf.json": "before" } }));
    const past = new Date(2020, 0, 1);
    for (const s of ["a", "b"]) fs.utimesSync(path.join(out, "stacks", s, "cdk.tf.json"), past, past);
    writeOutput(out, output({ a: { "cdk.tf.json": "same" }, b: { "cdk.tf.json": "after" } }));
    expect(fs.statSync(path.join(out, "stacks", "a", "cdk.tf.json")).mtime).toEqual(past);
    expect(fs.statSync(path.join(out, "stacks", "b", "cdk.tf.json")).mtime).not.toEqual(past);
    expect(fs.readFileSync(path.join(out, "stacks", "b", "cdk.tf.json"), "utf8")).toBe("after");
  });

  test("keepVanishedStackFolders leaves a gone stack's folder, empty, for the cdktf CLI to delete", () => {
    const out = path.join(tmpdir(), "cdktf.out");
    writeOutput(out, output({ a: { "cdk.tf.json": "A" }, gone: { "cdk.tf.json": "G", ".terraform.lock.hcl": "L" } }));
    writeOutput(out, output({ a: { "cdk.tf.json": "A" } }), { keepVanishedStackFolders: true });
    expect(fs.readdirSync(path.join(out, "stacks")).sort()).toEqual(["a", "gone"]);
    expect(fs.readdirSync(path.join(out, "stacks", "gone"))).toEqual([]);
  });
});

describe("synthesize over a previous output", () => {
  test("switching between JSON and HCL, and dropping a consumer, gives what a fresh folder gives", () => {
    const json = exampleJson();
    const fewer = exampleJson();
    fewer.consumers = fewer.consumers.slice(0, 1);
    const reused = path.join(tmpdir(), "cdktf.out");
    synthesize(parseConfig(json), reused, { hcl: true });
    synthesize(parseConfig(fewer), reused);
    const fresh = path.join(tmpdir(), "cdktf.out");
    synthesize(parseConfig(fewer), fresh);
    expect(outputFiles(reused)).toEqual(outputFiles(fresh));
    synthesize(parseConfig(json), reused, { hcl: true });
    const freshHcl = path.join(tmpdir(), "cdktf.out");
    synthesize(parseConfig(json), freshHcl, { hcl: true });
    expect(outputFiles(reused)).toEqual(outputFiles(freshHcl));
  });

  test("a failed synth leaves the previous output as it was, and no scratch folder beside it", () => {
    const dir = tmpdir();
    const out = path.join(dir, "cdktf.out");
    synthesize(parseConfig(exampleJson()), out);
    const before = outputFiles(out);
    const bad = exampleJson();
    bad.service.endpointService.allowedPrincipals.push("*");
    expect(() => synthesize(parseConfig(bad), out)).toThrow(RulesError);
    expect(fs.readdirSync(dir)).toEqual(["cdktf.out"]);
    expect(outputFiles(out)).toEqual(before);
  });
});

describe("outside the app's synth", () => {
  test("the app's stacks synthesize with cdktf's own synthesizer, files written (Testing.fullSynth)", () => {
    const app = new App({ outdir: tmpdir() });
    const [provider] = buildStacks(app, parseConfig(exampleJson()));
    const outdir = Testing.fullSynth(provider);
    const written = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", "provider", "cdk.tf.json"), "utf8"));
    expect(Object.keys(written.resource)).toContain("aws_vpc_endpoint_service");
  });
});
