/**
 * `npm run destroy`: the reverse of `npm run deploy` (deploy.ts). Destroys every stack of
 * cdktf.out, each once every stack that depends on it is destroyed, retire stacks first; asks
 * for "yes" first unless `--auto-approve`. Same options, progress lines, table and exit code.
 */
import { runCommand } from "./cli";
import { deployCommand } from "./deploy";

runCommand(() => deployCommand("destroy"));
