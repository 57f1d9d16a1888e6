import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { KubeConfig } from '@kubernetes/client-node';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Service } from 'kubernetes-models/v1/Service';
import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';
import { FakeKubeApi } from '../support/fake-kube-api.js';
import { createKubernetesActuator, KubernetesActuatorError, type KubernetesActuator } from '../../src/rollout/actuators/kubernetes/kubernetes-actuator.js';
import { backendName, gpuDeployment, gpuScaledObject, gpuService } from '../../src/rollout/actuators/kubernetes/gpu-manifests.js';
import { gpuKeda, gpuPodTemplate, kubernetesActuatorEnv } from '../../src/rollout/actuators/kubernetes/kubernetes-actuator.env.js';
import { prefetchChallengers } from '../../src/rollout/actuators/kubernetes/prefetch.js';

const KING = { repo: 'leoma/wan2.2-i2v-a14b-diffusers', digest: 'sha256:79e4cc89edd935e8ea843ae2bd80fb85d3444128bb946990109a33ffafb2184e' };
const HF = { repo: 'miner/wan-ft', digest: 'hf:0123456789abcdef0123456789abcdef01234567' };
const challenger = (n: number) => ({ repo: `miner${n}/wan-ft`, digest: `sha256:${String(n).repeat(64).slice(0, 64)}` });
const NS = 'leoma-gpu';
const DEPLOYMENTS = `/apis/apps/v1/namespaces/${NS}/deployments`;
const SERVICES = `/api/v1/namespaces/${NS}/services`;
const SCALED = `/apis/keda.sh/v1alpha1/namespaces/${NS}/scaledobjects`;
const TEMPLATE = {
  image: `ghcr.io/leoma/leoma-gpu@sha256:${'a'.repeat(64)}`,
  args: ['--placement', 'model'],
  resources: { limits: { 'nvidia.com/gpu': '1', memory: '160Gi' }, requests: { cpu: '8', memory: '140Gi' } },
  nodeSelector: { 'nvidia.com/gpu.product': 'NVIDIA-H100-80GB-HBM3' },
  tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
  envFrom: [{ secretRef: { name: 'leoma-hub-tokens' } }],
  cache: { volume: { persistentVolumeClaim: { claimName: 'leoma-weights' } } },
};

const fake = new FakeKubeApi();
const saved = { ...process.env };

function kubeConfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'fake', server: fake.url, skipTLSVerify: true }],
    users: [{ name: 'controller', token: 'sa-token' }],
    contexts: [{ name: 'fake', cluster: 'fake', user: 'controller' }],
    currentContext: 'fake',
  });
  return kc;
}

async function actuator(keda?: object): Promise<KubernetesActuator> {
  process.env.KUBERNETES_GPU_NAMESPACE = NS;
  process.env.KUBERNETES_GPU_POD_TEMPLATE = JSON.stringify(TEMPLATE);
  process.env.KUBERNETES_GPU_KEDA = JSON.stringify(keda ?? {});
  kubernetesActuatorEnv.reload();
  return createKubernetesActuator(kubeConfig());
}

beforeAll(async () => {
  await fake.start();
});
afterAll(async () => {
  process.env = saved;
  kubernetesActuatorEnv.reload();
  await fake.stop();
});
beforeEach(() => {
  fake.requests.length = 0;
  fake.objects.clear();
  fake.beforeCreate = undefined;
});

