import type { AppsV1Api, CoreV1Api, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import type { ActuatorBackend, ModelActuator, ModelTarget, ProvisionPurpose } from '../../actuator.js';
import { backendName, gpuDeployment, gpuScaledObject, gpuService, PURPOSE_LABEL, type Manifest } from './gpu-manifests.js';
import { kubernetesActuatorEnv, type GpuKeda, type GpuPodTemplate } from './kubernetes-actuator.env.js';

export interface KubernetesActuatorSettings {
  namespace: string;
  template: GpuPodTemplate;
  keda: GpuKeda;
  clusterDomain: string;
  fieldManager: string;
}

/** A Kubernetes API call that failed for another reason than the ones the actuator expects (409 on create, 404 on delete). */
export class KubernetesActuatorError extends Error {
  constructor(
    action: string,
    readonly status: number | undefined,
    cause: unknown,
  ) {
    super(`kubernetes: ${action} failed${status ? ` (HTTP ${status})` : ''}: ${(cause as Error).message ?? String(cause)}`, { cause });
    this.name = 'KubernetesActuatorError';
  }
}

type Clients = { apps: AppsV1Api; core: CoreV1Api; custom: CustomObjectsApi; mergePatch: object };
const KEDA = { group: 'keda.sh', version: 'v1alpha1', plural: 'scaledobjects' } as const;

const statusOf = (e: unknown): number | undefined => (typeof (e as { code?: unknown }).code === 'number' ? (e as { code: number }).code : undefined);

/**
 * One Deployment + Service per model digest in the GPU namespace, written create-then-patch so a
 * reconcile that runs twice (or two controllers racing) ends in the same objects: a 409 on create
 * means the object exists, and the patch brings it to what is asked. Only the Service URL is
 * registered: Kubernetes spreads calls over the pods, and the backend's slots are all of theirs.
 */
export class KubernetesActuator implements ModelActuator {
  readonly kind = 'kubernetes' as const;

  constructor(
    private readonly k8s: Clients,
    private readonly settings: KubernetesActuatorSettings,
  ) {
    if (!settings.template.image)
      throw new Error(
        'the kubernetes actuator needs the GPU backend image: set `image` in KUBERNETES_GPU_POD_TEMPLATE (chart: rollout.kubernetes.podTemplate.image)',
      );
  }

  async provision(target: ModelTarget, opts: { replicas: number; purpose: ProvisionPurpose }): Promise<ActuatorBackend[]> {
    if (!Number.isInteger(opts.replicas) || opts.replicas < 1) throw new Error(`provision needs at least one replica, got ${opts.replicas}`);
    const { namespace, template, keda } = this.settings;
    await this.apply(gpuService(target, { namespace, template }), 'Service');
    const replicas = await this.applyDeployment(target, opts);
    // A prefetched model scales by what it was asked; a served one by its demand, never below what was asked.
    if (keda.enabled && opts.purpose === 'serve')
      await this.apply(gpuScaledObject(target, { namespace, minReplicas: opts.replicas, template, keda }), 'ScaledObject');
    return [this.backend(target, replicas)];
  }

  async retire(target: ModelTarget): Promise<void> {
    const name = backendName(target);
    const { namespace } = this.settings;
    // The autoscaler first, or it could scale up what is being removed.
    if (this.settings.keda.enabled) await this.remove(`ScaledObject ${name}`, () => this.k8s.custom.deleteNamespacedCustomObject({ ...KEDA, namespace, name }));
    await this.remove(`Deployment ${name}`, () => this.k8s.apps.deleteNamespacedDeployment({ name, namespace }));
    await this.remove(`Service ${name}`, () => this.k8s.core.deleteNamespacedService({ name, namespace }));
  }

  /** Returns the replica count the Deployment ends with. */
  private async applyDeployment(target: ModelTarget, opts: { replicas: number; purpose: ProvisionPurpose }): Promise<number> {
    const { namespace, template, keda } = this.settings;
    const name = backendName(target);
    const fresh = gpuDeployment(target, { namespace, template, purpose: opts.purpose, replicas: opts.replicas });
    if (await this.create(fresh, 'Deployment')) return opts.replicas;
    const existing = await this.call(`read Deployment ${name}`, () => this.k8s.apps.readNamespacedDeployment({ name, namespace }));
    const current = existing.spec?.replicas ?? opts.replicas;
    // A prefetch never demotes a model already serving (or standing by for rollback) nor takes its pods away.
    if (opts.purpose === 'prefetch' && existing.metadata?.labels?.[PURPOSE_LABEL] === 'serve') return current;
    // KEDA's HPA owns a served model's count: writing replicas here would fight it.
    const ownedByKeda = keda.enabled && existing.metadata?.labels?.[PURPOSE_LABEL] === 'serve';
    const replicas = ownedByKeda ? undefined : opts.replicas;
    await this.patch(gpuDeployment(target, { namespace, template, purpose: opts.purpose, replicas }), 'Deployment');
    return replicas ?? Math.max(current, opts.replicas);
  }

  private async apply(manifest: Manifest, kind: 'Service' | 'ScaledObject'): Promise<void> {
    if (!(await this.create(manifest, kind))) await this.patch(manifest, kind);
  }

  /** False when the object already exists (409). */
  private async create(manifest: Manifest, kind: 'Deployment' | 'Service' | 'ScaledObject'): Promise<boolean> {
    const { namespace, fieldManager } = this.settings;
    const body = manifest as never;
    try {
      if (kind === 'Deployment') await this.k8s.apps.createNamespacedDeployment({ namespace, body, fieldManager });
      else if (kind === 'Service') await this.k8s.core.createNamespacedService({ namespace, body, fieldManager });
      else await this.k8s.custom.createNamespacedCustomObject({ ...KEDA, namespace, body, fieldManager });
      return true;
    } catch (e) {
      if (statusOf(e) === 409) return false;
      throw new KubernetesActuatorError(`create ${kind} ${manifest.metadata.name}`, statusOf(e), e);
    }
  }

  /**
   * A JSON merge patch of the whole desired object: lists (containers, tolerations) are replaced,
   * not merged by name, so a changed pod template takes effect as written; an unchanged one
   * changes nothing and restarts no pod.
   */
  private async patch(manifest: Manifest, kind: 'Deployment' | 'Service' | 'ScaledObject'): Promise<void> {
    const { namespace, fieldManager } = this.settings;
    const { name } = manifest.metadata;
    const body = { metadata: { labels: manifest.metadata.labels, annotations: manifest.metadata.annotations }, spec: manifest.spec };
    await this.call(`patch ${kind} ${name}`, () => {
      if (kind === 'Deployment') return this.k8s.apps.patchNamespacedDeployment({ name, namespace, body, fieldManager }, this.k8s.mergePatch);
      if (kind === 'Service') return this.k8s.core.patchNamespacedService({ name, namespace, body, fieldManager }, this.k8s.mergePatch);
      return this.k8s.custom.patchNamespacedCustomObject({ ...KEDA, name, namespace, body, fieldManager }, this.k8s.mergePatch);
    });
  }

  private async remove(what: string, del: () => Promise<unknown>): Promise<void> {
    try {
      await del();
    } catch (e) {
      if (statusOf(e) !== 404) throw new KubernetesActuatorError(`delete ${what}`, statusOf(e), e);
    }
  }

  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw new KubernetesActuatorError(what, statusOf(e), e);
    }
  }

  private backend(target: ModelTarget, replicas: number): ActuatorBackend {
    const name = backendName(target);
    const { namespace, clusterDomain, template } = this.settings;
    return { name, url: `http://${name}.${namespace}.svc.${clusterDomain}:${template.port}`, maxConcurrency: replicas * template.maxConcurrency };
  }
}

