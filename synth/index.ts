// The app's API, published as `privatelink-as-code/stacks`: the config, the stacks and their
// synthesis. It never installs the synth's speed layer (synth/fast/): only the app's entry does.
export * from "../config/schema";
export * from "../config/load";
export * from "../config/json-schema";
export * from "../stacks";
export * from "./synth";
