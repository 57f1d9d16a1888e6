import type { BackendProtocol } from '../gpu-backend.entity.js';
import type { BackendAdapter } from './backend-adapter.js';
import { cogAdapter } from './cog-adapter.js';
import { generateAdapter } from './generate-adapter.js';

export const ADAPTERS: Record<BackendProtocol, BackendAdapter> = { cog: cogAdapter, generate: generateAdapter };
