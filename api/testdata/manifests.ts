// Manifests from the Kubernetes documentation and from `kubectl get -o yaml` of a real cluster,
// used by the round-trip tests. Each must decode with no error and no unknown field.

export const nginxDeployment = `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx-deployment
  namespace: default
  labels:
    app: nginx
spec:
  replicas: 3
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx:1.14.2
        ports:
        - containerPort: 80
`;

/** What `kubectl create deployment web --image=nginx --dry-run=client -o yaml` prints. */
export const kubectlDryRunDeployment = `
apiVersion: apps/v1
kind: Deployment
metadata:
  creationTimestamp: null
  labels:
    app: web
  name: web
  namespace: default
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
  strategy: {}
  template:
    metadata:
      creationTimestamp: null
      labels:
        app: web
    spec:
      containers:
      - image: nginx
        name: nginx
        resources: {}
status: {}
`;

/** A Deployment as a real apiserver returns it, with status and managed fields. */
export const storedDeployment = `
apiVersion: apps/v1
kind: Deployment
metadata:
  annotations:
    deployment.kubernetes.io/revision: "1"
    kubectl.kubernetes.io/last-applied-configuration: |
      {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"annotations":{},"name":"web","namespace":"default"}}
  creationTimestamp: "2024-05-01T10:00:00Z"
  generation: 1
  labels:
    app: web
  managedFields:
  - apiVersion: apps/v1
    fieldsType: FieldsV1
    fieldsV1:
      f:metadata:
        f:labels:
          .: {}
          f:app: {}
      f:spec:
        f:replicas: {}
    manager: kubectl-client-side-apply
    operation: Update
    time: "2024-05-01T10:00:00Z"
  - apiVersion: apps/v1
    fieldsType: FieldsV1
    fieldsV1:
      f:status:
        f:replicas: {}
    manager: kube-controller-manager
    operation: Update
    subresource: status
    time: "2024-05-01T10:00:05Z"
  name: web
  namespace: default
  resourceVersion: "1234"
  uid: 5d2c6a0e-1111-2222-3333-444455556666
spec:
  progressDeadlineSeconds: 600
  replicas: 2
  revisionHistoryLimit: 10
  selector:
    matchLabels:
      app: web
  strategy:
    rollingUpdate:
      maxSurge: 25%
      maxUnavailable: 1
    type: RollingUpdate
  template:
    metadata:
      creationTimestamp: null
      labels:
        app: web
    spec:
      containers:
      - image: nginx:1.25
        imagePullPolicy: IfNotPresent
        name: nginx
        resources:
          limits:
            cpu: 500m
            memory: 128Mi
          requests:
            cpu: 250m
            memory: 64Mi
        terminationMessagePath: /dev/termination-log
        terminationMessagePolicy: File
      dnsPolicy: ClusterFirst
      restartPolicy: Always
      schedulerName: default-scheduler
      securityContext: {}
      terminationGracePeriodSeconds: 30
status:
  availableReplicas: 2
  conditions:
  - lastTransitionTime: "2024-05-01T10:00:05Z"
    lastUpdateTime: "2024-05-01T10:00:05Z"
    message: Deployment has minimum availability.
    reason: MinimumReplicasAvailable
    status: "True"
    type: Available
  observedGeneration: 1
  readyReplicas: 2
  replicas: 2
  updatedReplicas: 2
`;

