// Manifests the verb tests share.
import type { Pod } from '../../api/index.js';

export function deploymentYaml(opts: { name?: string; replicas?: number; image?: string; env?: Record<string, string>; labels?: Record<string, string> } = {}): string {
  const name = opts.name ?? 'web';
  const env = Object.entries(opts.env ?? {});
  const labels = Object.entries(opts.labels ?? {});
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels:
    app: ${name}
${labels.map(([k, v]) => `    ${k}: "${v}"`).join('\n')}
spec:
  replicas: ${opts.replicas ?? 2}
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
      - name: app
        image: ${opts.image ?? 'busybox:1.36'}
${env.length ? `        env:\n${env.map(([k, v]) => `        - name: ${k}\n          value: "${v}"`).join('\n')}` : ''}
`;
}

export function serviceYaml(name = 'web'): string {
  return `apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  selector:
    app: ${name}
  ports:
  - port: 80
    targetPort: 8080
`;
}

export const pod = (name: string, labels: Record<string, string> = {}, namespace = 'default'): Pod => ({
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name, namespace, labels },
  spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] },
}) as Pod;
