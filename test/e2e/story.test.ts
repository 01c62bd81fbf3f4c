import { startWebStack } from "../support/web-stack.js";
import { tellStory } from "./story.js";

// On the run's Hardhat node (automine, a block every second). Screenshots: test-results/story/.
tellStory("story", () => startWebStack());