describe('the Kubernetes actuator against a Kubernetes API server', () => {
  it('creates a Service and a Deployment for the digest and returns the Service URL as the backend', async () => {
    const act = await actuator();
    const backends = await act.provision(KING, { replicas: 2, purpose: 'serve' });
    const name = backendName(KING);
    expect(fake.calls()).toEqual([`POST ${SERVICES}`, `POST ${DEPLOYMENTS}`]);
    for (const r of fake.requests) {
      expect(r.authorization).toBe('Bearer sa-token');
      expect(r.query.fieldManager).toBe('leoma-rollout');
    }
    expect(backends).toEqual([{ name, url: `http://${name}.${NS}.svc.cluster.local:7001`, maxConcurrency: 2 }]);

    const dep = fake.requests[1]!.body;
    expect(dep.metadata).toMatchObject({
      name,
      namespace: NS,
      labels: { 'leoma.ai/purpose': 'serve', 'app.kubernetes.io/managed-by': 'leoma-rollout' },
      annotations: { 'leoma.ai/model-repo': KING.repo, 'leoma.ai/model-digest': KING.digest },
    });
    expect(dep.spec.replicas).toBe(2);
    const pod = dep.spec.template.spec;
    const c = pod.containers[0];
    // The server is told its model the way gpu/server reads it, and caches it on the volume.
    expect(c.args.slice(0, 3)).toEqual(['serve', '--model', `${KING.repo}@${KING.digest}`]);
    expect(c.args).toEqual(expect.arrayContaining(['--cache-dir', '/var/cache/leoma/weights', '--placement', 'model']));
    expect(c.image).toBe(TEMPLATE.image);
    expect(c.resources).toEqual(TEMPLATE.resources);
    expect(c.envFrom).toEqual(TEMPLATE.envFrom);
    expect(pod.nodeSelector).toEqual(TEMPLATE.nodeSelector);
    expect(pod.tolerations).toEqual(TEMPLATE.tolerations);
    expect(pod.volumes).toEqual([{ name: 'weights', persistentVolumeClaim: { claimName: 'leoma-weights' } }]);
    expect(c.volumeMounts).toEqual([{ name: 'weights', mountPath: '/var/cache/leoma/weights' }]);
    // A download + load + warm-up fits in the start-up budget (an hour by default).
    expect(c.startupProbe.httpGet).toEqual({ path: '/health-check', port: 'http' });
    expect(c.startupProbe.periodSeconds * c.startupProbe.failureThreshold).toBeGreaterThanOrEqual(3600);
    expect(c.lifecycle.preStop.exec.command.slice(0, 2)).toEqual(['node', '-e']);
    expect(c.lifecycle.preStop.exec.command[2]).toContain("h.status === 'BUSY'");
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(900 + 10);
    expect(dep.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'leoma-gpu', 'leoma.ai/model': name });
    expect(pod).not.toHaveProperty('metadata');
    expect(dep.spec.template.metadata.labels).toMatchObject(dep.spec.selector.matchLabels);
    expect(dep.spec.template.metadata.labels).not.toHaveProperty('leoma.ai/purpose');

    const svc = fake.requests[0]!.body;
    expect(svc.spec).toEqual({
      type: 'ClusterIP',
      selector: dep.spec.selector.matchLabels,
      ports: [{ name: 'http', port: 7001, targetPort: 'http', protocol: 'TCP' }],
    });
  });

  it('changes nothing on a second identical call: 409 on create, then a merge patch that leaves the objects as they were', async () => {
    const act = await actuator();
    const first = await act.provision(KING, { replicas: 2, purpose: 'serve' });
    const before = structuredClone([...fake.objects.entries()]);
    fake.requests.length = 0;
    expect(await act.provision(KING, { replicas: 2, purpose: 'serve' })).toEqual(first);
    const name = backendName(KING);
    expect(fake.calls()).toEqual([
      `POST ${SERVICES}`,
      `PATCH ${SERVICES}/${name}`,
      `POST ${DEPLOYMENTS}`,
      `GET ${DEPLOYMENTS}/${name}`,
      `PATCH ${DEPLOYMENTS}/${name}`,
    ]);
    for (const r of fake.requests.filter((r) => r.method === 'PATCH')) expect(r.contentType).toBe('application/merge-patch+json');
    expect([...fake.objects.entries()]).toEqual(before);
  });

  it('loses a create race to another controller and patches the rival object to what it asks', async () => {
    const act = await actuator();
    const name = backendName(KING);
    fake.beforeCreate = (collection, body) => {
      if (collection === DEPLOYMENTS)
        fake.objects.set(`${DEPLOYMENTS}/${name}`, {
          ...structuredClone(body),
          metadata: { ...body.metadata, resourceVersion: '7' },
          spec: { ...body.spec, replicas: 5 },
        });
    };
    expect(await act.provision(KING, { replicas: 1, purpose: 'serve' })).toEqual([expect.objectContaining({ name, maxConcurrency: 1 })]);
    expect(fake.calls()).toContain(`PATCH ${DEPLOYMENTS}/${name}`);
    expect(fake.objects.get(`${DEPLOYMENTS}/${name}`).spec.replicas).toBe(1);
  });

  it('reports any other API failure as a KubernetesActuatorError with the status', async () => {
    const act = await actuator();
    fake.failNext('POST', '/deployments', 500);
    const err = await act.provision(KING, { replicas: 1, purpose: 'serve' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KubernetesActuatorError);
    expect((err as KubernetesActuatorError).status).toBe(500);
    fake.failNext('DELETE', `/services/${backendName(KING)}`, 403);
    await expect(act.retire(KING)).rejects.toThrow(/delete Service .* \(HTTP 403\)/);
    await expect(act.provision(KING, { replicas: 0, purpose: 'serve' })).rejects.toThrow(/at least one replica/);
  });

  it('crowns a prefetched model without restarting its pods, and a prefetch never demotes a served model', async () => {
    const act = await actuator();
    const name = backendName(HF);
    await act.provision(HF, { replicas: 1, purpose: 'prefetch' });
    const prefetched = structuredClone(fake.objects.get(`${DEPLOYMENTS}/${name}`));
    expect(prefetched.metadata.labels['leoma.ai/purpose']).toBe('prefetch');

    await act.provision(HF, { replicas: 2, purpose: 'serve' });
    const served = fake.objects.get(`${DEPLOYMENTS}/${name}`);
    expect(served.metadata.labels['leoma.ai/purpose']).toBe('serve');
    expect(served.spec.replicas).toBe(2);
    // The pod template is what makes Kubernetes replace pods: unchanged, the warm pod stays.
    expect(served.spec.template).toEqual(prefetched.spec.template);

    fake.requests.length = 0;
    expect(await act.provision(HF, { replicas: 1, purpose: 'prefetch' })).toEqual([expect.objectContaining({ name, maxConcurrency: 2 })]);
    expect(fake.calls().filter((c) => c.startsWith('PATCH') && c.includes('/deployments/'))).toEqual([]);
    expect(fake.objects.get(`${DEPLOYMENTS}/${name}`).metadata.labels['leoma.ai/purpose']).toBe('serve');
  });

  it('retires by deleting the Deployment and the Service, and a second retire finds nothing to do', async () => {
    const act = await actuator();
    await act.provision(KING, { replicas: 1, purpose: 'serve' });
    fake.requests.length = 0;
    await act.retire(KING);
    const name = backendName(KING);
    expect(fake.calls()).toEqual([`DELETE ${DEPLOYMENTS}/${name}`, `DELETE ${SERVICES}/${name}`]);
    expect(fake.objects.size).toBe(0);
    await act.retire(KING);
    expect(fake.requests.slice(2).map((r) => r.method)).toEqual(['DELETE', 'DELETE']);
  });

  it('with KEDA on: a ScaledObject per served model, at least its replicas, and the Deployment count left to KEDA afterwards', async () => {
    const act = await actuator({ enabled: true, maxReplicaCount: 6, serverAddress: 'http://prometheus.monitoring:9090' });
    const name = backendName(KING);
    await act.provision(KING, { replicas: 1, purpose: 'serve' });
    expect(fake.calls()).toEqual([`POST ${SERVICES}`, `POST ${DEPLOYMENTS}`, `POST ${SCALED}`]);
    const so = fake.objects.get(`${SCALED}/${name}`);
    expect(so.spec).toMatchObject({ scaleTargetRef: { name, kind: 'Deployment' }, minReplicaCount: 1, maxReplicaCount: 6 });
    expect(so.spec.triggers[0]).toMatchObject({
      type: 'prometheus',
      metadata: { serverAddress: 'http://prometheus.monitoring:9090', query: `max(leoma_model_demand{model="${KING.repo}@${KING.digest}"})`, threshold: '1' },
    });

    // KEDA scaled it to 4; the next reconcile must not put it back to 1.
    fake.objects.get(`${DEPLOYMENTS}/${name}`).spec.replicas = 4;
    fake.requests.length = 0;
    expect(await act.provision(KING, { replicas: 1, purpose: 'serve' })).toEqual([expect.objectContaining({ maxConcurrency: 4 })]);
    expect(fake.requests.find((r) => r.method === 'PATCH' && r.path.endsWith(`/deployments/${name}`))!.body.spec).not.toHaveProperty('replicas');
    expect(fake.objects.get(`${DEPLOYMENTS}/${name}`).spec.replicas).toBe(4);

    // A prefetch gets no autoscaler: nothing asks for it yet.
    await act.provision(HF, { replicas: 1, purpose: 'prefetch' });
    expect(fake.objects.has(`${SCALED}/${backendName(HF)}`)).toBe(false);

    fake.requests.length = 0;
    await act.retire(KING);
    expect(fake.calls()[0]).toBe(`DELETE ${SCALED}/${name}`);
  });
});

