import { defineErrors } from '../platform/http/error-catalogue.js';

export const modelsErrors = defineErrors('models', {
  unsupported_by_model: {
    status: 422,
    when: 'the model serving new videos cannot do it: a resolution it lacks, a storyboard segment longer than its longest clip (or, in a batch, a size or duration it does not render itself), a `camera`, `seed` or `negative_prompt` it ignores, a longer prompt; `errors[].param` says which and `suggestion` what would work, nothing is charged',
  },
});
