import { Testing } from "cdktf";
// Type declarations of the cdktf jest matchers (toHaveResourceWithProperties, ...).
import "cdktf/lib/testing/adapters/jest";

Testing.setupJest();
