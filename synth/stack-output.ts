import * as fs from "fs";
import * as path from "path";
import { Annotations, AnnotationMetadataEntryType, Aspects, IStackSynthesizer, ISynthesisSession, TerraformStack } from "cdktf";
import { encounteredAnnotationWithLevelError } from "cdktf/lib/errors";
import { ValidateTerraformVersion } from "cdktf/lib/validations/validate-terraform-version";
import { ConstructOrder, IConstruct } from "constructs";

/*
 * The app's synthesis keeps each stack's output in memory until the whole run has succeeded
 * (security rules included), then updates the output folder in place. cdktf writes every stack
 * into a fresh folder as it goes; our synth used to do that in a staging folder, then delete the
 * previous output and rename the staging folder over it: with a hundred consumers, creating two
 * hundred folders and files and deleting as many cost more than building the stacks' JSON.
 */

/** One stack's synthesized files, by file name within its folder. */
export interface SynthesizedStack {
  readonly files: Readonly<Record<string, string>>;
  /** The stack's Terraform JSON, as written to cdk.tf.json (JSON output only). */
  readonly json?: Record<string, unknown>;
}

/** Synthesis sessions (by output folder) whose stacks are kept in memory instead of written. */
const collecting = new Map<string, Map<string, SynthesizedStack>>();

/**
 * Runs `synth` (which calls the app's `synth()`) with every stack that uses
 * {@link CollectingSynthesizer} kept in memory: returns the stacks' files by stack name. The
 * app still writes its manifest to `outdir`.
 */
export function collectStacks(outdir: string, synth: () => void): Map<string, SynthesizedStack> {
  const key = path.resolve(outdir);
  const stacks = new Map<string, SynthesizedStack>();
  collecting.set(key, stacks);
  try {
    synth();
    return stacks;
  } finally {
    collecting.delete(key);
  }
}

const ANNOTATION_LEVELS: string[] = [AnnotationMetadataEntryType.INFO, AnnotationMetadataEntryType.WARN, AnnotationMetadataEntryType.ERROR];
// cdktf's key for custom synthesis (assets); the app's stacks have none.
const CUSTOM_SYNTHESIS = Symbol.for("cdktf/customSynthesis");

/**
 * A stack synthesizer that does what cdktf's does (aspects, validations unless skipped, the
 * stack's manifest entry with its annotations, error annotations stop the synthesis) and, inside
 * {@link collectStacks}, keeps the stack's files in memory. Outside it (Testing.fullSynth, an
 * app of the library user's own), it hands the stack to cdktf's synthesizer unchanged.
 */
export class CollectingSynthesizer implements IStackSynthesizer {
  constructor(
    private readonly stack: TerraformStack,
    private readonly cdktfSynthesizer: IStackSynthesizer,
    private readonly continueOnErrorAnnotations = process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS !== undefined,
    private readonly hclOutput = process.env.SYNTH_HCL_OUTPUT === "true" || process.env.SYNTH_HCL_OUTPUT === "1",
  ) {}

