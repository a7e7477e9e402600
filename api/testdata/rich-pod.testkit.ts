// A Pod touching most PodSpec features, assembled from Kubernetes documentation snippets.

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
