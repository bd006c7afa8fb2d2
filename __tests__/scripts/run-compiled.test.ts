/** The app runs from compiled JavaScript, rebuilt whenever a source changed: never stale. */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.join(__dirname, "..", "..");

describe("scripts/run-compiled.js", () => {
  // A small project of the same layout, with the launcher copied in.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pl-compiled-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  };
  const run = () => spawnSync(process.execPath, [path.join(dir, "scripts", "run-compiled.js"), "main.ts", "--flag"], { cwd: dir, env: { ...process.env, NODE_PATH: path.join(ROOT, "node_modules") }, encoding: "utf8" });

  beforeAll(() => {
    fs.mkdirSync(path.join(dir, "scripts"), { recursive: true });
    for (const f of ["run-compiled.js", "flavours.js"]) fs.copyFileSync(path.join(ROOT, "scripts", f), path.join(dir, "scripts", f));
    for (const folder of ["config", "stacks", "synth", "rules"]) fs.mkdirSync(path.join(dir, folder), { recursive: true });
    write("modules/greeting.ts", 'export const greeting: string = "one";\n');
    write("main.ts", 'import { greeting } from "./modules/greeting";\nconsole.log(`${greeting} ${process.argv.slice(2).join(" ")}`);\n');
  });

  test("builds on the first run, passes the arguments on, and writes the compiled files under .build/", () => {
    const r = run();
    expect({ code: r.status, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
    expect(r.stdout.trim()).toBe("one --flag");
    expect(fs.existsSync(path.join(dir, ".build", "modules", "greeting.js"))).toBe(true);
  });

  test("an edited source is rebuilt before the run, never run stale", () => {
    write("modules/greeting.ts", 'export const greeting: string = "two, edited";\n');
    expect(run().stdout.trim()).toBe("two, edited --flag");
  });

  test("an unchanged tree is not rebuilt", () => {
    const compiled = path.join(dir, ".build", "modules", "greeting.js");
    fs.writeFileSync(compiled, 'exports.greeting = "from the build";\n');
    expect(run().stdout.trim()).toBe("from the build --flag");
  });

  test("a new source file is built, and a removed one's output removed", () => {
    write("modules/other.ts", "export const x = 1;\n");
    run();
    expect(fs.existsSync(path.join(dir, ".build", "modules", "other.js"))).toBe(true);
    fs.rmSync(path.join(dir, "modules", "other.ts"));
    run();
    expect(fs.existsSync(path.join(dir, ".build", "modules", "other.js"))).toBe(false);
  });
});

describe("scripts/run-compiled.js start-up snapshot", () => {
  // The same layout with the snapshot builder beside the launcher. main.ts says whether its
  // modules were evaluated in this process or came from the snapshot (evaluated by the builder).
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pl-snapshot-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  };
  const run = (env: NodeJS.ProcessEnv = {}) =>
    spawnSync(process.execPath, [path.join(dir, "scripts", "run-compiled.js"), "main.ts", "--hcl", "x"], {
      cwd: dir,
      env: { ...process.env, NODE_PATH: path.join(ROOT, "node_modules"), ...env },
      encoding: "utf8",
    });
  // One snapshot per set of V8 flags: main-<flags>.blob, with its record beside it.
  const blobFile = () => {
    const blobs = fs.readdirSync(path.join(dir, ".build")).filter((f) => /^main-[0-9a-f]{8}\.blob$/.test(f));
    expect(blobs).toHaveLength(1);
    return path.join(dir, ".build", blobs[0]);
  };
  const meta = () => JSON.parse(fs.readFileSync(`${blobFile()}.json`, "utf8"));

  beforeAll(() => {
    for (const folder of ["config", "stacks", "synth", "rules", "scripts"]) fs.mkdirSync(path.join(dir, folder), { recursive: true });
    for (const f of ["run-compiled.js", "snapshot-entry.js", "flavours.js"]) fs.copyFileSync(path.join(ROOT, "scripts", f), path.join(dir, "scripts", f));
    write("modules/greeting.ts", 'export const greeting: string = "one";\nexport const loadedBy: number = process.pid;\n');
    write(
      "main.ts",
      'import { greeting, loadedBy } from "./modules/greeting";\n' +
        'console.log(`${greeting} ${loadedBy === process.pid ? "loaded now" : "from snapshot"} ${process.argv.slice(2).join(" ")}`);\n',
    );
  });

  test("the first run builds the snapshot and runs from it, with the arguments passed on", () => {
    const r = run();
    expect({ code: r.status, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
    expect(r.stdout.trim()).toBe("one from snapshot --hcl x");
    expect(meta().ok).toBe(true);
    expect(fs.statSync(blobFile()).size).toBeGreaterThan(1_000_000);
  });

  test("an edited source rebuilds the snapshot: never run stale", () => {
    write("modules/greeting.ts", 'export const greeting: string = "two";\nexport const loadedBy: number = process.pid;\n');
    expect(run().stdout.trim()).toBe("two from snapshot --hcl x");
  });

  test("PRIVATELINK_SNAPSHOT=0 runs without it", () => {
    expect(run({ PRIVATELINK_SNAPSHOT: "0" }).stdout.trim()).toBe("two loaded now --hcl x");
  });

  test("a snapshot node cannot build leaves the app running without one, and is not retried until something changes", () => {
    // A module that refuses to be loaded by the snapshot builder.
    write(
      "modules/greeting.ts",
      'if (require("v8").startupSnapshot.isBuildingSnapshot()) throw new Error("not in a snapshot");\nexport const greeting: string = "three";\nexport const loadedBy: number = process.pid;\n',
    );
    const r = run();
    expect({ code: r.status, out: r.stdout.trim() }).toEqual({ code: 0, out: "three loaded now --hcl x" });
    expect(meta()).toMatchObject({ ok: false, error: expect.stringContaining("not in a snapshot") });
    const builtAt = fs.statSync(`${blobFile()}.json`).mtimeMs;
    expect(run().stdout.trim()).toBe("three loaded now --hcl x");
    expect(fs.statSync(`${blobFile()}.json`).mtimeMs).toBe(builtAt);
  });

  test("runs under other V8 flags (as the cdktf CLI's NODE_OPTIONS) get a snapshot of their own", () => {
    write("modules/greeting.ts", 'export const greeting: string = "four";\nexport const loadedBy: number = process.pid;\n');
    expect(run().stdout.trim()).toBe("four from snapshot --hcl x");
    const r = run({ NODE_OPTIONS: "--max-old-space-size=2048" });
    expect({ code: r.status, out: r.stdout.trim(), stderr: r.stderr }).toEqual({ code: 0, out: "four from snapshot --hcl x", stderr: "" });
    expect(fs.readdirSync(path.join(dir, ".build")).filter((f) => f.endsWith(".blob"))).toHaveLength(2);
    fs.readdirSync(path.join(dir, ".build")).filter((f) => f.endsWith(".blob") || f.endsWith(".blob.json")).forEach((f) => fs.rmSync(path.join(dir, ".build", f)));
  });

  test("a snapshot node refuses to load (built under other V8 flags) runs the app without it, and is not rebuilt until something changes", () => {
    write("modules/greeting.ts", 'export const greeting: string = "five";\nexport const loadedBy: number = process.pid;\n');
    expect(run({ NODE_OPTIONS: "--max-old-space-size=2048" }).stdout.trim()).toBe("five from snapshot --hcl x");
    const other = blobFile();
    fs.renameSync(other, `${other}.other`);
    fs.rmSync(`${other}.json`);
    expect(run().stdout.trim()).toBe("five from snapshot --hcl x");
    // GIVEN this run's snapshot swapped for the one built under other flags
    const mine = blobFile();
    fs.renameSync(`${other}.other`, mine);
    const key = meta().key;
    // WHEN the app runs, twice
    const first = run();
    const builtAt = fs.statSync(mine).mtimeMs;
    const second = run();
    // THEN both runs ran the app without the snapshot, which is recorded as unusable under the same key
    expect([first.status, first.stdout.trim(), second.status, second.stdout.trim()]).toEqual([0, "five loaded now --hcl x", 0, "five loaded now --hcl x"]);
    expect(meta()).toMatchObject({ key, ok: false, error: expect.stringContaining("exit 14") });
    expect(fs.statSync(mine).mtimeMs).toBe(builtAt);
    fs.readdirSync(path.join(dir, ".build")).filter((f) => f.includes(".blob")).forEach((f) => fs.rmSync(path.join(dir, ".build", f)));
  });

  test("the app's exit code and error output come through", () => {
    write("main.ts", 'console.error("bad config"); process.exit(3);\n');
    write("modules/greeting.ts", "export const greeting = 1;\n");
    const r = run();
    expect({ code: r.status, stderr: r.stderr.trim() }).toEqual({ code: 3, stderr: "bad config" });
    expect(meta().ok).toBe(true);
  });
});

describe("the app's own start-up snapshot", () => {
  test("builds: nothing the app loads keeps node from snapshotting it (an Intl object made at load time did)", () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "pl-own-snapshot-"));
    try {
      const r = spawnSync(process.execPath, [path.join(ROOT, "scripts", "run-compiled.js"), "main.ts"], {
        cwd: ROOT,
        env: { ...process.env, PRIVATELINK_SNAPSHOT_REQUIRED: "1", CDKTF_OUTDIR: path.join(out, "cdktf.out"), CHECKPOINT_DISABLE: "1" },
        encoding: "utf8",
      });
      expect({ code: r.status, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});
