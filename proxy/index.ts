// Public surface of the Service proxy.
export { startProxy, type ProxyOptions, type RunningProxy } from './proxy.js';
export { buildRuleset, restoreText, ownChains, ownLines, type RuleInputs, type Ruleset } from './rules.js';
export { HostCommands, Iptables, ensureServiceRoute } from './iptables.js';
export { readyNodeIPs } from './loadbalancer.js';
