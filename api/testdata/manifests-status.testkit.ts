// Objects as a real cluster stores them (status included), for round-trip tests.

export const nodeWithStatus = `
apiVersion: v1
kind: Node
metadata:
  annotations:
    node.alpha.kubernetes.io/ttl: "0"
    volumes.kubernetes.io/controller-managed-attach-detach: "true"
  creationTimestamp: "2024-05-01T09:00:00Z"
  labels:
    beta.kubernetes.io/arch: amd64
    beta.kubernetes.io/os: linux
    kubernetes.io/arch: amd64
    kubernetes.io/hostname: node-1
    kubernetes.io/os: linux
    node-role.kubernetes.io/control-plane: ""
  name: node-1
  resourceVersion: "4242"
  uid: 2f1e0c6a-0000-4000-8000-000000000001
spec:
  podCIDR: 10.244.0.0/24
  podCIDRs:
  - 10.244.0.0/24
  providerID: kind://docker/kind/node-1
  taints:
  - effect: NoSchedule
    key: node-role.kubernetes.io/control-plane
  unschedulable: false
status:
  addresses:
  - address: 172.18.0.2
    type: InternalIP
  - address: node-1
    type: Hostname
  allocatable:
    cpu: "8"
    ephemeral-storage: 102626232Ki
    hugepages-1Gi: "0"
    hugepages-2Mi: "0"
    memory: 32780604Ki
    pods: "110"
  capacity:
    cpu: "8"
    ephemeral-storage: 102626232Ki
    hugepages-1Gi: "0"
    hugepages-2Mi: "0"
    memory: 32780604Ki
    pods: "110"
  conditions:
  - lastHeartbeatTime: "2024-05-01T10:00:00Z"
    lastTransitionTime: "2024-05-01T09:00:00Z"
    message: kubelet has sufficient memory available
    reason: KubeletHasSufficientMemory
    status: "False"
    type: MemoryPressure
  - lastHeartbeatTime: "2024-05-01T10:00:00Z"
    lastTransitionTime: "2024-05-01T09:00:30Z"
    message: kubelet is posting ready status
    reason: KubeletReady
    status: "True"
    type: Ready
  daemonEndpoints:
    kubeletEndpoint:
      Port: 10250
  images:
  - names:
    - registry.k8s.io/etcd@sha256:44a8e24dcbba3470ee1fee21d5e88d128c936e9b55d4bc51fbef8086f8ed123b
    - registry.k8s.io/etcd:3.5.15-0
    sizeBytes: 57680541
  - names:
    - docker.io/library/nginx:1.25
    sizeBytes: 70000000
  nodeInfo:
    architecture: amd64
    bootID: 1f3a7e5c-0000-4000-8000-000000000003
    containerRuntimeVersion: containerd://1.7.18
    kernelVersion: 6.1.0-18-amd64
    kubeProxyVersion: v1.32.0
    kubeletVersion: v1.32.0
    machineID: 6b5d9f0f2a2c4d5e8f7a6b5c4d3e2f10
    operatingSystem: linux
    osImage: Debian GNU/Linux 12 (bookworm)
    systemUUID: 6b5d9f0f-2a2c-4d5e-8f7a-6b5c4d3e2f10
  runtimeHandlers:
  - features:
      recursiveReadOnlyMounts: true
      userNamespaces: true
    name: runc
  features:
    supplementalGroupsPolicy: true
  volumesAttached:
  - name: kubernetes.io/csi/pd.csi.storage.gke.io^disk-1
    devicePath: /dev/sdb
  volumesInUse:
  - kubernetes.io/csi/pd.csi.storage.gke.io^disk-1
`;

