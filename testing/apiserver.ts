// An in-process apiserver for tests, against the run's throwaway etcd, under its own etcd
// prefix so suites never see each other's objects.
import { randomBytes } from 'node:crypto';
import { startApiServer, type ApiServer } from '../apiserver/index.js';
import { testEtcdUrl } from './etcd.js';

export type TestApiServer = ApiServer & { prefix: string };

export async function startTestApiServer(): Promise<TestApiServer> {
  const prefix = `/t-${randomBytes(6).toString('hex')}/registry`;
  const server = await startApiServer({ etcdServers: [testEtcdUrl()], port: 0, etcdPrefix: prefix });
  return Object.assign(server, { prefix });
}
