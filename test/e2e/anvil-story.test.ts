import { startWebStack } from "../support/web-stack.js";
import { tellStory } from "./story.js";

// The same story on a chain that mines like a network (Anvil: chain 412346, a block every 2 s) with a user's
// default configuration: EIP-712 domains under another chain id, the sponsor's re-check against that node, and
// the collector's balance while the index is the default confirmations behind a credit (2 s or more here, so
// a page read between the two is the rule, not a rare race). Screenshots: test-results/story-anvil/.
// Setup sends some 20 transactions one after another (the deployment, the programs, the sponsor's deposit),
// each waiting for its block: a minute at this pace, two on a busy machine.
tellStory("story-anvil", () => startWebStack({ anvil: true }), 240_000);
