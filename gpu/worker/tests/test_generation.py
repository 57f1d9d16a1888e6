import threading

import pytest

from leoma_worker import spec
from leoma_worker.generation import InputError, generate, load_pipeline, open_image, poisons_context


class OutOfMemoryError(RuntimeError):
    pass


@pytest.mark.parametrize("err, fatal", [
    (RuntimeError("CUDA error: an illegal memory access was encountered"), True),
    (RuntimeError("CUDA error: device-side assert triggered"), True),
    (RuntimeError("CUBLAS_STATUS_EXECUTION_FAILED when calling cublasGemmEx"), True),
    (OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB"), False),
    (ValueError("prompt too long"), False),
])
def test_only_errors_that_poison_the_cuda_context_are_fatal(err, fatal):
    assert poisons_context(err) is fatal


def test_the_judged_values():
    assert (spec.WIDTH, spec.HEIGHT, spec.NUM_FRAMES, spec.FPS) == (832, 480, 81, 16)
    assert (spec.NUM_INFERENCE_STEPS, spec.GUIDANCE_SCALE, spec.OUTPUT_TYPE) == (30, 5.0, "np")
    assert spec.DEFAULT_NEGATIVE_PROMPT == "low quality, blurry, distorted"
    assert spec.PIPELINE_CLASS == "WanImageToVideoPipeline" and spec.TORCH_DTYPE == "bfloat16"


def test_an_unknown_placement_is_refused(tmp_path):
    with pytest.raises(ValueError, match="placement"):
        load_pipeline(str(tmp_path), "sequential")


def test_an_undecodable_image_is_the_inputs_fault(tmp_path):
    bad = tmp_path / "bad"
    bad.write_bytes(b"not an image")
    with pytest.raises(InputError, match="cannot be decoded"):
        open_image(str(bad))


def test_a_cancel_set_before_the_first_step_interrupts_at_once(tmp_path):
    from PIL import Image

    (tmp_path / "model_index.json").write_text("{}")
    Image.new("RGBA", (100, 50)).save(tmp_path / "in.png")
    pipe = load_pipeline(str(tmp_path), "none")
    steps = []
    canceled = threading.Event()
    canceled.set()
    from leoma_worker.generation import Canceled

    with pytest.raises(Canceled):
        generate(pipe, str(tmp_path / "in.png"), "p", None, 1, lambda s, t: steps.append(s), canceled)
    # The callback runs after the first step and sets the flag; diffusers skips the other 29.
    assert steps == [1]
    assert pipe.interrupt is True