export const podWithStatus = `
apiVersion: v1
kind: Pod
metadata:
  creationTimestamp: "2024-05-01T10:00:00Z"
  generateName: web-7d9c6b8f5-
  labels:
    app: web
    pod-template-hash: 7d9c6b8f5
  name: web-7d9c6b8f5-x2k4p
  namespace: default
  ownerReferences:
  - apiVersion: apps/v1
    blockOwnerDeletion: true
    controller: true
    kind: ReplicaSet
    name: web-7d9c6b8f5
    uid: 9a8b7c6d-0000-4000-8000-000000000004
  resourceVersion: "5678"
  uid: 1a2b3c4d-0000-4000-8000-000000000005
spec:
  containers:
  - image: nginx:1.25
    imagePullPolicy: IfNotPresent
    name: nginx
    ports:
    - containerPort: 80
      protocol: TCP
    resources: {}
    terminationMessagePath: /dev/termination-log
    terminationMessagePolicy: File
    volumeMounts:
    - mountPath: /var/run/secrets/kubernetes.io/serviceaccount
      name: kube-api-access-abcde
      readOnly: true
  dnsPolicy: ClusterFirst
  enableServiceLinks: true
  nodeName: node-1
  preemptionPolicy: PreemptLowerPriority
  priority: 0
  restartPolicy: Always
  schedulerName: default-scheduler
  securityContext: {}
  serviceAccount: default
  serviceAccountName: default
  terminationGracePeriodSeconds: 30
  tolerations:
  - effect: NoExecute
    key: node.kubernetes.io/not-ready
    operator: Exists
    tolerationSeconds: 300
  - effect: NoExecute
    key: node.kubernetes.io/unreachable
    operator: Exists
    tolerationSeconds: 300
  volumes:
  - name: kube-api-access-abcde
    projected:
      defaultMode: 420
      sources:
      - serviceAccountToken:
          expirationSeconds: 3607
          path: token
      - configMap:
          items:
          - key: ca.crt
            path: ca.crt
          name: kube-root-ca.crt
      - downwardAPI:
          items:
          - fieldRef:
              apiVersion: v1
              fieldPath: metadata.namespace
            path: namespace
status:
  conditions:
  - lastProbeTime: null
    lastTransitionTime: "2024-05-01T10:00:02Z"
    status: "True"
    type: PodReadyToStartContainers
  - lastProbeTime: null
    lastTransitionTime: "2024-05-01T10:00:00Z"
    status: "True"
    type: Initialized
  - lastProbeTime: null
    lastTransitionTime: "2024-05-01T10:00:03Z"
    status: "True"
    type: Ready
  containerStatuses:
  - containerID: containerd://0123456789abcdef
    image: docker.io/library/nginx:1.25
    imageID: docker.io/library/nginx@sha256:0123456789abcdef
    lastState:
      terminated:
        containerID: containerd://fedcba9876543210
        exitCode: 137
        finishedAt: "2024-05-01T10:00:01Z"
        reason: OOMKilled
        startedAt: "2024-05-01T10:00:00Z"
    name: nginx
    ready: true
    restartCount: 1
    started: true
    state:
      running:
        startedAt: "2024-05-01T10:00:02Z"
    volumeMounts:
    - mountPath: /var/run/secrets/kubernetes.io/serviceaccount
      name: kube-api-access-abcde
      readOnly: true
      recursiveReadOnly: Disabled
    allocatedResources:
      cpu: 250m
    resources:
      requests:
        cpu: 250m
    user:
      linux:
        uid: 0
        gid: 0
        supplementalGroups: [0, 10]
  hostIP: 172.18.0.2
  hostIPs:
  - ip: 172.18.0.2
  phase: Running
  podIP: 10.244.0.5
  podIPs:
  - ip: 10.244.0.5
  qosClass: BestEffort
  startTime: "2024-05-01T10:00:00Z"
`;

export const endpoints = `
apiVersion: v1
kind: Endpoints
metadata:
  name: my-service
  namespace: default
subsets:
  - addresses:
      - ip: 192.0.2.42
        nodeName: node-1
        targetRef:
          kind: Pod
          name: web-1
          namespace: default
    notReadyAddresses:
      - ip: 192.0.2.43
    ports:
      - port: 9376
        name: http
        protocol: TCP
        appProtocol: http
`;

export const namespace = `
apiVersion: v1
kind: Namespace
metadata:
  name: development
  labels:
    name: development
`;

export const event = `
apiVersion: v1
kind: Event
metadata:
  name: web-7d9c6b8f5-x2k4p.17c9a1b2c3d4e5f6
  namespace: default
involvedObject:
  apiVersion: v1
  kind: Pod
  name: web-7d9c6b8f5-x2k4p
  namespace: default
  resourceVersion: "5600"
  uid: 1a2b3c4d-0000-4000-8000-000000000005
  fieldPath: spec.containers{nginx}
reason: Pulled
message: Container image "nginx:1.25" already present on machine
source:
  component: kubelet
  host: node-1
firstTimestamp: "2024-05-01T10:00:01Z"
lastTimestamp: "2024-05-01T10:00:01Z"
count: 1
type: Normal
eventTime: null
reportingComponent: kubelet
reportingInstance: node-1
`;