/** A Pod using probes, volumes, affinity, tolerations, security contexts and env valueFrom (docs snippets). */
export const richPod = `
apiVersion: v1
kind: Pod
metadata:
  name: rich
  namespace: default
  labels:
    app.kubernetes.io/name: rich
  annotations:
    example.com/note: "hello"
spec:
  securityContext:
    runAsUser: 1000
    runAsGroup: 3000
    fsGroup: 2000
    fsGroupChangePolicy: OnRootMismatch
    supplementalGroups: [4000]
    seccompProfile:
      type: RuntimeDefault
    sysctls:
    - name: net.ipv4.ip_local_port_range
      value: "32768 60999"
  serviceAccountName: build-robot
  automountServiceAccountToken: false
  priorityClassName: high-priority
  hostname: rich
  subdomain: svc
  dnsConfig:
    nameservers: ["192.0.2.1"]
    searches: ["ns1.svc.cluster-domain.example"]
    options:
    - name: ndots
      value: "2"
    - name: edns0
  hostAliases:
  - ip: "127.0.0.1"
    hostnames: ["foo.local", "bar.local"]
  nodeSelector:
    disktype: ssd
  affinity:
    nodeAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        nodeSelectorTerms:
        - matchExpressions:
          - key: topology.kubernetes.io/zone
            operator: In
            values: [antarctica-east1, antarctica-west1]
      preferredDuringSchedulingIgnoredDuringExecution:
      - weight: 1
        preference:
          matchExpressions:
          - key: another-node-label-key
            operator: In
            values: [another-node-label-value]
    podAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
      - labelSelector:
          matchExpressions:
          - key: security
            operator: In
            values: [S1]
        topologyKey: topology.kubernetes.io/zone
    podAntiAffinity:
      preferredDuringSchedulingIgnoredDuringExecution:
      - weight: 100
        podAffinityTerm:
          labelSelector:
            matchExpressions:
            - key: security
              operator: In
              values: [S2]
          topologyKey: topology.kubernetes.io/zone
          matchLabelKeys: [pod-template-hash]
  tolerations:
  - key: "key1"
    operator: "Equal"
    value: "value1"
    effect: "NoSchedule"
  - key: "node.kubernetes.io/unreachable"
    operator: "Exists"
    effect: "NoExecute"
    tolerationSeconds: 6000
  topologySpreadConstraints:
  - maxSkew: 1
    topologyKey: zone
    whenUnsatisfiable: DoNotSchedule
    labelSelector:
      matchLabels:
        app.kubernetes.io/name: rich
    minDomains: 2
    nodeAffinityPolicy: Honor
    nodeTaintsPolicy: Ignore
  initContainers:
  - name: init-myservice
    image: busybox:1.28
    command: ['sh', '-c', "until nslookup myservice; do echo waiting; sleep 2; done"]
  - name: logshipper
    image: alpine:latest
    restartPolicy: Always
    command: ['sh', '-c', 'tail -F /opt/logs.txt']
    volumeMounts:
    - name: data
      mountPath: /opt
  containers:
  - name: app
    image: registry.k8s.io/liveness:v1
    args: ["/server"]
    workingDir: /srv
    ports:
    - name: liveness-port
      containerPort: 8080
    - containerPort: 9000
      protocol: UDP
      hostPort: 9000
    env:
    - name: DEMO_GREETING
      value: "Hello from the environment"
    - name: MY_NODE_NAME
      valueFrom:
        fieldRef:
          fieldPath: spec.nodeName
    - name: MY_CPU_REQUEST
      valueFrom:
        resourceFieldRef:
          containerName: app
          resource: requests.cpu
          divisor: 1m
    - name: SPECIAL_LEVEL_KEY
      valueFrom:
        configMapKeyRef:
          name: special-config
          key: special.how
          optional: true
    - name: SECRET_USERNAME
      valueFrom:
        secretKeyRef:
          name: backend-user
          key: backend-username
    envFrom:
    - configMapRef:
        name: special-config
    - prefix: SECRET_
      secretRef:
        name: test-secret
    resources:
      requests:
        memory: "64Mi"
        cpu: "250m"
      limits:
        memory: "128Mi"
        cpu: 1
      claims:
      - name: gpu
    resizePolicy:
    - resourceName: cpu
      restartPolicy: NotRequired
    - resourceName: memory
      restartPolicy: RestartContainer
    livenessProbe:
      httpGet:
        path: /healthz
        port: liveness-port
        httpHeaders:
        - name: Custom-Header
          value: Awesome
      initialDelaySeconds: 3
      periodSeconds: 3
    readinessProbe:
      tcpSocket:
        port: 8080
      initialDelaySeconds: 15
      periodSeconds: 10
    startupProbe:
      grpc:
        port: 2379
      failureThreshold: 30
      periodSeconds: 10
    lifecycle:
      postStart:
        exec:
          command: ["/bin/sh", "-c", "echo Hello > /usr/share/message"]
      preStop:
        sleep:
          seconds: 5
    securityContext:
      allowPrivilegeEscalation: false
      readOnlyRootFilesystem: true
      runAsNonRoot: true
      capabilities:
        add: ["NET_ADMIN", "SYS_TIME"]
        drop: ["ALL"]
      seLinuxOptions:
        level: "s0:c123,c456"
      appArmorProfile:
        type: Localhost
        localhostProfile: k8s-apparmor-example-deny-write
    volumeMounts:
    - name: config
      mountPath: /etc/config
      readOnly: true
    - name: data
      mountPath: /data
      subPath: app
    - name: secret
      mountPath: /etc/secret
    - name: podinfo
      mountPath: /etc/podinfo
    - name: all-in-one
      mountPath: /projected-volume
    - name: cache
      mountPath: /cache
    - name: host
      mountPath: /host/log
      mountPropagation: HostToContainer
    - name: nfs
      mountPath: /nfs
    - name: scratch
      mountPath: /scratch
    - name: csi
      mountPath: /csi
    - name: img
      mountPath: /img
    - name: pvc
      mountPath: /pvc
  volumes:
  - name: config
    configMap:
      name: log-config
      items:
      - key: log_level
        path: log_level.conf
  - name: data
    emptyDir: {}
  - name: cache
    emptyDir:
      medium: Memory
      sizeLimit: 500Mi
  - name: secret
    secret:
      secretName: mysecret
      defaultMode: 0400
      optional: false
  - name: podinfo
    downwardAPI:
      items:
      - path: "labels"
        fieldRef:
          fieldPath: metadata.labels
      - path: "cpu_limit"
        resourceFieldRef:
          containerName: app
          resource: limits.cpu
          divisor: 1m
  - name: all-in-one
    projected:
      sources:
      - secret:
          name: mysecret
          items:
          - key: username
            path: my-group/my-username
      - configMap:
          name: myconfigmap
          items:
          - key: config
            path: my-group/my-config
      - serviceAccountToken:
          audience: api
          expirationSeconds: 3600
          path: token
      - downwardAPI:
          items:
          - path: "labels"
            fieldRef:
              fieldPath: metadata.labels
  - name: host
    hostPath:
      path: /var/log
      type: Directory
  - name: nfs
    nfs:
      server: my-nfs-server.example.com
      path: /my-nfs-volume
      readOnly: true
  - name: scratch
    ephemeral:
      volumeClaimTemplate:
        metadata:
          labels:
            type: my-frontend-volume
        spec:
          accessModes: [ "ReadWriteOnce" ]
          storageClassName: "scratch-storage-class"
          resources:
            requests:
              storage: 1Gi
  - name: csi
    csi:
      driver: inline.storage.kubernetes.io
      volumeAttributes:
        foo: bar
  - name: img
    image:
      reference: quay.io/crio/artifact:v1
      pullPolicy: IfNotPresent
  - name: pvc
    persistentVolumeClaim:
      claimName: myclaim
  resourceClaims:
  - name: gpu
    resourceClaimTemplateName: gpu-claim-template
  schedulingGates:
  - name: example.com/foo
  readinessGates:
  - conditionType: "www.example.com/feature-1"
  os:
    name: linux
  hostUsers: false
  runtimeClassName: myclass
  shareProcessNamespace: true
  activeDeadlineSeconds: 3600
`;

