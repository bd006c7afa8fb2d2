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
    fs.copyFileSync(path.join(ROOT, "scripts", "run-compiled.js"), path.join(dir, "scripts", "run-compiled.js"));
    for (const folder of ["stacks", "rules"]) fs.mkdirSync(path.join(dir, folder), { recursive: true });
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
