/**
 * The constructs for other languages: `npm run jsii -- --pacmak` builds the jsii assembly of
 * modules/ and generates the Python, Java, C# and Go sources from it (code only: those
 * languages' toolchains and jsii runtimes are not on the machines the tests run on); the Python
 * sources compile.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.join(__dirname, "..", "..");

jest.setTimeout(300_000);

/** Every file below a folder, relative to it. */
function filesBelow(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

describe("npm run jsii -- --pacmak", () => {
  let out: string;
  let assembly: any;
  let stdout: string;

  beforeAll(() => {
    // (staged in a folder of its own: the package tests' npm pack builds the assembly in dist/jsii meanwhile)
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pl-jsii-"));
    out = path.join(dir, "packages");
    const r = spawnSync(process.execPath, [path.join(ROOT, "scripts", "build-jsii.js"), "--pacmak", "--out", out, "--stage", path.join(dir, "stage")], { cwd: dir, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`npm run jsii failed:\n${r.stdout}${r.stderr}`);
    stdout = r.stdout;
    assembly = JSON.parse(fs.readFileSync(path.join(dir, "stage", ".jsii"), "utf8"));
  });
  afterAll(() => fs.rmSync(path.dirname(out), { recursive: true, force: true }));

  test("builds the assembly of the package, with every construct, props type and enum the package root exports", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
    expect({ name: assembly.name, version: assembly.version, schema: assembly.schema }).toEqual({ name: pkg.name, version: pkg.version, schema: "jsii/0.10.0" });
    expect(stdout).toMatch(new RegExp(`^wrote stage/\\.jsii: ${pkg.name} ${pkg.version}, \\d+ types$`, "m"));
    // The package root's exports, by name: its values (classes, enums) and its types (interfaces)
    const index = fs.readFileSync(path.join(ROOT, "modules", "index.ts"), "utf8");
    const exported = [...index.matchAll(/^export (?:type )?\{([^}]+)\}/gm)].flatMap((m) => m[1].split(",").map((n) => n.trim()));
    const inAssembly = Object.keys(assembly.types).map((fqn) => fqn.replace(`${pkg.name}.`, ""));
    // PropsError is the one export left out: jsii cannot carry a subclass of Error
    expect(exported.filter((n) => !inAssembly.includes(n))).toEqual(["PropsError"]);
    expect(inAssembly.filter((n) => !exported.includes(n))).toEqual([]);
    expect(exported.length).toBeGreaterThanOrEqual(50);
    // Constructs take (scope, id, props), as in every construct library
    const constructs = Object.values<any>(assembly.types).filter((t) => t.kind === "class" && t.base === "constructs.Construct");
    expect(constructs.map((c) => c.name).sort()).toEqual(
      ["ConnectionAccepter", "ConsumerEndpoint", "DualStackNlb", "DualStackVpc", "EndpointPrivateDns", "EndpointService", "HelloWorldInstance", "NetworkListener", "PrivateDnsVerification", "PrivateLinkConsumer", "PrivateLinkService"],
    );
    for (const c of constructs) expect({ construct: c.name, parameters: c.initializer.parameters.map((p: any) => p.name).slice(0, 2) }).toEqual({ construct: c.name, parameters: ["scope", "id"] });
    expect(assembly.types[`${pkg.name}.NetworkListener`].initializer.parameters.map((p: any) => p.name)).toEqual(["scope", "id", "props"]);
    // Props are structs (data types) other languages build as keyword arguments or builders
    for (const props of ["DualStackNlbProps", "ConsumerEndpointProps", "PrivateLinkConsumerProps", "EndpointServiceOptions", "ServiceDomainVerificationProps"]) {
      expect({ props, datatype: assembly.types[`${pkg.name}.${props}`].datatype }).toEqual({ props, datatype: true });
    }
  });

  test("generates Python, Java, C# and Go sources naming every construct; the Python sources compile", () => {
    const constructs = Object.values<any>(assembly.types).filter((t) => t.kind === "class").map((t) => t.name);
    const python = filesBelow(path.join(out, "python")).filter((f) => f.endsWith(".py"));
    expect(python).toEqual(expect.arrayContaining([path.join("src", "privatelink_as_code", "__init__.py")]));
    const pyInit = fs.readFileSync(path.join(out, "python", "src", "privatelink_as_code", "__init__.py"), "utf8");
    for (const c of constructs) expect({ c, python: new RegExp(`^class ${c}\\(`, "m").test(pyInit) }).toEqual({ c, python: true });
    const compiled = spawnSync("python3", ["-m", "py_compile", ...python.map((f) => path.join(out, "python", f))], { encoding: "utf8" });
    expect({ code: compiled.status, err: compiled.stderr }).toEqual({ code: 0, err: "" });

    const java = filesBelow(path.join(out, "java")).filter((f) => f.endsWith(".java")).map((f) => path.basename(f, ".java"));
    const dotnet = filesBelow(path.join(out, "dotnet")).filter((f) => f.endsWith(".cs")).map((f) => path.basename(f, ".cs"));
    const go = filesBelow(path.join(out, "go")).filter((f) => f.endsWith(".go")).map((f) => path.basename(f, ".go"));
    for (const c of constructs) {
      expect({ c, java: java.includes(c), dotnet: dotnet.includes(c), go: go.includes(c) }).toEqual({ c, java: true, dotnet: true, go: true });
    }
  });

  test("refuses an unknown language, naming the ones it knows", () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, "scripts", "build-jsii.js"), "--pacmak", "--targets", "python,rust"], { cwd: ROOT, encoding: "utf8" });
    expect({ code: r.status, err: r.stderr.trim() }).toEqual({ code: 1, err: 'npm run jsii: --targets: received "python,rust"; expected some of python, java, dotnet, go, separated by commas' });
  });
});
