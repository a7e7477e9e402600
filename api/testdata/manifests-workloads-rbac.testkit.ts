// Workload, RBAC and access-review objects as users write them, for round-trip tests of the kinds
// served after the first protobuf schemas (jobs, cron jobs, daemon and stateful sets, roles, reviews).

const podTemplate = `
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: busybox
        command: ["sleep", "3600"]`;

export const job = `
apiVersion: batch/v1
kind: Job
metadata:
  name: pi
  namespace: default
spec:
  completions: 3
  parallelism: 0
  backoffLimit: 4
  completionMode: Indexed
  ttlSecondsAfterFinished: 0
  podFailurePolicy:
    rules:
    - action: FailJob
      onExitCodes:
        operator: In
        values: [42]
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: pi
        image: busybox
`;

export const cronJob = `
apiVersion: batch/v1
kind: CronJob
metadata:
  name: tick
  namespace: default
spec:
  schedule: "*/5 * * * *"
  timeZone: Etc/UTC
  suspend: false
  successfulJobsHistoryLimit: 0
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: tick
            image: busybox
`;

export const daemonSet = `
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
  namespace: default
spec:
  selector:
    matchLabels:
      app: web
  updateStrategy:
    type: RollingUpdate
    rollingUpdate:
      maxUnavailable: 1
      maxSurge: 0
  template:${podTemplate}
`;

export const statefulSet = `
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
  namespace: default
spec:
  replicas: 0
  serviceName: db
  podManagementPolicy: Parallel
  ordinals:
    start: 0
  persistentVolumeClaimRetentionPolicy:
    whenDeleted: Delete
    whenScaled: Retain
  selector:
    matchLabels:
      app: web
  template:${podTemplate}
`;

export const replicationController = `
apiVersion: v1
kind: ReplicationController
metadata:
  name: web
  namespace: default
spec:
  replicas: 2
  selector:
    app: web
  template:${podTemplate}
`;

export const clusterRole = `
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: monitoring
aggregationRule:
  clusterRoleSelectors:
  - matchLabels:
      rbac.example.com/aggregate-to-monitoring: "true"
rules:
- apiGroups: [""]
  resources: [pods, pods/log]
  verbs: [get, list, watch]
- nonResourceURLs: [/healthz]
  verbs: [get]
`;

export const role = `
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: reader
  namespace: default
rules:
- apiGroups: [apps]
  resources: [deployments]
  resourceNames: [web]
  verbs: [get]
`;

export const roleBinding = `
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: read
  namespace: default
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: reader
subjects:
- kind: User
  name: alice
- kind: ServiceAccount
  name: default
  namespace: default
`;

export const clusterRoleBinding = `
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: monitoring
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: monitoring
subjects:
- kind: Group
  name: ops
`;

export const selfSubjectAccessReview = `
apiVersion: authorization.k8s.io/v1
kind: SelfSubjectAccessReview
metadata: {}
spec:
  resourceAttributes:
    namespace: default
    verb: list
    resource: pods
`;

export const subjectAccessReview = `
apiVersion: authorization.k8s.io/v1
kind: SubjectAccessReview
metadata: {}
spec:
  user: alice
  groups: [ops]
  extra:
    scopes: [a, b]
  nonResourceAttributes:
    path: /healthz
    verb: get
`;

export const localSubjectAccessReview = `
apiVersion: authorization.k8s.io/v1
kind: LocalSubjectAccessReview
metadata:
  namespace: default
spec:
  user: alice
  resourceAttributes:
    namespace: default
    verb: get
    group: apps
    resource: deployments
    subresource: scale
    name: web
`;

export const selfSubjectRulesReview = `
apiVersion: authorization.k8s.io/v1
kind: SelfSubjectRulesReview
metadata: {}
spec:
  namespace: default
`;

export const selfSubjectReview = `
apiVersion: authentication.k8s.io/v1
kind: SelfSubjectReview
metadata: {}
`;
