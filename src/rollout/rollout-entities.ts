import { ModelRollout } from './model-rollout.entity.js';
import { OperatorNotice } from './operator-notice.entity.js';

export const rolloutEntities = [ModelRollout, OperatorNotice];