describe('the objects the actuator writes', () => {
  const template = gpuPodTemplate.parse(TEMPLATE);
  const keda = gpuKeda.parse({ enabled: true });

  it('are valid Kubernetes objects (kubernetes-models), and the validation can fail', () => {
    for (const target of [KING, HF]) {
      expect(() => new Deployment(gpuDeployment(target, { namespace: NS, replicas: 1, purpose: 'serve', template }) as never).validate()).not.toThrow();
      expect(() =>
        new Deployment(
          gpuDeployment(target, { namespace: NS, replicas: undefined, purpose: 'prefetch', template: gpuPodTemplate.parse({ image: 'x' }) }) as never,
        ).validate(),
      ).not.toThrow();
      expect(() => new Service(gpuService(target, { namespace: NS, template }) as never).validate()).not.toThrow();
      expect(() => new ScaledObject(gpuScaledObject(target, { namespace: NS, minReplicas: 1, template, keda }) as never).validate()).not.toThrow();
    }
    const broken = gpuDeployment(KING, { namespace: NS, replicas: 1, purpose: 'serve', template });
    broken.spec.template.spec.containers[0].ports[0].containerPort = 'http';
    expect(() => new Deployment(broken as never).validate()).toThrow();
    const noTrigger = gpuScaledObject(KING, { namespace: NS, minReplicas: 1, template, keda });
    delete noTrigger.spec.triggers;
    expect(() => new ScaledObject(noTrigger as never).validate()).toThrow();
  });

  it('are named within the 63-character DNS label limit, from the digest, distinct per repository', () => {
    const dns1035 = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;
    for (const t of [KING, HF, challenger(9)]) {
      expect(backendName(t)).toMatch(dns1035);
      expect(backendName(t).length).toBeLessThanOrEqual(63);
    }
    expect(backendName(KING)).toContain('sha256-79e4cc89edd935e8ea843ae2bd80fb85');
    expect(backendName(HF)).toContain('hf-0123456789abcdef0123456789abcdef');
    expect(backendName({ ...KING, repo: 'other/fork' })).not.toBe(backendName(KING));
    expect(backendName(KING)).toBe(backendName({ ...KING }));
    for (const digest of ['sha256:XYZ', 'latest', 'hf:abc', `sha256:${'a'.repeat(63)}`])
      expect(() => backendName({ repo: 'r/x', digest })).toThrow(/not a model digest/);
  });

  it('refuses to start without the GPU image', async () => {
    process.env.KUBERNETES_GPU_POD_TEMPLATE = '{}';
    kubernetesActuatorEnv.reload();
    await expect(createKubernetesActuator(kubeConfig())).rejects.toThrow(/needs the GPU backend image/);
  });
});

