import * as fs from "fs";
import * as path from "path";
import * as root from "../../modules";

describe("the package root", () => {
  test("exports every construct and its enums, and the error constructs throw", () => {
    const classes = Object.entries(root).filter(([, v]) => typeof v === "function").map(([k]) => k).sort();
    expect(classes).toEqual(
      [
        "ConnectionAccepter", "ConsumerEndpoint", "DualStackNlb", "DualStackVpc", "EndpointPrivateDns", "EndpointService", "HelloWorldInstance",
        "NetworkListener", "PrivateDnsVerification", "PrivateLinkConsumer", "PrivateLinkService", "PropsError", "ReplacementTrigger",
      ].sort(),
    );
  });

  test("keeps the helpers the constructs share internal: no prop checks, validation helpers, address keys or constants", () => {
    // Every value export is a class or an enum (an object of string members).
    const others = Object.entries(root).filter(([, v]) => typeof v !== "function" && !(typeof v === "object" && v !== null && Object.values(v).every((m) => typeof m === "string")));
    expect(others.map(([k]) => k)).toEqual([]);
    // and every construct file's exported function (check*Props and the like) is left out
    const modules = path.join(__dirname, "..", "..", "modules");
    const functions = fs.readdirSync(modules).flatMap((f) => [...fs.readFileSync(path.join(modules, f), "utf8").matchAll(/^export function (\w+)/gm)].map((m) => m[1]));
    expect(functions.length).toBeGreaterThan(5);
    expect(functions.filter((f) => f in root)).toEqual([]);
  });
});
