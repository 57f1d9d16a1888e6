import { defineErrors } from '../platform/http/error-catalogue.js';

export const backendsErrors = defineErrors('backends', {
  backend_url_forbidden: { status: 422, when: 'the backend URL resolves to link-local (cloud metadata), or outside public addresses and GPU_BACKEND_NETWORKS' },
  backend_from_config: { status: 409, when: 'the backend comes from GPU_BACKENDS and cannot be changed through the API' },
});
