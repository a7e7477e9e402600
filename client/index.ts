// The client library every component other than the apiserver is built on.
export * from './config.js';
export * from './errors.js';
export * from './objects.js';
export * from './transport.js';
export * from './watch.js';
export * from './resource-client.js';
export * from './clientset.js';
export * from './store.js';
export * from './informer.js';
export * from './informer-factory.js';
export * from './workqueue.js';
export * from './controller.js';
export * from './leader.js';
export * from './events.js';
export * from './log.js';
export * from './health.js';
