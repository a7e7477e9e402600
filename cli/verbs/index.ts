// The kubectl-like client verbs, in the order `skiff --help` lists them. Every export here is a
// command factory: cli/main.ts registers them all.
export { applyCommand } from './apply.js';
export { getCommand } from './get.js';
export { deleteCommand } from './delete.js';
export { scaleCommand } from './scale.js';
export { versionCommand } from './version.js';
export { describeCommand } from './describe.js';
export { rolloutCommand } from './rollout.js';
export { logsCommand } from './logs.js';
export { execCommand } from './exec.js';
