import { SpendAlert, SpendAlertFiring } from './spend-alert.entity.js';
import { CreditGrant, CreditMovement } from './credit.entity.js';

export const pricingEntities = [SpendAlert, SpendAlertFiring, CreditGrant, CreditMovement];
