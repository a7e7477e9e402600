// The kubectl-like client verbs, in the order `skiff --help` lists them.
export { applyCommand } from './apply.js';
export { getCommand } from './get.js';
