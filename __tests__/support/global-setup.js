// Installs the non-default flavours' packages (npm ci from flavours/<name>/package-lock.json,
// never into the root node_modules) before any test needs them: the flavour projects of
// jest.config.js map the cdktf family's imports into them.
const { DEFAULT_FLAVOUR, FLAVOURS, ensureFlavourInstalled } = require("../../scripts/flavours");

module.exports = async () => {
  for (const name of Object.keys(FLAVOURS)) if (name !== DEFAULT_FLAVOUR) ensureFlavourInstalled(name);
};
