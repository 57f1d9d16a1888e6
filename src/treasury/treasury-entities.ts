import { Allocation } from './allocation.entity.js';
import { Burn } from './burn.entity.js';
import { BurnAllocation } from './burn-allocation.entity.js';
import { Funding } from './funding.entity.js';
import { BurnAnchor } from './burn-anchor.entity.js';
import { BurnPolicy } from './burn-policy.entity.js';
import { TreasuryPeriod } from './treasury-period.entity.js';

export const treasuryEntities = [Allocation, Funding, Burn, BurnAllocation, BurnPolicy, TreasuryPeriod, BurnAnchor];
