/** resolveFast gives what cdktf's own resolve gives, value for value, plain or token. */
import { App, Fn, Lazy, TerraformStack, TerraformVariable, Token } from "cdktf";
import { resolve } from "cdktf/lib/_tokens";
import { DataAwsVpc } from "@cdktf/provider-aws/lib/data-aws-vpc";
import { DataAwsSubnet } from "@cdktf/provider-aws/lib/data-aws-subnet";
import { NUMBER_TOKEN, resolveFast } from "../../../synth/fast/resolve";

describe("resolveFast", () => {
  const app = new App({ outdir: "/tmp/unused" });
  const stack = new TerraformStack(app, "s");
  const vpc = new DataAwsVpc(stack, "vpc", { id: "vpc-1" });
  const list = new TerraformVariable(stack, "list", { type: "list(string)" }).listValue;
  const num = new TerraformVariable(stack, "num", { type: "number" }).numberValue;
  const map = new TerraformVariable(stack, "map", { type: "map(string)" });

  test.each<[string, () => unknown]>([
    ["plain nested values, undefined dropped from objects and arrays", () => ({ a: "x", b: 1, c: true, d: null, e: undefined, f: ["p", undefined, 2, { g: undefined }], h: {} })],
    ["a string token", () => ({ id: vpc.id, name: `vpc-${vpc.id}-x` })],
    ["a number token alone and inside a string", () => ({ n: num, s: `port ${Token.asString(num)}` })],
    ["a list token as a value and inside an array", () => ({ l: list, inner: [list, "x"] })],
    ["a map token and a token in a map key", () => ({ m: map.value, keys: { [vpc.id]: "v", plain: "p" } })],
    ["Terraform functions and lazy values", () => ({ f: Fn.join(",", list), c: Fn.cidrsubnet("10.0.0.0/16", 4, 1), lazy: Lazy.stringValue({ produce: () => "late" }) })],
    ["literal interpolation and escapes in plain strings", () => ({ a: "${var.x}", b: "a ${ b } c", c: "%{if x}y%{endif}", d: "#{not a token}" })],
    ["strings that look like encoded numbers", () => ({ a: "1e5", b: "vpc-1e2f", c: "10.0.0.0/16" })],
    ["numbers of every size", () => ({ a: 0, b: -1, c: 1.5e300, e: Number.MAX_SAFE_INTEGER })],
    ["dates and class instances", () => ({ d: new Date(0) })],
  ])("%s", (_name, make) => {
    const value = make();
    expect(resolveFast(stack, value)).toEqual(resolve(stack, value));
    expect(JSON.stringify(resolveFast(stack, value))).toBe(JSON.stringify(resolve(stack, value)));
  });

  test("each element of a synthesized stack resolves the same", () => {
    const elements = stack.node.findAll().filter((c): c is any => typeof (c as any).toTerraform === "function" && c !== stack);
    expect(elements.length).toBeGreaterThan(3);
    for (const e of elements) expect(JSON.stringify(resolveFast(stack, e.toTerraform()))).toBe(JSON.stringify(resolve(stack, e.toTerraform())));
  });

  test.each<[string, () => unknown]>([
    [
      "a policy document with references and a nested call",
      () => ({
        policy: Fn.jsonencode({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Principal: { Service: "x.amazonaws.com" }, Condition: { StringEquals: { a: vpc.ownerId }, ArnLike: { b: Fn.replace(vpc.arn, "/:vpc/vpc-[0-9a-f]+$/", ":x/*") } } }],
        }),
      }),
    ],
    ["references mixed with text, in a list", () => Fn.jsonencode({ Resource: [vpc.arn, `${vpc.arn}:*`, `a-${vpc.id}-${vpc.cidrBlock}`] })],
    ["numbers, booleans, null and undefined as arguments", () => Fn.jsonencode({ n: 1, m: -2.5, t: true, f: false, z: null, u: undefined, list: [1, undefined, "x", null] })],
    ["strings with quotes, newlines, backslashes and interpolation", () => Fn.jsonencode({ q: '"quoted"', half: '"open', nl: "a\nb", bs: "a\\b", dollar: "${x}", pct: "%{x}", empty: "", quote: '"' })],
    ["strings that look like encoded numbers", () => Fn.jsonencode({ a: "1e5", b: "vpc-1e2f", c: ["2e-3"] })],
    ["tokens of every kind as arguments", () => Fn.jsonencode({ l: list, n: num, m: map.value, lazy: Lazy.stringValue({ produce: () => "late" }), any: Lazy.anyValue({ produce: () => ({ k: [1, 2] }) }), s: `port ${Token.asString(num)}` })],
    ["a token in a key", () => Fn.jsonencode({ [vpc.id]: "v", plain: { [`k-${vpc.id}`]: 1 } })],
    ["calls inside calls inside text", () => ({ a: `x-${Fn.cidrsubnet(vpc.cidrBlock, 4, 1)}`, b: Fn.join(",", [Fn.upper(vpc.id), Fn.lower("A")]), c: [Fn.cidrsubnet("10.0.0.0/16", 8, 2)] })],
    ["a call with an escape sequence in an argument", () => Fn.join("", [vpc.id, "${var.x}"])],
    ["a call inside an interpolation written out", () => `\${[for n in ${Fn.upper(vpc.id)} : lower(n)]}`],
  ])("Terraform function calls: %s", (_name, make) => {
    const value = make();
    expect(JSON.stringify(resolveFast(stack, value))).toBe(JSON.stringify(resolve(stack, value)));
  });

  test("inside a call, values cdktf resolves are resolved as often as cdktf resolves them, and its warnings printed as often", () => {
    let produced = 0;
    const lazy = Lazy.stringValue({ produce: () => `v${++produced}` });
    const value = { p: Fn.jsonencode({ a: { b: [{ c: lazy, d: `x-${vpc.id}-\${var.y}` }] } }) };
    const runs = (f: (v: unknown) => unknown) => {
      produced = 0;
      const warnings: unknown[] = [];
      const warn = jest.spyOn(console, "warn").mockImplementation((...args) => void warnings.push(args));
      try {
        return { result: JSON.stringify(f(value)), produced, warnings };
      } finally {
        warn.mockRestore();
      }
    };
    const cdktf = runs((v) => resolve(stack, v));
    expect(cdktf.produced).toBeGreaterThan(1);
    expect(cdktf.warnings.length).toBeGreaterThan(1);
    expect(runs((v) => resolveFast(stack, v))).toEqual(cdktf);
  });

  test("a call cdktf fails to resolve fails with cdktf's error", () => {
    const value = { p: Fn.jsonencode({ f: Lazy.stringValue({ produce: () => list[0] }) }) };
    const failure = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as Error).message;
      }
      return "no error";
    };
    expect(failure(() => resolveFast(stack, value))).toBe(failure(() => resolve(stack, value)));
  });

  test("errors cdktf raises are raised too", () => {
    expect(() => resolveFast(stack, { f: () => 1 })).toThrow(/function/i);
    expect(() => resolveFast(stack, { s: list[0] })).toThrow(/list/i);
    expect(() => resolveFast(stack, { n: Token.NUMBER_MAP_TOKEN_VALUE })).toThrow(/map/i);
  });

  test("attribute references, written directly, are what cdktf writes, whatever the element's name", () => {
    const subnets = ["c1e5", "a-b", "x1e-4", "Resource"].map((id) => new DataAwsSubnet(stack, id, { id: "subnet-1" }));
    const value = { ids: subnets.map((s) => s.id), nested: { arn: subnets[0].arn, list: [subnets[1].vpcId, { z: subnets[2].cidrBlock }] }, fqn: subnets[3].fqn };
    expect(JSON.stringify(resolveFast(stack, value))).toBe(JSON.stringify(resolve(stack, value)));
    expect(resolveFast(stack, subnets[0].id)).toBe("${data.aws_subnet.c1e5.id}");
  });

  test("a reference that another stack resolves through a cross-stack identifier goes to cdktf", () => {
    const other = new TerraformStack(app, "other");
    const ref = vpc.id;
    // What cdktf's preparing pass leaves on a reference used in another stack.
    const reference = (Token as any).asAny(ref);
    const token: any = require("cdktf/lib/tokens/private/token-map").TokenMap.instance().lookupString(ref);
    token.crossStackIdentifier[String(other)] = "data.terraform_remote_state.s.outputs.x";
    expect(reference).toBeDefined();
    expect(resolveFast(other, { v: ref })).toEqual(resolve(other, { v: ref }));
    expect(resolveFast(other, { v: ref })).toEqual({ v: "${data.terraform_remote_state.s.outputs.x}" });
    delete token.crossStackIdentifier[String(other)];
  });

  test("the number-token test matches exactly the strings cdktf's number-token pattern matches", () => {
    const cdktf = /[-|\d|.+]+(e[-|\d|.|e|E|+]+)/;
    const alphabet = ["1", "0", "e", "E", "-", "+", ".", "|", "a", "x", "/", " ", "$", "{"];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
    for (let i = 0; i < 20000; i++) {
      const s = Array.from({ length: 1 + (next() % 8) }, () => alphabet[next() % alphabet.length]).join("");
      expect({ s, match: NUMBER_TOKEN.test(s) }).toEqual({ s, match: cdktf.test(s) });
    }
  });
});