  synthesize(session: ISynthesisSession): void {
    const into = collecting.get(path.resolve(session.outdir));
    if (!into) return this.cdktfSynthesizer.synthesize(session);
    const stack = this.stack;
    invokeAspects(stack);
    if (!session.skipValidation) {
      if (stack.hasResourceMove()) {
        stack.node.addValidation(new ValidateTerraformVersion(">=1.5", "Resource move functionality is only supported for Terraform >=1.5. Please upgrade your Terraform version."));
      }
      stack.runAllValidations();
    }
    const stackManifest = session.manifest.forStack(stack);
    const nodes = stack.node.findAll(ConstructOrder.PREORDER);
    const custom = nodes.find((n) => (n as unknown as Record<symbol, unknown>)[CUSTOM_SYNTHESIS] !== undefined);
    if (custom) throw new Error(`${custom.node.path}: constructs with custom synthesis (such as TerraformAsset) are not supported in the app's stacks`);
    const annotations = nodes.flatMap((node) =>
      node.node.metadata
        .filter((m) => ANNOTATION_LEVELS.includes(m.type))
        .map((m) => ({ constructPath: node.node.path, level: m.type as AnnotationMetadataEntryType, message: m.data, stacktrace: m.trace })),
    );
    // cdktf's manifest entry is read-only to everyone but the synthesizer.
    (stackManifest as { annotations: unknown }).annotations = annotations;
    const errors = annotations.filter((a) => a.level === AnnotationMetadataEntryType.ERROR);
    if (!this.continueOnErrorAnnotations && errors.length > 0) {
      throw encounteredAnnotationWithLevelError(errors.map((a) => `[${a.constructPath}] ${a.message}`).join("\n"));
    }
    const fileName = (p: string) => path.basename(p);
    if (this.hclOutput) {
      const hcl = stack.toHclTerraform();
      into.set(stack.node.id, { files: { [fileName(stackManifest.synthesizedStackPath)]: hcl.hcl, [fileName(stackManifest.stackMetadataPath)]: stableStringify(hcl.metadata) } });
      return;
    }
    const json = stack.toTerraform();
    into.set(stack.node.id, { files: { [fileName(stackManifest.synthesizedStackPath)]: stableStringify(json) }, json });
  }
}

/**
 * cdktf's invokeAspects (synthesize/synthesizer.js), without building the list of inherited
 * aspects anew at every construct when there is none to add.
 */
export function invokeAspects(root: IConstruct): void {
  const invokedByPath: Record<string, IAspectLike[]> = {};
  let nestedAspectWarning = false;
  const recurse = (construct: IConstruct, inherited: readonly IAspectLike[]): void => {
    const aspects = Aspects.of(construct);
    const own = aspects.all.length;
    const here = own === 0 ? inherited : [...inherited, ...aspects.all];
    for (const aspect of here) {
      const invoked = (invokedByPath[construct.node.path] ??= []);
      if (invoked.includes(aspect)) continue;
      aspect.visit(construct);
      if (!nestedAspectWarning && own !== aspects.all.length) {
        Annotations.of(construct).addWarning("We detected an Aspect was added via another Aspect, and will not be applied");
        nestedAspectWarning = true;
      }
      invoked.push(aspect);
    }
    for (const child of construct.node.children) recurse(child, here);
  };
  recurse(root, []);
}
type IAspectLike = ReturnType<typeof Aspects.of>["all"][number];

const INDENTS: string[] = [];
// The same few hundred keys recur in every stack.
const QUOTED_KEYS = new Map<string, string>();
function indentOf(level: number): string {
  return (INDENTS[level] ??= `\n${"  ".repeat(level)}`);
}

/**
 * JSON with keys sorted and two-space indentation, character for character what cdktf's
 * `json-stable-stringify(value, { space: 2 })` writes (empty arrays and objects keep a line
 * break, undefined members are left out and undefined array items become null), in a fraction
 * of its time.
 */
export function stableStringify(value: unknown): string {
  const seen: object[] = [];
  const walk = (node: unknown, level: number): string | undefined => {
    if (node !== null && typeof node === "object" && typeof (node as { toJSON?: unknown }).toJSON === "function") node = (node as { toJSON: () => unknown }).toJSON();
    if (node === undefined) return undefined;
    if (typeof node !== "object" || node === null) return JSON.stringify(node);
    const indent = indentOf(level);
    const inner = indentOf(level + 1);
    if (Array.isArray(node)) {
      let out = "[";
      for (let i = 0; i < node.length; i++) out += `${i > 0 ? "," : ""}${inner}${walk(node[i], level + 1) || "null"}`;
      return `${out}${indent}]`;
    }
    if (seen.includes(node)) throw new TypeError("Converting circular structure to JSON");
    seen.push(node);
    const keys = Object.keys(node).sort();
    let out = "{";
    let first = true;
    for (const key of keys) {
      const v = walk((node as Record<string, unknown>)[key], level + 1);
      if (!v) continue;
      let quoted = QUOTED_KEYS.get(key);
      if (quoted === undefined) QUOTED_KEYS.set(key, (quoted = `${JSON.stringify(key)}: `));
      out += `${first ? "" : ","}${inner}${quoted}${v}`;
      first = false;
    }
    seen.pop();
    return `${out}${indent}}`;
  };
  return walk(value, 0) as string;
}

