import * as fs from "fs";
import * as path from "path";
import { apiDocs } from "../../scripts/api-docs";
import { withApiDocs } from "../../scripts/write-api-docs";

const README = path.join(__dirname, "..", "..", "docs", "api.md");

describe("API reference in docs/api.md", () => {
  test("is what npm run docs generates from the constructs' source", () => {
    const readme = fs.readFileSync(README, "utf8");
    expect(withApiDocs(readme, apiDocs())).toBe(readme);
  });

  test("documents every construct, every prop with its type and default, and what each exposes", () => {
    const docs = apiDocs();
    for (const c of ["DualStackNlb", "EndpointService", "PrivateDnsVerification", "ConsumerEndpoint", "ConnectionAccepter", "EndpointPrivateDns", "DualStackVpc", "HelloWorldInstance"]) {
      expect(docs).toContain(`### ${c}\n`);
    }
    expect(docs).toContain("| `acceptanceRequired` | `boolean` | true | Each consumer connection waits for the provider to accept it. |");
    // no prop or field without a description
    expect(docs.split("\n").filter((l) => /^\| `.*\|\s*\|$/.test(l))).toEqual([]);
  });
});
