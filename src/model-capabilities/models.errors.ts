import { defineErrors } from '../platform/http/error-catalogue.js';

export const modelsErrors = defineErrors('models', {
  unsupported_by_model: {
    status: 422,
    when: 'the model serving new videos cannot do it: a size it lacks (Wan 2.2 has no 1:1), more frames than it makes, a `camera`, `seed` or `negative_prompt` it ignores, a longer prompt; `errors[].param` says which, nothing is charged',
  },
});
