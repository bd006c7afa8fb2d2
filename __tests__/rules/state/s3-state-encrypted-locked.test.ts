import * as fs from "fs";
import { Compliance } from "../../../rules";
import rule from "../../../rules/state/s3-state-encrypted-locked";
import { exampleJson, synthConfig } from "../../support/synth";
import { complianceOf, detailOf } from "../fixtures";

const withS3 = (s3: Record<string, any>) => ({ provider: { terraform: { backend: { s3: { bucket: "state", key: "provider.tfstate", region: "us-west-2", ...s3 } } } } });
const BACKEND = "provider/terraform.backend.s3";

describe("PL-STATE1 S3 state encrypted and locked", () => {
  test.each([[{ encrypt: true, use_lockfile: true }], [{ encrypt: true, dynamodb_table: "terraform-locks" }]])("an S3 backend with %p is compliant", (settings) => {
    // GIVEN an S3 backend with encryption and a lock
    // WHEN the rule checks it
    // THEN it is compliant
    expect(complianceOf(rule, withS3(settings))).toEqual({ [BACKEND]: Compliance.COMPLIANT });
  });

  test.each([
    [{ use_lockfile: true }, "set encrypt = true"],
    [{ encrypt: true }, "set use_lockfile = true (or dynamodb_table)"],
    [{ encrypt: false, use_lockfile: false, dynamodb_table: "" }, "set encrypt = true and use_lockfile = true (or dynamodb_table)"],
  ])("an S3 backend with %p is non-compliant", (settings, detail) => {
    // GIVEN an S3 backend missing encryption or locking
    // WHEN the rule checks it
    // THEN it is non-compliant and the detail says what to set
    expect(complianceOf(rule, withS3(settings))).toEqual({ [BACKEND]: Compliance.NON_COMPLIANT });
    expect(detailOf(rule, withS3(settings))).toBe(detail);
  });

  test("a local backend is not applicable", () => {
    // GIVEN a stack with local state
    // WHEN the rule checks it
    // THEN it is not applicable
    expect(complianceOf(rule, { provider: { terraform: { backend: { local: { path: "x.tfstate" } } } } })).toEqual({
      "provider/terraform.backend.local": Compliance.NOT_APPLICABLE,
    });
  });

  test("the stacks' own S3 backend is compliant", () => {
    // GIVEN the example synthesized with S3 state
    const json = exampleJson();
    json.state = { backend: "s3", bucket: "privatelink-state", region: "us-west-2" };
    const synthesized = synthConfig(json);
    try {
      // WHEN the rule checks every stack
      // THEN every backend is compliant
      const results = Object.values(complianceOf(rule, synthesized.stacks));
      expect(results.length).toBe(Object.keys(synthesized.stacks).length);
      expect(new Set(results)).toEqual(new Set([Compliance.COMPLIANT]));
    } finally {
      fs.rmSync(synthesized.outdir, { recursive: true, force: true });
    }
  });
});
