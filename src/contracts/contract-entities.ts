import { ContractVersion } from './contract-version.entity.js';
import { PricePin } from './price-pin.entity.js';

export const contractEntities = [ContractVersion, PricePin];