describe('prefetching the challengers', () => {
  it('provisions the challengers in live_duels for prefetch, skips the kept models, and retires the ones that left', async () => {
    const act = await actuator();
    const [a, b, c, d] = [challenger(1), challenger(2), challenger(3), challenger(4)];
    const first = await prefetchChallengers({
      actuator: act,
      challengers: [KING, a, b, c],
      previous: [],
      keep: [KING],
      backendsPerChallenger: 1,
      maxModels: 2,
    });
    expect(first.provisioned.map((p) => p.target)).toEqual([a, b]);
    expect(first.provisioned.every((p) => p.backends.length === 1)).toBe(true);
    expect(first.retired).toEqual([]);
    const deployments = () =>
      [...fake.objects.entries()]
        .filter(([k]) => k.startsWith(DEPLOYMENTS))
        .map(([, o]) => [o.metadata.annotations['leoma.ai/model-repo'], o.metadata.labels['leoma.ai/purpose'], o.spec.replicas]);
    expect(deployments()).toEqual([
      [a.repo, 'prefetch', 1],
      [b.repo, 'prefetch', 1],
    ]);

    // b stays a challenger, d joins, a left: a is retired, nothing for the king.
    const second = await prefetchChallengers({ actuator: act, challengers: [b, d], previous: [a, b], keep: [KING], backendsPerChallenger: 1, maxModels: 2 });
    expect(second.provisioned.map((p) => p.target)).toEqual([b, d]);
    expect(second.retired).toEqual([a]);
    expect(deployments()).toEqual([
      [b.repo, 'prefetch', 1],
      [d.repo, 'prefetch', 1],
    ]);

    // d was crowned: the controller keeps it, the prefetch leaves it alone.
    const third = await prefetchChallengers({ actuator: act, challengers: [b], previous: [b, d], keep: [d], backendsPerChallenger: 1, maxModels: 2 });
    expect(third.retired).toEqual([]);
    expect(deployments().map(([repo]) => repo)).toEqual([b.repo, d.repo]);
  });

  it('does nothing with the default of 0 backends, and retires what an earlier setting prefetched', async () => {
    const act = await actuator();
    const a = challenger(5);
    const none = await prefetchChallengers({ actuator: act, challengers: [a], previous: [], keep: [], backendsPerChallenger: 0, maxModels: 2 });
    expect(none).toEqual({ provisioned: [], retired: [] });
    expect(fake.requests).toEqual([]);
    await act.provision(a, { replicas: 1, purpose: 'prefetch' });
    const off = await prefetchChallengers({ actuator: act, challengers: [a], previous: [a], keep: [], backendsPerChallenger: 0, maxModels: 2 });
    expect(off.retired).toEqual([a]);
    expect(fake.objects.size).toBe(0);
  });
});
