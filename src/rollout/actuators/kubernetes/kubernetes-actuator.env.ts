import { z } from 'zod';
import { defineEnv, int, json } from '../../../platform/config/define-env.js';

/** A Kubernetes object or list of them as the chart values give it: passed through as written, Kubernetes validates it. */
const k8sObject = z.record(z.string(), z.unknown());

/**
 * What every GPU backend pod the actuator makes looks like (the chart renders it from
 * `rollout.kubernetes.podTemplate`). Only the model differs from one Deployment to the next.
 */
export const gpuPodTemplate = z.object({
  /** The GPU backend image (gpu/Dockerfile); empty until the chart or the operator sets it, and then the actuator refuses to start. */
  image: z.string().default(''),
  imagePullPolicy: z.enum(['Always', 'IfNotPresent', 'Never']).default('IfNotPresent'),
  imagePullSecrets: z.array(z.object({ name: z.string().min(1) })).default([]),
  /** Extra server flags after `serve --model <repo>@<digest>` (e.g. `--placement none` on H200s). */
  args: z.array(z.string()).default([]),
  /** The server's port (the image listens on 7001). */
  port: int(7001, 1, 65_535),
  /** Predictions one pod takes at once (the wan2.2 renderer takes 1). */
  maxConcurrency: int(1, 1, 64),
  resources: k8sObject.default({ limits: { 'nvidia.com/gpu': '1' } }),
  nodeSelector: z.record(z.string(), z.string()).default({}),
  tolerations: z.array(k8sObject).default([]),
  affinity: k8sObject.optional(),
  /** Hub tokens and the like: prefer `envFrom` a Secret. */
  env: z.array(k8sObject).default([]),
  envFrom: z.array(k8sObject).default([]),
  /** The weight cache: a volume source (a shared PVC, a node's NVMe as hostPath, or emptyDir) mounted where the image keeps it. */
  cache: z
    .object({
      mountPath: z.string().startsWith('/').default('/var/cache/leoma/weights'),
      volume: k8sObject.default({ emptyDir: {} }),
    })
    .default({ mountPath: '/var/cache/leoma/weights', volume: { emptyDir: {} } }),
  /** Start-up is download + load + warm-up (minutes to over half an hour): the probe allows periodSeconds × failureThreshold. */
  startupProbe: z
    .object({ periodSeconds: int(10, 1, 300), failureThreshold: int(360, 1, 10_000), timeoutSeconds: int(5, 1, 60) })
    .default({ periodSeconds: 10, failureThreshold: 360, timeoutSeconds: 5 }),
  /** preStop: wait this long for endpoints to stop routing, then until the server is no longer BUSY (or the drain deadline). */
  preStopSleepSeconds: int(10, 0, 300),
  drainSeconds: int(900, 0, 7_200),
  serviceAccountName: z.string().optional(),
  priorityClassName: z.string().optional(),
  runtimeClassName: z.string().optional(),
  podLabels: z.record(z.string(), z.string()).default({}),
  podAnnotations: z.record(z.string(), z.string()).default({}),
  securityContext: k8sObject.optional(),
  podSecurityContext: k8sObject.optional(),
});
export type GpuPodTemplate = z.infer<typeof gpuPodTemplate>;

/** KEDA ScaledObjects for the GPU Deployments, scaling each on its model's demand gauge. */
export const gpuKeda = z.object({
  enabled: z.boolean().default(false),
  /** Prometheus that scrapes the workers' /metrics. */
  serverAddress: z.string().url().default('http://prometheus-operated.monitoring.svc:9090'),
  /** Most replicas one model's Deployment may reach. */
  maxReplicaCount: int(4, 1, 1_000),
  /** Demand (queued + in flight videos) per pod slot KEDA aims for: 1 means a slot for every video. */
  demandPerSlot: z.coerce.number().positive().default(1),
  pollingInterval: int(30, 5, 3_600),
  /** GPU pods take minutes to start: scale in only after demand stayed low this long. */
  cooldownPeriod: int(1_800, 60, 86_400),
});
export type GpuKeda = z.infer<typeof gpuKeda>;

const dnsLabel = z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'must be a DNS label (lower case, digits, -; at most 63)');

export const kubernetesActuatorEnv = defineEnv('kubernetes actuator', {
  /** Namespace of the GPU backend Deployments and Services (the chart's Role grants the controller there and nowhere else). */
  KUBERNETES_GPU_NAMESPACE: dnsLabel.default('leoma-gpu'),
  KUBERNETES_GPU_POD_TEMPLATE: json(gpuPodTemplate, '{}'),
  KUBERNETES_GPU_KEDA: json(gpuKeda, '{}'),
  /** The cluster's DNS domain, for the Service URLs registered as backends. */
  KUBERNETES_CLUSTER_DOMAIN: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/)
    .default('cluster.local'),
  /** Field manager named in every write, so `kubectl get -o yaml --show-managed-fields` says who set what. */
  KUBERNETES_FIELD_MANAGER: z.string().min(1).max(128).default('leoma-rollout'),
});
