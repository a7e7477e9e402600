// Mocha global fixtures (loaded through `require` in .mocharc.json): one throwaway etcd per test
// run, its client URL in process.env.SKIFF_TEST_ETCD; the test image registry (testing/test-images.ts)
// starts on first use and stops here.
import { startTestEtcd, type TestEtcd } from './etcd.js';
import { stopTestImages } from './test-images.js';

let etcd: TestEtcd | undefined;

export async function mochaGlobalSetup(): Promise<void> {
  // In-process apiservers log only problems during tests; SKIFF_LOG_LEVEL=info shows everything.
  process.env.SKIFF_LOG_LEVEL ??= 'warn';
  etcd = await startTestEtcd();
  process.env.SKIFF_TEST_ETCD = etcd.url;
}

export async function mochaGlobalTeardown(): Promise<void> {
  await etcd?.stop();
  etcd = undefined;
  await stopTestImages();
}
