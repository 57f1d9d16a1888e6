import { defineErrors } from '../platform/http/error-catalogue.js';

export const backendsErrors = defineErrors('backends', {
  backend_from_config: { status: 409, when: 'the backend comes from GPU_BACKENDS and cannot be changed through the API' },
});