export const namedTargetPortService = `
apiVersion: v1
kind: Service
metadata:
  name: nginx-service
  namespace: default
spec:
  selector:
    app.kubernetes.io/name: proxy
  ports:
  - name: name-of-service-port
    protocol: TCP
    port: 80
    targetPort: http-web-svc
`;

export const nodePortService = `
apiVersion: v1
kind: Service
metadata:
  name: my-service
  namespace: default
spec:
  type: NodePort
  selector:
    app.kubernetes.io/name: MyApp
  ports:
    - port: 80
      targetPort: 80
      nodePort: 30007
`;

export const loadBalancerService = `
apiVersion: v1
kind: Service
metadata:
  name: lb
  namespace: default
spec:
  type: LoadBalancer
  selector:
    app.kubernetes.io/name: MyApp
  ports:
  - name: http
    protocol: TCP
    port: 80
    targetPort: 9376
  - name: https
    protocol: TCP
    port: 443
    targetPort: 9377
  clusterIP: 10.0.171.239
  clusterIPs: [10.0.171.239]
  ipFamilies: [IPv4]
  ipFamilyPolicy: SingleStack
  externalTrafficPolicy: Local
  internalTrafficPolicy: Cluster
  sessionAffinity: ClientIP
  sessionAffinityConfig:
    clientIP:
      timeoutSeconds: 600
  loadBalancerClass: example.com/internal-vip
  loadBalancerSourceRanges: ["130.211.204.1/32"]
  allocateLoadBalancerNodePorts: false
  trafficDistribution: PreferClose
status:
  loadBalancer:
    ingress:
    - ip: 192.0.2.127
      ipMode: VIP
`;

