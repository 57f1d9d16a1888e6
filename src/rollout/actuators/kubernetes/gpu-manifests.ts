import { createHash } from 'node:crypto';
import type { ModelTarget, ProvisionPurpose } from '../../actuator.js';
import type { GpuKeda, GpuPodTemplate } from './kubernetes-actuator.env.js';

/** The objects the actuator writes for one model digest, as plain JSON (what goes over the wire). */
export type Manifest = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; labels: Record<string, string>; annotations: Record<string, string> };
  spec: Record<string, any>;
};

const DIGEST = /^(hf):([0-9a-f]{40})$|^(sha256):([0-9a-f]{64})$/;
export const MANAGED_BY = 'leoma-rollout';
export const PURPOSE_LABEL = 'leoma.ai/purpose';
const MODEL_LABEL = 'leoma.ai/model';

/**
 * The Deployment, Service (and ScaledObject) name for a model: readable from the digest, distinct
 * per repository, and a DNS-1035 label (Services need a leading letter; at most 63 characters):
 * `leoma-gpu-sha256-<32 hex of the digest>-<8 hex of the repo's hash>` is 58.
 */
export function backendName(target: ModelTarget): string {
  const m = DIGEST.exec(target.digest);
  if (!m) throw new Error(`not a model digest (hf:<40 hex> or sha256:<64 hex>): ${JSON.stringify(target.digest)}`);
  const [algo, hex] = m[1] ? [m[1], m[2]!] : [m[3]!, m[4]!];
  const repo = createHash('sha256').update(target.repo).digest('hex').slice(0, 8);
  return `leoma-gpu-${algo}-${hex.slice(0, 32)}-${repo}`;
}

function meta(target: ModelTarget, namespace: string, extra: Record<string, string> = {}) {
  const name = backendName(target);
  return {
    name,
    namespace,
    // Label values cannot hold `:` or `/`: the model itself goes in the annotations.
    labels: {
      'app.kubernetes.io/name': 'leoma-gpu',
      'app.kubernetes.io/component': 'gpu-backend',
      'app.kubernetes.io/managed-by': MANAGED_BY,
      [MODEL_LABEL]: name,
      ...extra,
    },
    annotations: { 'leoma.ai/model-repo': target.repo, 'leoma.ai/model-digest': target.digest },
  };
}

const selector = (name: string) => ({ 'app.kubernetes.io/name': 'leoma-gpu', [MODEL_LABEL]: name });

/**
 * The preStop drain: first a pause so the endpoints controller stops routing here, then wait while
 * the server says BUSY (a video in flight) up to the drain budget. Node runs it: the image has it.
 */
function drainScript(port: number, sleepSeconds: number, drainSeconds: number): string {
  return [
    `const until = Date.now() + ${drainSeconds * 1000};`,
    'const pause = (ms) => new Promise((r) => setTimeout(r, ms));',
    `const busy = () => fetch('http://127.0.0.1:${port}/health-check').then((r) => r.json()).then((h) => h.status === 'BUSY', () => false);`,
    `(async () => { await pause(${sleepSeconds * 1000}); while (Date.now() < until && (await busy())) await pause(2000); })();`,
  ].join(' ');
}

/**
 * One GPU server per pod, told its model by `--model repo@digest` (gpu/server fetches it by digest
 * into the cache volume, loads and warms up before /health-check says READY). The purpose label
 * sits on the Deployment only: the pod template is the same for both purposes, so a prefetched
 * model that gets crowned keeps its running pods.
 */
