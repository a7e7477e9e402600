// The web app the node e2e tests deploy — a Deployment of tiny HTTP servers that answer with
// their pod's name and version, behind a Service — and how tests reach it: one GET on a fresh
// connection, to an address that must be routed on this machine.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { get as httpGet } from 'node:http';

const node = process.execPath;

// A tiny HTTP server that answers with its pod's name; `node` is on every machine that runs us.
export const webApp = (ns: string, version: string): string => `apiVersion: v1
kind: Namespace
metadata:
  name: ${ns}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: ${ns}
spec:
  replicas: 3
  strategy:
    type: RollingUpdate
    rollingUpdate: {maxSurge: 1, maxUnavailable: 0}
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      runtimeClassName: host # runs the host's node binary
      terminationGracePeriodSeconds: 2
      tolerations:
      - {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 2}
      - {key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 2}
      containers:
      - name: web
        image: skiff.local/node-http:1
        command: ["${node}", "-e", "require('http').createServer((q, s) => s.end(process.env.POD_NAME + ' ' + process.env.VERSION)).listen(8080)"]
        env:
        - {name: VERSION, value: "${version}"}
        - name: POD_NAME
          valueFrom: {fieldRef: {fieldPath: metadata.name}}
        ports:
        - {name: http, containerPort: 8080}
        readinessProbe:
          httpGet: {path: /, port: http}
          periodSeconds: 1
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: ${ns}
spec:
  selector: {app: web}
  ports:
  - {port: 80, targetPort: http}
`;

/** The address must be delivered on this machine (our bridge, a node, or loopback) — never the default route. */
export function assertLocallyRouted(ip: string): void {
  const route = execFileSync('ip', ['route', 'get', ip], { encoding: 'utf8' });
  assert.match(route, /dev (skiffbr0|lo)\b|^local /m, `${ip} is not routed locally:\n${route}`);
}

/** One GET on a fresh connection (a kept-alive one would stick to one pod behind a Service). */
export function get(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = httpGet(url, { agent: false, timeout: 3000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve(body.trim()));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url}: no answer in 3 s`)));
    req.on('error', reject);
  });
}