export const configMap = `
apiVersion: v1
kind: ConfigMap
metadata:
  name: game-demo
  namespace: default
data:
  player_initial_lives: "3"
  ui_properties_file_name: "user-interface.properties"
  game.properties: |
    enemy.types=aliens,monsters
    player.maximum-lives=5
  user-interface.properties: |
    color.good=purple
    color.bad=yellow
    allow.textmode=true
binaryData:
  blob: aGVsbG8=
`;

export const secretWithStringData = `
apiVersion: v1
kind: Secret
metadata:
  name: mysecret
  namespace: default
type: Opaque
data:
  username: YWRtaW4=
stringData:
  config.yaml: |
    apiUrl: "https://my.api.com/api/v1"
    username: admin
`;

export const pdb = `
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: zk-pdb
  namespace: default
spec:
  minAvailable: 2
  selector:
    matchLabels:
      app: zookeeper
  unhealthyPodEvictionPolicy: AlwaysAllow
`;

export const priorityClass = `
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata:
  name: high-priority
value: 1000000
globalDefault: false
description: "This priority class should be used for XYZ service pods only."
`;

export const lease = `
apiVersion: coordination.k8s.io/v1
kind: Lease
metadata:
  name: node-1
  namespace: kube-node-lease
  ownerReferences:
  - apiVersion: v1
    kind: Node
    name: node-1
    uid: 2f1e0c6a-0000-4000-8000-000000000001
spec:
  holderIdentity: node-1
  leaseDurationSeconds: 40
  acquireTime: "2024-05-01T10:00:00.000000Z"
  renewTime: "2024-05-01T10:05:00.123456Z"
  leaseTransitions: 0
`;

export const endpointSlice = `
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: example-abc
  namespace: default
  labels:
    kubernetes.io/service-name: example
addressType: IPv4
ports:
  - name: http
    protocol: TCP
    port: 80
    appProtocol: http
endpoints:
  - addresses:
      - "10.1.2.3"
    conditions:
      ready: true
      serving: true
      terminating: false
    hostname: pod-1
    nodeName: node-1
    zone: us-west2-a
    targetRef:
      kind: Pod
      namespace: default
      name: pod-1
      uid: 3c4d5e6f-0000-4000-8000-000000000002
    hints:
      forZones:
      - name: us-west2-a
`;
