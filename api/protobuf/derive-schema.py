#!/usr/bin/env python3
"""Derives Skiff's wire schema (api/protobuf/*.proto) from the facts in an upstream checkout.

Facts taken: message and field names, field numbers and types from k8s.io/api and
k8s.io/apimachinery generated.proto; from their types.go, whether each Go field is a pointer or
lacks `omitempty` (then its zero value means something in JSON, and the schema marks it
`optional`). Only the messages reachable from the kinds Skiff serves are written.

usage: derive-schema.py <k8s.io/api checkout> <k8s.io/apimachinery checkout> <out dir>
"""
import os
import re
import sys

API, MACH, OUT = sys.argv[1:4]

# package -> (generated.proto, [types go files], output file)
PKGS = {
    'k8s.io.api.core.v1': (f'{API}/core/v1/generated.proto', [f'{API}/core/v1/types.go'], 'core.proto'),
    'k8s.io.api.apps.v1': (f'{API}/apps/v1/generated.proto', [f'{API}/apps/v1/types.go'], 'apps.proto'),
    'k8s.io.api.autoscaling.v1': (f'{API}/autoscaling/v1/generated.proto', [f'{API}/autoscaling/v1/types.go'], 'autoscaling.proto'),
    'k8s.io.api.autoscaling.v2': (f'{API}/autoscaling/v2/generated.proto', [f'{API}/autoscaling/v2/types.go'], 'autoscaling-v2.proto'),
    'k8s.io.api.events.v1': (f'{API}/events/v1/generated.proto', [f'{API}/events/v1/types.go'], 'events.proto'),
    'k8s.io.api.coordination.v1': (f'{API}/coordination/v1/generated.proto', [f'{API}/coordination/v1/types.go'], 'coordination.proto'),
    'k8s.io.api.discovery.v1': (f'{API}/discovery/v1/generated.proto', [f'{API}/discovery/v1/types.go'], 'discovery.proto'),
    'k8s.io.api.policy.v1': (f'{API}/policy/v1/generated.proto', [f'{API}/policy/v1/types.go'], 'policy.proto'),
    'k8s.io.api.scheduling.v1': (f'{API}/scheduling/v1/generated.proto', [f'{API}/scheduling/v1/types.go'], 'scheduling.proto'),
    'k8s.io.api.batch.v1': (f'{API}/batch/v1/generated.proto', [f'{API}/batch/v1/types.go'], 'batch.proto'),
    'k8s.io.api.rbac.v1': (f'{API}/rbac/v1/generated.proto', [f'{API}/rbac/v1/types.go'], 'rbac.proto'),
    'k8s.io.api.authorization.v1': (f'{API}/authorization/v1/generated.proto', [f'{API}/authorization/v1/types.go'], 'authorization.proto'),
    'k8s.io.api.authentication.v1': (f'{API}/authentication/v1/generated.proto', [f'{API}/authentication/v1/types.go'], 'authentication.proto'),
    'k8s.io.apimachinery.pkg.apis.meta.v1': (f'{MACH}/pkg/apis/meta/v1/generated.proto', [f'{MACH}/pkg/apis/meta/v1/types.go', f'{MACH}/pkg/apis/meta/v1/watch.go'], 'meta.proto'),
    'k8s.io.apimachinery.pkg.runtime': (f'{MACH}/pkg/runtime/generated.proto', [], 'runtime.proto'),
    'k8s.io.apimachinery.pkg.util.intstr': (f'{MACH}/pkg/util/intstr/generated.proto', [], 'intstr.proto'),
    'k8s.io.apimachinery.pkg.api.resource': (f'{MACH}/pkg/api/resource/generated.proto', [], 'resource.proto'),
}