/**
 * The actuator with this process's settings. @kubernetes/client-node is loaded here, on first
 * use, so processes that run the manual actuator never load it. Without `kubeConfig` it reads the
 * pod's ServiceAccount (in a cluster) or KUBECONFIG / ~/.kube/config.
 */
export async function createKubernetesActuator(kubeConfig?: KubeConfig): Promise<KubernetesActuator> {
  const k8s = await import('@kubernetes/client-node');
  const env = kubernetesActuatorEnv.get();
  const kc = kubeConfig ?? new k8s.KubeConfig();
  if (!kubeConfig) kc.loadFromDefault();
  const clients: Clients = {
    apps: kc.makeApiClient(k8s.AppsV1Api),
    core: kc.makeApiClient(k8s.CoreV1Api),
    custom: kc.makeApiClient(k8s.CustomObjectsApi),
    mergePatch: k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
  };
  return new KubernetesActuator(clients, {
    namespace: env.KUBERNETES_GPU_NAMESPACE,
    template: env.KUBERNETES_GPU_POD_TEMPLATE,
    keda: env.KUBERNETES_GPU_KEDA,
    clusterDomain: env.KUBERNETES_CLUSTER_DOMAIN,
    fieldManager: env.KUBERNETES_FIELD_MANAGER,
  });
}
