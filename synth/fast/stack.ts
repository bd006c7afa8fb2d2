import { TerraformElement, TerraformOutput, TerraformStack } from "cdktf";
import { deepMerge } from "cdktf/lib/util";
import { Construct } from "constructs";
import { PrivateLinkStack } from "../../stacks/privatelink-stack";
import { resolveFast } from "./resolve";

/**
 * cdktf's deepMerge for a freshly resolved source (holding no tokens and no undefined, shared with
 * nothing): where the target has no object under a key, the source's object is taken as it is
 * instead of being copied key by key into a new one.
 */
function mergeResolved(target: Record<string, unknown>, source: unknown): void {
  if (!plain(source)) return void deepMerge(target, source);
  const keys = Object.keys(source);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const value = source[key];
    const existing = target[key];
    if (plain(value) && (existing === undefined || typeof existing !== "object")) target[key] = value;
    else if (plain(value) && plain(existing)) mergeResolved(existing, value);
    else deepMerge(target, { [key]: value });
  }
}

function plain(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/**
 * Stacks of the flow pass values only through remote state outputs, never through cdktf's
 * cross-stack references, so cdktf's preparing pass (a resolve of every resource, looking for
 * such references to wire up) is skipped: it was a third of the synth time. A value taken from
 * another stack by mistake then shows as an undeclared reference in `terraform validate`,
 * instead of a hidden output and remote state the design does not know.
 */
function prepareStack(this: PrivateLinkStack): void {
  (this as unknown as { ensureBackendExists(): void }).ensureBackendExists();
}

/**
 * The stack's Terraform JSON, as cdktf builds it, with one resolve of each element (by
 * resolveFast, which hands every token to cdktf's resolve) and none of the merged whole: cdktf
 * resolves the merged document a second time although every part of it is already resolved
 * (only the stack's own overrides may still hold tokens, and they are resolved here). The
 * output is byte for byte what cdktf writes (__tests__/synth/fast/shortcuts.test.ts).
 */
function toTerraform(this: PrivateLinkStack): any {
  const elements: TerraformElement[] = [];
  // Loops by index: a synth runs mostly unoptimized code (V8_FLAGS in scripts/run-compiled.js),
  // where each for...of step allocates an iterator result.
  const visit = (node: Construct): void => {
    if (TerraformElement.isTerraformElement(node)) elements.push(node);
    const children = node.node.children;
    for (let i = 0; i < children.length; i++) if (!TerraformStack.isStack(children[i])) visit(children[i]);
  };
  visit(this);
  // cdktf keeps these two private; they are read as its own toTerraform reads them.
  const { rawOverrides: overrides, cdktfVersion } = this as unknown as { rawOverrides: Record<string, unknown>; cdktfVersion: string };
  const metadata: Record<string, unknown> = {
    version: cdktfVersion,
    stackName: this.node.id,
    backend: "local",
    cloud: undefined,
    ...(Object.keys(overrides).length > 0 ? { overrides: { stack: Object.keys(overrides) } } : {}),
  };
  for (let i = 0; i < elements.length; i++) deepMerge(metadata, resolveFast(this, elements[i].toMetadata()));
  const outputs: Record<string, unknown> = {};
  for (let i = 0; i < elements.length; i++) {
    const e = elements[i];
    if (!TerraformOutput.isTerraformOutput(e)) continue;
    deepMerge(
      outputs,
      e.node.path.split("/").reduceRight<Record<string, unknown>>((inner, part) => ({ [part]: Object.keys(inner).length === 0 ? e.friendlyUniqueId : inner }), {}),
    );
  }
  const tf: Record<string, unknown> = { "//": { metadata, outputs } };
  for (let i = 0; i < elements.length; i++) mergeResolved(tf, resolveFast(this, elements[i].toTerraform()));
  deepMerge(tf, resolveFast(this, overrides));
  return tf;
}

/** Installs both on the flow's stacks (PrivateLinkStack); returns what puts cdktf's own back. */
export function installStackSynthesis(parts: { prepare: boolean; resolve: boolean }): () => void {
  const proto = PrivateLinkStack.prototype as unknown as Record<string, unknown>;
  const own = { prepareStack: Object.getOwnPropertyDescriptor(proto, "prepareStack"), toTerraform: Object.getOwnPropertyDescriptor(proto, "toTerraform") };
  if (parts.prepare) proto.prepareStack = prepareStack;
  if (parts.resolve) proto.toTerraform = toTerraform;
  return () => {
    for (const [key, descriptor] of Object.entries(own)) {
      if (descriptor) Object.defineProperty(proto, key, descriptor);
      else delete proto[key];
    }
  };
}
