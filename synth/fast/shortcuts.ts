import * as path from "path";

/*
 * Pieces of cdktf that cost a synth much and change nothing in its output,
 * replaced while the app checks its config, builds and synthesizes its stacks (and put back
 * afterwards):
 *
 * - cdktf records and formats a whole stack trace each time it creates a token, only to name where
 *   a token was made if it later fails to resolve: about a sixth of a synth.
 *   `PRIVATELINK_TOKEN_TRACES=1` keeps them, for debugging such a failure.
 *
 * Each is replaced where cdktf's own modules look it up at every call: a module's exports or a
 * class's prototype. Installed by the speed layer's one door (./index.ts).
 */
export interface ShortcutParts {
  readonly tokenTraces: boolean;
}

/** Installs the chosen shortcuts on cdktf (the package `require("cdktf")` finds); returns what puts cdktf's own back. */
export function installShortcuts(parts: ShortcutParts): () => void {
  const restores: (() => void)[] = [];
  const lib = path.dirname(require.resolve("cdktf"));
  if (parts.tokenTraces && process.env.PRIVATELINK_TOKEN_TRACES !== "1") {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const traces: { captureStackTrace: () => string[]; captureCreationStack?: () => string[] } = require(path.join(lib, "tokens", "private", "stack-trace.js"));
    if (traces.captureCreationStack) {
      // CDK Terrain has a switch of its own for this.
      const saved = process.env.CDKTN_DISABLE_CREATION_STACK;
      process.env.CDKTN_DISABLE_CREATION_STACK = "true";
      restores.push(() => (saved === undefined ? delete process.env.CDKTN_DISABLE_CREATION_STACK : (process.env.CDKTN_DISABLE_CREATION_STACK = saved)));
    } else {
      const capture = traces.captureStackTrace;
      traces.captureStackTrace = () => [];
      restores.push(() => (traces.captureStackTrace = capture));
    }
  }
  return () => restores.reverse().forEach((restore) => restore());
}
