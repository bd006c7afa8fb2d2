/**
 * The synth's speed layer, behind one door: every replacement of cdktf's (or constructs')
 * internals lives in this folder and is installed by {@link installFastSynth} alone, which only
 * the app's entry point (main.ts) calls; the library's own entry points never do. Each
 * replacement gives the output cdktf itself gives, byte for byte (tested against
 * `PRIVATELINK_FAST_SYNTH=0`, which runs plain cdktf end to end), and each is kept only while
 * `npm run bench` shows it earns its place (docs/performance.md).
 */
import { useStackCollector } from "../stack-output";
import { inMemoryStacks } from "./collecting-synthesizer";
import { installShortcuts } from "./shortcuts";
import { installStackSynthesis } from "./stack";

/** The replacements, by the name `PRIVATELINK_FAST_SYNTH_SKIP` (a comma-separated list, for the bench) knows them. */
export const FAST_SYNTH_PARTS = ["token-traces", "stack-prepare", "stack-resolve", "in-memory-output"] as const;
export type FastSynthPart = (typeof FAST_SYNTH_PARTS)[number];

/** The versions the replacements were checked against: with any other, the synth runs plain. */
export const CHECKED_VERSIONS: Readonly<Record<string, readonly string[]>> = { cdktf: ["0.21.0"], cdktn: ["0.24.0"] };

/**
 * Installs the speed layer for the rest of the process, unless `PRIVATELINK_FAST_SYNTH=0` or the
 * installed cdktf (or CDK Terrain) is a version it was not checked on (then one notice line says
 * so). Returns what puts everything back.
 */
export function installFastSynth(
  env: NodeJS.ProcessEnv = process.env,
  notice: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  core: { readonly name: string; readonly version: string } = require("cdktf/package.json"),
): () => void {
  if (env.PRIVATELINK_FAST_SYNTH === "0") return () => {};
  const checked = CHECKED_VERSIONS[core.name] ?? [];
  if (!checked.includes(core.version)) {
    notice(`notice: ${core.name} ${core.version} is not a version the synth's speed layer was checked on (${Object.entries(CHECKED_VERSIONS).map(([n, v]) => `${n} ${v.join(", ")}`).join("; ")}): synthesizing with plain ${core.name}`);
    return () => {};
  }
  const skip = new Set((env.PRIVATELINK_FAST_SYNTH_SKIP ?? "").split(",").map((s) => s.trim()).filter(Boolean));
  const unknown = [...skip].filter((s) => !(FAST_SYNTH_PARTS as readonly string[]).includes(s));
  if (unknown.length > 0) throw new Error(`PRIVATELINK_FAST_SYNTH_SKIP: received ${unknown.join(", ")}; expected a comma-separated list of ${FAST_SYNTH_PARTS.join(", ")}`);
  const on = (part: FastSynthPart) => !skip.has(part);
  const restores = [
    installShortcuts({ tokenTraces: on("token-traces") }),
    installStackSynthesis({ prepare: on("stack-prepare"), resolve: on("stack-resolve") }),
    ...(on("in-memory-output") ? [useStackCollector(inMemoryStacks)] : []),
  ];
  return () => restores.reverse().forEach((restore) => restore());
}
