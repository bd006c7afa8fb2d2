import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { ValidateResult, validateDir } from "../../ops/terraform";

const results = new Map<string, ValidateResult>();

/**
 * `terraform validate` on every stack of a synthesized cdktf.out, as `validateSynthesized` does,
 * except that a stack whose files are byte for byte those of a stack already validated in this
 * test file takes that result: validate reads nothing but those files (and the one provider
 * version), so running it again would prove nothing more. Several configs share most stacks.
 */
export function validateStacks(outdir: string): ValidateResult[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"));
  return Object.keys(manifest.stacks).map((stack) => {
    const dir = path.join(outdir, "stacks", stack);
    const hash = createHash("sha256");
    for (const file of fs
      .readdirSync(dir)
      .filter((f) => !f.startsWith("."))
      .sort()) {
      const full = path.join(dir, file);
      if (fs.statSync(full).isFile()) hash.update(`${file}\0`).update(fs.readFileSync(full)).update("\0");
    }
    const key = hash.digest("hex");
    const known = results.get(key);
    if (known) return { ...known, stack };
    const result = validateDir(stack, dir);
    results.set(key, result);
    return result;
  });
}
