import { defineErrors } from '../platform/http/error-catalogue.js';

export const backendsErrors = defineErrors('backends', {
  backend_url_forbidden: { status: 422, when: 'the backend URL resolves to link-local (cloud metadata), or outside public addresses and GPU_BACKEND_NETWORKS' },
  model_not_servable: {
    status: 422,
    when: '`model` pins a `repo@digest` no backend serves now; `pinnable` lists the models that can be pinned (or send `"winner"`)',
  },
  backend_from_config: { status: 409, when: 'the backend comes from GPU_BACKENDS and cannot be changed through the API' },
});
