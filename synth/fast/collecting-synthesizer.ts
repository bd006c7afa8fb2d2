import * as path from "path";
import { Annotations, AnnotationMetadataEntryType, Aspects, IStackSynthesizer, ISynthesisSession, TerraformStack } from "cdktf";
import { encounteredAnnotationWithLevelError } from "cdktf/lib/errors";
import { ValidateTerraformVersion } from "cdktf/lib/validations/validate-terraform-version";
import { ConstructOrder, IConstruct } from "constructs";
import { StackCollector, SynthesizedStack, stableStringify } from "../stack-output";

/*
 * cdktf writes every stack into a fresh folder as it goes, and synthesize() would read them back:
 * here each stack's files stay in memory. With a hundred consumers, creating two hundred folders
 * and files (and reading them back) cost more than building the stacks' JSON.
 */

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
    // Loops by index: a synth runs mostly unoptimized code (V8_FLAGS in scripts/run-compiled.js),
    // where each for...of step (or flatMap's arrays) allocates.
    const annotations: { constructPath: string; level: AnnotationMetadataEntryType; message: unknown; stacktrace: string[] | undefined }[] = [];
    for (let i = 0; i < nodes.length; i++) {
      const metadata = nodes[i].node.metadata;
      for (let j = 0; j < metadata.length; j++) {
        const m = metadata[j];
        if (ANNOTATION_LEVELS.includes(m.type)) annotations.push({ constructPath: nodes[i].node.path, level: m.type as AnnotationMetadataEntryType, message: m.data, stacktrace: m.trace });
      }
    }
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
 * aspects anew at every construct when there is none to add, and without giving every construct
 * an empty list of its own to find it has none (Aspects.of makes one, a new property on each).
 */
export function invokeAspects(root: IConstruct): void {
  const invokedByPath: Record<string, IAspectLike[]> = {};
  let nestedAspectWarning = false;
  const recurse = (construct: IConstruct, inherited: readonly IAspectLike[]): void => {
    const mine = ownAspects(construct);
    const own = mine.length;
    const here = own === 0 ? inherited : [...inherited, ...mine];
    for (let i = 0; i < here.length; i++) {
      const aspect = here[i];
      const invoked = (invokedByPath[construct.node.path] ??= []);
      if (invoked.includes(aspect)) continue;
      aspect.visit(construct);
      if (!nestedAspectWarning && own !== ownAspects(construct).length) {
        Annotations.of(construct).addWarning("We detected an Aspect was added via another Aspect, and will not be applied");
        nestedAspectWarning = true;
      }
      invoked.push(aspect);
    }
    const children = construct.node.children;
    for (let i = 0; i < children.length; i++) recurse(children[i], here);
  };
  recurse(root, []);
}

// cdktf keeps a construct's aspects under a symbol of its own, set by the first Aspects.of(construct):
// found once on a probe. Should it ever be kept otherwise, Aspects.of is asked as before.
const ASPECTS: symbol | undefined = (() => {
  const probe = {};
  Aspects.of(probe as IConstruct);
  const symbols = Object.getOwnPropertySymbols(probe);
  return symbols.length === 1 ? symbols[0] : undefined;
})();
const NO_ASPECTS: readonly IAspectLike[] = [];

/** A construct's own aspects, as Aspects.of(construct).all gives them. */
function ownAspects(construct: IConstruct): readonly IAspectLike[] {
  if (ASPECTS === undefined) return Aspects.of(construct).all;
  const aspects = (construct as unknown as Record<symbol, ReturnType<typeof Aspects.of> | undefined>)[ASPECTS];
  return aspects === undefined ? NO_ASPECTS : aspects.all;
}
type IAspectLike = ReturnType<typeof Aspects.of>["all"][number];

/** The app's stacks synthesized with {@link CollectingSynthesizer}, kept in memory. */
export const inMemoryStacks: StackCollector = (app, outdir) => {
  for (const stack of app.node.children) if (TerraformStack.isStack(stack)) stack.synthesizer = new CollectingSynthesizer(stack, stack.synthesizer);
  return collectStacks(outdir, () => app.synth());
};
