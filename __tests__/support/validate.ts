import { spawnSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ValidateDiagnostic, ValidateResult, diagnosticMessage, terraformEnv, validateDir } from "../../ops/terraform";

const results = new Map<string, ValidateResult>();

/** A stack's working directory, to validate. */
export interface StackDir {
  readonly stack: string;
  readonly dir: string;
}

/**
 * `terraform validate` on every stack of a synthesized cdktf.out, as `validateSynthesized` does;
 * see `validateDirs` for how the work is shared.
 */
export function validateStacks(outdir: string): ValidateResult[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"));
  return validateDirs(Object.keys(manifest.stacks).map((stack) => ({ stack, dir: path.join(outdir, "stacks", stack) })));
}

/**
 * `terraform validate` on Terraform working directories, each with the same verdict and error
 * messages as `validateDir` gives it alone, for less work:
 * - a directory whose files are byte for byte those of one already validated in this test file
 *   takes that result: validate reads nothing but those files (and the one provider version);
 * - the others are validated in one run: a root module that calls each directory as a child
 *   module. Terraform validates child modules as it validates a root one (a backend block there
 *   only draws a warning), and each error names its file, so it goes to its directory. When that
 *   run cannot settle a directory (init fails, say two directories require different provider
 *   versions, or an error names no file of theirs), each is validated alone.
 * Every terraform run starts the AWS provider, which loads its schema: one run for many
 * directories instead of one each.
 */
export function validateDirs(dirs: readonly StackDir[]): ValidateResult[] {
  const keyed = dirs.map((d) => ({ ...d, key: contentKey(d.dir) }));
  const fresh = new Map<string, StackDir>();
  for (const d of keyed) if (!results.has(d.key) && !fresh.has(d.key)) fresh.set(d.key, d);
  const batch = [...fresh.values()];
  const settled = batch.length > 1 ? validateTogether(batch) : new Map<string, ValidateResult>();
  for (const [key, d] of fresh) results.set(key, settled.get(d.dir) ?? validateDir(d.stack, d.dir));
  return keyed.map((d) => ({ ...results.get(d.key)!, stack: d.stack }));
}

function contentKey(dir: string): string {
  const hash = createHash("sha256");
  for (const file of fs
    .readdirSync(dir)
    .filter((f) => !f.startsWith("."))
    .sort()) {
    const full = path.join(dir, file);
    if (fs.statSync(full).isFile()) hash.update(`${file}\0`).update(fs.readFileSync(full)).update("\0");
  }
  return hash.digest("hex");
}

/** The directories validated as child modules of one root: results by directory, only those it settles. */
function validateTogether(dirs: readonly StackDir[]): Map<string, ValidateResult> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "pl-validate-together-"));
  try {
    const modules = Object.fromEntries(dirs.map((d, i) => [`m${i}`, { source: `./${path.relative(root, d.dir).split(path.sep).join("/")}`.replace(/^\.\/\.\.\//, "../") }]));
    fs.writeFileSync(path.join(root, "main.tf.json"), JSON.stringify({ module: modules }, null, 2));
    const env = terraformEnv();
    const init = spawnSync("terraform", ["init", "-input=false", "-backend=false", "-no-color"], { cwd: root, env, encoding: "utf8" });
    if (init.status !== 0) return new Map();
    const validate = spawnSync("terraform", ["validate", "-json", "-no-color"], { cwd: root, env, encoding: "utf8" });
    const result = JSON.parse(validate.stdout) as { valid: boolean; diagnostics: ValidateDiagnostic[] };
    const errors = new Map<string, string[]>(dirs.map((d) => [d.dir, []]));
    for (const diagnostic of result.diagnostics.filter((x) => x.severity === "error")) {
      const file = diagnostic.range?.filename ? path.resolve(root, diagnostic.range.filename) : undefined;
      const owner = file && dirs.find((d) => path.dirname(file) === d.dir);
      if (!owner) return new Map(); // not theirs to say: each alone
      // (the address as the directory alone would name it: without the calling module)
      errors.get(owner.dir)!.push(diagnosticMessage(diagnostic, diagnostic.address?.replace(/^module\.m\d+\./, "")));
    }
    return new Map(dirs.map((d) => [d.dir, { stack: d.stack, valid: errors.get(d.dir)!.length === 0, messages: errors.get(d.dir)! }]));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
