import { TerraformStack } from "cdktf";

/**
 * The app's stack kinds are layered (provider, DNS verification, consumers, acceptance, private
 * DNS, retire stacks), each depending on earlier kinds only, so no cycle can form; cdktf's
 * addDependency looks for one by walking the whole graph for every dependency added, which grows
 * with the square of the consumers. deployOrder() still refuses a cycle. Returns what puts
 * cdktf's own back.
 */
export function installStackDependencies(): () => void {
  const proto = TerraformStack.prototype;
  const addDependency = proto.addDependency;
  proto.addDependency = function (this: TerraformStack, dependency: TerraformStack): void {
    if (!this.dependencies.includes(dependency)) this.dependencies.push(dependency);
  };
  return () => void (proto.addDependency = addDependency);
}
