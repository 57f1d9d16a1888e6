import { Global, Module, type Provider } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/index.js';
import { BackendFleetModule, SERVED_MODEL_SOURCE } from '../backends/index.js';
import { ModelRankingModule, ROLLOUT_VIEW, type RolloutViewSource } from '../miners/index.js';
import { MODEL_ACTUATOR, type ModelActuator } from './actuator.js';
import { AdminRolloutsController } from './admin-rollouts.controller.js';
import { ManualActuator } from './manual-actuator.js';
import { createKubernetesActuator } from './actuators/kubernetes/kubernetes-actuator.js';
import { OperatorNoticeRelay } from './operator-notice-relay.service.js';
import { rolloutEntities } from './rollout-entities.js';
import { RolloutController } from './rollout-controller.service.js';
import { RolloutWorld } from './rollout-world.js';
import { RolloutService } from './rollout.service.js';
import { rolloutEnv } from './rollout.env.js';

const rolloutView = (rollouts: RolloutService): RolloutViewSource => ({
  view: async () => ({ served: await rollouts.served(), rollouts: await rollouts.list() }),
  retained: () => rollouts.retained(),
});

/**
 * The served model and the rollout state, for every role: dispatch (worker) asks it which model
 * "winner" videos go to, `GET /v1/models` (api) shows it. Global because backends and miners
 * declare the ports it fills and cannot import rollout/ (rollout reads them).
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature(rolloutEntities), AuditModule, BackendFleetModule],
  providers: [
    RolloutService,
    { provide: SERVED_MODEL_SOURCE, useExisting: RolloutService },
    { provide: ROLLOUT_VIEW, useFactory: rolloutView, inject: [RolloutService] },
  ],
  exports: [RolloutService, SERVED_MODEL_SOURCE, ROLLOUT_VIEW],
})
export class RolloutReadModule {}

/** The `api` side: the operators' rollout API. */
@Module({ imports: [RolloutReadModule], controllers: [AdminRolloutsController] })
export class RolloutModule {}

/** ROLLOUT_ACTUATOR picks what makes GPU backends for a digest. */
const actuator: Provider = {
  provide: MODEL_ACTUATOR,
  useFactory: async (): Promise<ModelActuator> => (rolloutEnv.get().ROLLOUT_ACTUATOR === 'kubernetes' ? createKubernetesActuator() : new ManualActuator()),
};

/** The `worker` side: the reconcile loop (one pass at a time across replicas) and the operator notices. */
@Module({
  imports: [TypeOrmModule.forFeature(rolloutEntities), RolloutReadModule, ModelRankingModule, BackendFleetModule],
  providers: [actuator, RolloutWorld, RolloutController, OperatorNoticeRelay],
  exports: [RolloutController],
})
export class RolloutWorkerModule {}