ROOTS = [
    ('k8s.io.api.core.v1', k) for k in ['Pod', 'Service', 'Namespace', 'ConfigMap', 'Secret', 'Node', 'Endpoints', 'Event', 'Binding']
] + [('k8s.io.api.apps.v1', k) for k in ['Deployment', 'ReplicaSet']] + [
    ('k8s.io.api.autoscaling.v1', 'Scale'),
    ('k8s.io.api.coordination.v1', 'Lease'),
    ('k8s.io.api.discovery.v1', 'EndpointSlice'),
    ('k8s.io.api.policy.v1', 'PodDisruptionBudget'),
    ('k8s.io.api.policy.v1', 'Eviction'),
    ('k8s.io.api.scheduling.v1', 'PriorityClass'),
    ('k8s.io.apimachinery.pkg.apis.meta.v1', 'Status'),
    ('k8s.io.apimachinery.pkg.apis.meta.v1', 'DeleteOptions'),
    ('k8s.io.apimachinery.pkg.apis.meta.v1', 'WatchEvent'),
    ('k8s.io.apimachinery.pkg.apis.meta.v1', 'MicroTime'),
    ('k8s.io.apimachinery.pkg.runtime', 'Unknown'),
]
# Kinds being added (horizontal pod autoscaling, events.k8s.io), so their clients' bodies decode.
ROOTS += [
    ('k8s.io.api.autoscaling.v1', 'HorizontalPodAutoscaler'),
    ('k8s.io.api.autoscaling.v2', 'HorizontalPodAutoscaler'),
    ('k8s.io.api.events.v1', 'Event'),
]
# Workloads and RBAC, served since.
ROOTS += [('k8s.io.api.core.v1', 'ReplicationController')]
ROOTS += [('k8s.io.api.apps.v1', k) for k in ['DaemonSet', 'StatefulSet', 'ControllerRevision']]
ROOTS += [('k8s.io.api.batch.v1', k) for k in ['Job', 'CronJob']]
ROOTS += [('k8s.io.api.rbac.v1', k) for k in ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']]
# Their lists.
ROOTS += [(p, k + 'List') for p, k in ROOTS if k not in ('Binding', 'Scale', 'Eviction', 'Status', 'DeleteOptions', 'WatchEvent', 'MicroTime', 'Unknown')]
# Created and answered at once, never listed: what `kubectl auth can-i` and `auth whoami` send.
ROOTS += [('k8s.io.api.authorization.v1', k) for k in ['SelfSubjectAccessReview', 'SelfSubjectRulesReview', 'SubjectAccessReview', 'LocalSubjectAccessReview']]
ROOTS += [('k8s.io.api.authentication.v1', 'SelfSubjectReview')]

FIELD = re.compile(r'^\s*(optional|repeated)?\s*(map<\s*\w+\s*,\s*[\w.]+\s*>|[\w.]+)\s+(\w+)\s*=\s*(\d+)\s*;')


def parse_proto(path):
    msgs, cur = {}, None
    for line in open(path):
        if line.startswith('message '):
            cur = line.split()[1]
            msgs[cur] = []
        elif line.startswith('}'):
            cur = None
        elif cur and (m := FIELD.match(line)):
            msgs[cur].append((m.group(1) or '', m.group(2), m.group(3), int(m.group(4))))
    return msgs


def parse_go(paths):
    """struct -> proto field name -> 'keep' when zero is meaningful (pointer, or no omitempty),
    'inline' for an embedded struct whose fields JSON flattens into the parent."""
    out, cur = {}, None
    for path in paths:
        for line in open(path):
            if (m := re.match(r'^type (\w+) struct \{', line)):
                cur = m.group(1)
                out[cur] = {}
            elif line.startswith('}'):
                cur = None
            elif cur and 'protobuf:"' in line:
                m = re.match(r'^\s*\w+\s+(\S+)\s+`(.*)`', line)
                embedded = re.match(r'^\s*(\*?[\w.]+)\s+`(.*)`', line)
                if not m and not embedded:
                    continue
                gotype, tags = (m or embedded).groups()
                named = re.search(r'protobuf:"[^"]*name=(\w+)', tags)
                if not named:
                    continue
                name = named.group(1)
                js = re.search(r'json:"([^"]*)"', tags)
                omitempty = js is not None and 'omitempty' in js.group(1)
                # An embedded struct without a JSON name is flattened into its parent by encoding/json.
                if not m and (js is None or js.group(1).split(',')[0] == ''):
                    out[cur][name] = 'inline'
                elif gotype.startswith('*') or not omitempty:
                    out[cur][name] = 'keep'

    return out


protos = {p: parse_proto(v[0]) for p, v in PKGS.items()}
gos = {p: parse_go(v[1]) for p, v in PKGS.items()}
SCALARS = {'string', 'bytes', 'bool', 'int32', 'int64', 'double', 'float', 'uint32', 'uint64'}


def resolve(pkg, t):
    if t in SCALARS:
        return None
    if t.startswith('.'):
        t = t[1:]
        p, n = t.rsplit('.', 1)
        return (p, n)
    return (pkg, t)


need = {}
stack = list(ROOTS)
while stack:
    p, n = stack.pop()
    if (p, n) in need:
        continue
    need[(p, n)] = protos[p][n]
    for _, t, _, _ in protos[p][n]:
        if t.startswith('map<'):
            t = t[4:-1].split(',')[1].strip()
        r = resolve(p, t)
        if r:
            stack.append(r)

imports = {}
for (p, n) in need:
    for _, t, _, _ in protos[p][n]:
        if t.startswith('map<'):
            t = t[4:-1].split(',')[1].strip()
        r = resolve(p, t)
        if r and r[0] != p:
            imports.setdefault(p, set()).add(PKGS[r[0]][2])

os.makedirs(OUT, exist_ok=True)
for p, (src, _, fname) in PKGS.items():
    names = sorted(n for (q, n) in need if q == p)
    if not names:
        continue
    lines = [
        f'// Skiff wire schema for {p}: the messages Skiff serves, with names and field numbers as',
        '// upstream generated.proto. Derived by derive-schema.py; `optional` marks a field whose zero',
        '// value means something in JSON (a Go pointer, or no omitempty), which decoding keeps;',
        '// (skiff.inline) marks an embedded Go struct whose fields JSON flattens into the parent.',
        'syntax = "proto3";',
        '',
        f'package {p};',
        '',
    ]
    for i in sorted(imports.get(p, ())):
        lines.append(f'import "{i}";')
    if imports.get(p):
        lines.append('')
    for n in names:
        lines.append(f'message {n} {{')
        keep = gos[p].get(n, {})
        for label, t, fname_, num in need[(p, n)]:
            if t.startswith('.'):
                t = t[1:]
            if label == 'repeated':
                packed = ' [packed = false]' if t in SCALARS - {'string', 'bytes'} else ''
                lines.append(f'  repeated {t} {fname_} = {num}{packed};')
            elif t.startswith('map<'):
                lines.append(f'  {t.replace(" .", " ")} {fname_} = {num};')
            elif t in SCALARS and keep.get(fname_) == 'keep':
                lines.append(f'  optional {t} {fname_} = {num};')
            elif keep.get(fname_) == 'inline':
                lines.append(f'  {t} {fname_} = {num} [(skiff.inline) = true];')
            else:
                lines.append(f'  {t} {fname_} = {num};')
        lines.append('}')
        lines.append('')
    open(os.path.join(OUT, fname), 'w').write('\n'.join(lines))
    print(fname, len(names), 'messages')