export function gpuDeployment(
  target: ModelTarget,
  opts: { namespace: string; replicas: number | undefined; purpose: ProvisionPurpose; template: GpuPodTemplate },
): Manifest {
  const { namespace, template: t } = opts;
  const m = meta(target, namespace, { [PURPOSE_LABEL]: opts.purpose });
  const container: Record<string, unknown> = {
    name: 'gpu',
    image: t.image,
    imagePullPolicy: t.imagePullPolicy,
    args: [
      'serve',
      '--model',
      `${target.repo}@${target.digest}`,
      '--port',
      String(t.port),
      '--cache-dir',
      t.cache.mountPath,
      '--max-concurrency',
      String(t.maxConcurrency),
      ...t.args,
    ],
    ports: [{ name: 'http', containerPort: t.port, protocol: 'TCP' }],
    env: t.env,
    envFrom: t.envFrom,
    resources: t.resources,
    volumeMounts: [{ name: 'weights', mountPath: t.cache.mountPath }],
    startupProbe: {
      httpGet: { path: '/health-check', port: 'http' },
      periodSeconds: t.startupProbe.periodSeconds,
      failureThreshold: t.startupProbe.failureThreshold,
      timeoutSeconds: t.startupProbe.timeoutSeconds,
    },
    // The health answer is 200 in every state; a failed setup shows in its JSON, which the API reads.
    livenessProbe: { httpGet: { path: '/health-check', port: 'http' }, periodSeconds: 30, failureThreshold: 5, timeoutSeconds: 5 },
    lifecycle: { preStop: { exec: { command: ['node', '-e', drainScript(t.port, t.preStopSleepSeconds, t.drainSeconds)] } } },
  };
  if (t.securityContext) container.securityContext = t.securityContext;
  const pod: Record<string, unknown> = {
    containers: [container],
    volumes: [{ name: 'weights', ...t.cache.volume }],
    nodeSelector: t.nodeSelector,
    tolerations: t.tolerations,
    imagePullSecrets: t.imagePullSecrets,
    // The drain, the pause before it and a margin for the server's own close.
    terminationGracePeriodSeconds: t.preStopSleepSeconds + t.drainSeconds + 30,
    automountServiceAccountToken: false,
  };
  for (const key of ['affinity', 'serviceAccountName', 'priorityClassName', 'runtimeClassName'] as const) if (t[key] !== undefined) pod[key] = t[key];
  if (t.podSecurityContext) pod.securityContext = t.podSecurityContext;
  const spec: Record<string, unknown> = {
    selector: { matchLabels: selector(m.name) },
    // One pod at a time, the new one READY first: a GPU box is never left without its model by an update.
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
    template: {
      metadata: {
        labels: { ...t.podLabels, ...selector(m.name), 'app.kubernetes.io/component': 'gpu-backend' },
        annotations: { ...t.podAnnotations, ...m.annotations },
      },
      spec: pod,
    },
  };
  // With KEDA on, its HPA owns the count once the Deployment exists (see KubernetesActuator).
  if (opts.replicas !== undefined) spec.replicas = opts.replicas;
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: m, spec };
}

export function gpuService(target: ModelTarget, opts: { namespace: string; template: GpuPodTemplate }): Manifest {
  const m = meta(target, opts.namespace);
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: m,
    spec: { type: 'ClusterIP', selector: selector(m.name), ports: [{ name: 'http', port: opts.template.port, targetPort: 'http', protocol: 'TCP' }] },
  };
}

/**
 * Scales a model's Deployment on its demand (queued + in flight videos, `leoma_model_demand`)
 * per pod slot. Never below `minReplicas`: a served king keeps at least one pod whatever the demand.
 */
export function gpuScaledObject(target: ModelTarget, opts: { namespace: string; minReplicas: number; template: GpuPodTemplate; keda: GpuKeda }): Manifest {
  const m = meta(target, opts.namespace);
  const model = `${target.repo}@${target.digest}`.replace(/["\\]/g, '');
  return {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: m,
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: m.name },
      minReplicaCount: opts.minReplicas,
      maxReplicaCount: Math.max(opts.minReplicas, opts.keda.maxReplicaCount),
      pollingInterval: opts.keda.pollingInterval,
      cooldownPeriod: opts.keda.cooldownPeriod,
      triggers: [
        {
          type: 'prometheus',
          metricType: 'AverageValue',
          metadata: {
            serverAddress: opts.keda.serverAddress,
            // Every worker reports the same value: max, not sum. The target per pod is its slots × demandPerSlot.
            query: `max(leoma_model_demand{model="${model}"})`,
            threshold: String(opts.template.maxConcurrency * opts.keda.demandPerSlot),
          },
        },
      ],
    },
  };
}
