import * as fs from "fs";
import * as path from "path";
import { App, TerraformStack } from "cdktf";

/*
 * The app's synthesis keeps each stack's output in memory until the whole run has succeeded
 * (security rules included), then updates the output folder in place: files that already hold
 * their content are not rewritten, and a failure leaves the previous output as it was.
 */

/** One stack's synthesized files, by file name within its folder. */
export interface SynthesizedStack {
  readonly files: Readonly<Record<string, string>>;
  /** The stack's Terraform JSON, as written to cdk.tf.json (JSON output only). */
  readonly json?: Record<string, unknown>;
}

/** Synthesizes an app's stacks and returns their files by stack name; the manifest goes to `outdir`. */
export type StackCollector = (app: App, outdir: string) => Map<string, SynthesizedStack>;

/**
 * cdktf's own synthesis: every stack written by its stock synthesizer into `outdir` (a scratch
 * folder), then read back.
 */
export const writtenStacks: StackCollector = (app, outdir) => {
  // A scratch folder may hold an earlier pass (JSON before HCL): only this pass's files count.
  fs.rmSync(path.join(outdir, "stacks"), { recursive: true, force: true });
  fs.mkdirSync(path.join(outdir, "stacks"), { recursive: true });
  app.synth();
  const stacks = new Map<string, SynthesizedStack>();
  for (const stack of app.node.children) {
    if (!TerraformStack.isStack(stack)) continue;
    const dir = path.join(outdir, "stacks", stack.node.id);
    const files: Record<string, string> = {};
    for (const name of fs.readdirSync(dir).sort()) files[name] = fs.readFileSync(path.join(dir, name), "utf8");
    const json = files["cdk.tf.json"];
    stacks.set(stack.node.id, { files, json: json === undefined ? undefined : JSON.parse(json) });
  }
  return stacks;
};

let collector: StackCollector = writtenStacks;

/** How synthesize() collects the stacks: cdktf's own way unless the app's speed layer installed another. */
export function stackCollector(): StackCollector {
  return collector;
}

/** Replaces how stacks are collected (the speed layer's in-memory synthesizer); returns what puts it back. */
export function useStackCollector(next: StackCollector): () => void {
  const previous = collector;
  collector = next;
  return () => void (collector = previous);
}

const INDENTS: string[] = [];
// The same few hundred keys recur in every stack.
const QUOTED_KEYS = new Map<string, string>();
function indentOf(level: number): string {
  return (INDENTS[level] ??= `\n${"  ".repeat(level)}`);
}

/**
 * An object's keys in sort()'s order (by UTF-16 code units), sorted in place by insertion: most
 * objects of a stack have a handful of keys, and sort() copies its array first. Loops by index:
 * a synth runs mostly unoptimized code, where each for...of step allocates an iterator result.
 */
function sortedKeys(node: object): string[] {
  const keys = Object.keys(node);
  if (keys.length > 32) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i];
    let j = i - 1;
    while (j >= 0 && keys[j] > key) {
      keys[j + 1] = keys[j];
      j--;
    }
    keys[j + 1] = key;
  }
  return keys;
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
    const keys = sortedKeys(node);
    let out = "{";
    let first = true;
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k];
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
const TOP_LEVEL = new Set(["manifest.json", "deploy-order.json", "stacks", "pipelines"]);

export interface OutputFolder {
  readonly manifest: string;
  readonly deployOrder: string;
  /** Stack name -> file name -> content. */
  readonly stacks: ReadonlyMap<string, Readonly<Record<string, string>>>;
  /**
   * What the CI engines need (see synth/pipelines/): path under `pipelines/` ('/'-separated) ->
   * content. @default - none: no pipelines folder
   */
  readonly pipelines?: Readonly<Record<string, string>>;
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
  writeFolder(path.join(outdir, "pipelines"), output.pipelines ?? {});
}

/** Makes `folder` hold exactly `files` (relative '/'-separated path -> content); no files, no folder. */
function writeFolder(folder: string, files: Readonly<Record<string, string>>): void {
  const wanted = new Set(Object.keys(files).map((f) => path.join(folder, ...f.split("/"))));
  if (wanted.size === 0) {
    fs.rmSync(folder, { recursive: true, force: true });
    return;
  }
  // Everything else goes, and a folder that holds none of the files with it.
  const prune = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      const inside = [...wanted].some((w) => w.startsWith(`${full}${path.sep}`));
      if (entry.isDirectory() && inside) prune(full);
      else if (!wanted.has(full) || entry.isDirectory()) fs.rmSync(full, { recursive: true, force: true });
    }
  };
  if (fs.existsSync(folder) && !fs.statSync(folder).isDirectory()) fs.rmSync(folder, { force: true });
  if (fs.existsSync(folder)) prune(folder);
  for (const [file, content] of Object.entries(files)) {
    const full = path.join(folder, ...file.split("/"));
    fs.mkdirSync(path.dirname(full), { recursive: true });
    writeIfChanged(full, content, true);
  }
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
