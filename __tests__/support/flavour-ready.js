// For the flavour projects of jest.config.js, which map the cdktf family's imports into
// flavours/<name>/node_modules: the packages are there before the first import (the global setup
// installs them in the background; this waits for that install, or installs them itself).
require("../../scripts/flavours").ensureFlavourInstalled(globalThis.PRIVATELINK_FLAVOUR);
