/** The in-memory synthesizer's invokeAspects visits what cdktf's visits, in the same order, and warns as it warns. */
import { Annotations, App, Aspects, IAspect, TerraformStack } from "cdktf";
import { invokeAspects as cdktfInvokeAspects } from "cdktf/lib/synthesize/synthesizer";
import { Construct, IConstruct } from "constructs";
import { invokeAspects } from "../../../synth/fast/collecting-synthesizer";

/** A tree with aspects at several levels, one of them added twice, one that adds an aspect while it visits. */
function tree(visits: string[]) {
  const app = new App({ outdir: "/tmp/unused" });
  const stack = new TerraformStack(app, "s");
  const a = new Construct(stack, "a");
  const b = new Construct(a, "b");
  new Construct(b, "c");
  const d = new Construct(stack, "d");
  const named = (name: string): IAspect => ({ visit: (node: IConstruct) => void visits.push(`${name}@${node.node.path}`) });
  const shared = named("shared");
  Aspects.of(stack).add(named("stack"));
  Aspects.of(a).add(shared);
  Aspects.of(b).add(shared);
  Aspects.of(b).add({
    visit: (node: IConstruct) => {
      visits.push(`adder@${node.node.path}`);
      if (node.node.id === "b") Aspects.of(node).add(named("late"));
    },
  });
  Aspects.of(d).add(named("d"));
  return stack;
}

const warnings = (root: IConstruct) =>
  root.node
    .findAll()
    .flatMap((c) => c.node.metadata.filter((m) => /warn/i.test(m.type)).map((m) => `${c.node.path}: ${m.data}`));

test("aspects visit the same constructs in the same order, once each, with the same warning", () => {
  const theirs: string[] = [];
  const theirStack = tree(theirs);
  cdktfInvokeAspects(theirStack);
  const ours: string[] = [];
  const ourStack = tree(ours);
  invokeAspects(ourStack);
  expect(theirs.length).toBeGreaterThan(8);
  expect(ours).toEqual(theirs);
  expect(warnings(ourStack)).toEqual(warnings(theirStack));
  expect(warnings(ourStack)).toHaveLength(1);
});

test("a tree without aspects is walked without giving any construct a list of its own", () => {
  const app = new App({ outdir: "/tmp/unused" });
  const stack = new TerraformStack(app, "s");
  const inner = new Construct(new Construct(stack, "a"), "b");
  const symbolsBefore = Object.getOwnPropertySymbols(inner).length;
  invokeAspects(stack);
  expect(Object.getOwnPropertySymbols(inner).length).toBe(symbolsBefore);
  Annotations.of(inner).addInfo("still a construct like any other");
  expect(Aspects.of(inner).all).toEqual([]);
});