const LOCK_FILE = ".terraform.lock.hcl";
const TOP_LEVEL = new Set(["manifest.json", "deploy-order.json", "stacks"]);

export interface OutputFolder {
  readonly manifest: string;
  readonly deployOrder: string;
  /** Stack name -> file name -> content. */
  readonly stacks: ReadonlyMap<string, Readonly<Record<string, string>>>;
}

export interface WriteOutputOptions {
  /** Copied as `.terraform.lock.hcl` into each stack folder that has none yet. */
  readonly lockFile?: string;
  /** Leave an empty folder for each stack folder of the previous output that is gone. */
  readonly keepVanishedStackFolders?: boolean;
}

/**
 * Makes `outdir` hold exactly `output`, updating the previous output in place: each stack folder
 * keeps its `.terraform.lock.hcl` and loses everything else not written now; stack folders and
 * top-level entries that are not in `output` go; files that already hold their content are left
 * alone. The result is what deleting the folder and writing it afresh would give, lock files (and
 * modification times) apart, for a small part of the file system work.
 * Call it only once everything is known to be right: it is not atomic.
 */
export function writeOutput(outdir: string, output: OutputFolder, options: WriteOutputOptions = {}): void {
  const stacksDir = path.join(outdir, "stacks");
  if (fs.existsSync(outdir) && !fs.statSync(outdir).isDirectory()) fs.rmSync(outdir, { force: true });
  fs.mkdirSync(outdir, { recursive: true });
  for (const entry of fs.readdirSync(outdir, { withFileTypes: true })) {
    if (!TOP_LEVEL.has(entry.name) || (entry.name === "stacks" && !entry.isDirectory())) fs.rmSync(path.join(outdir, entry.name), { recursive: true, force: true });
  }
  if (!fs.existsSync(stacksDir)) fs.mkdirSync(stacksDir);
  const previous = new Map(fs.readdirSync(stacksDir, { withFileTypes: true }).map((d) => [d.name, d.isDirectory()]));
  for (const [name, isDirectory] of previous) {
    if (output.stacks.has(name)) continue;
    const folder = path.join(stacksDir, name);
    if (options.keepVanishedStackFolders && isDirectory) {
      // The cdktf CLI deletes, after the app ran, the stack folders it saw before that are gone
      // now, and fails when it cannot find one: such a folder stays, empty, for it to delete.
      for (const entry of fs.readdirSync(folder)) fs.rmSync(path.join(folder, entry), { recursive: true, force: true });
    } else {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  }
  const fallbackLock = options.lockFile && fs.existsSync(options.lockFile) ? options.lockFile : undefined;
  for (const [name, files] of output.stacks) {
    const folder = path.join(stacksDir, name);
    let hasLock = false;
    if (previous.get(name) === true) {
      for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
        if (entry.name === LOCK_FILE) hasLock = true;
        else if (!(entry.name in files) || entry.isDirectory()) fs.rmSync(path.join(folder, entry.name), { recursive: true, force: true });
      }
    } else {
      if (previous.has(name)) fs.rmSync(folder, { force: true });
      fs.mkdirSync(folder);
    }
    for (const [file, content] of Object.entries(files)) writeIfChanged(path.join(folder, file), content, previous.get(name) === true);
    if (!hasLock && fallbackLock) fs.copyFileSync(fallbackLock, path.join(folder, LOCK_FILE));
  }
  writeIfChanged(path.join(outdir, "manifest.json"), output.manifest, true);
  writeIfChanged(path.join(outdir, "deploy-order.json"), output.deployOrder, true);
}

/**
 * Writes a file unless it already holds exactly this content: a synth after a small change (or
 * none) rewrites only the stacks that changed, and reading a file costs far less than rewriting it.
 */
function writeIfChanged(file: string, content: string, mayExist: boolean): void {
  if (mayExist) {
    try {
      if (fs.readFileSync(file, "utf8") === content) return;
    } catch {
      // not there yet
    }
  }
  fs.writeFileSync(file, content);
}
