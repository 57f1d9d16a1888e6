import { Allocation } from './allocation.entity.js';
import { Burn } from './burn.entity.js';
import { BurnAllocation } from './burn-allocation.entity.js';
import { Funding } from './funding.entity.js';

export const treasuryEntities = [Allocation, Funding, Burn, BurnAllocation];
