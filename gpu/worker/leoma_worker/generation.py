"""Loading the king's pipeline and running the validators' call, with torch and diffusers
imported only here, when a model is loaded."""
import gc
import os
import time

from . import spec

# Messages of errors after which the CUDA context cannot be trusted: the process must go (the
# server restarts it). An out-of-memory error is not one of them.
_POISONED_MARKERS = (
    "CUDA error",
    "illegal memory access",
    "device-side assert",
    "CUBLAS_STATUS",
    "CUDNN_STATUS",
    "unspecified launch failure",
    "CUDA driver",
    "ECC error",
)


class Canceled(Exception):
    """The job was canceled between denoising steps."""


class InputError(Exception):
    """The job's input (its image) cannot be used; the job's fault, not the worker's."""


def poisons_context(err):
    if type(err).__name__ == "OutOfMemoryError":
        return False
    text = f"{type(err).__name__}: {err}"
    return any(marker in text for marker in _POISONED_MARKERS)


def apply_determinism(torch):
    """The validators' determinism flags (leoma/eval/determinism.py)."""
    torch.backends.cudnn.benchmark = False
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    torch.backends.cudnn.deterministic = True
    # warn_only, as the validators: a few diffusers ops have no deterministic kernel.
    torch.use_deterministic_algorithms(True, warn_only=True)


def load_pipeline(snapshot_dir, placement):
    if placement not in spec.PLACEMENTS:
        raise ValueError(f"placement must be one of {spec.PLACEMENTS}, got {placement!r}")
    os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", spec.CUBLAS_WORKSPACE_CONFIG)
    import torch
    import diffusers

    pipeline_cls = getattr(diffusers, spec.PIPELINE_CLASS, None)
    if pipeline_cls is None:
        raise RuntimeError(
            f"diffusers {getattr(diffusers, '__version__', '?')} has no {spec.PIPELINE_CLASS}; "
            "install the pinned diffusers 0.35.2 rather than falling back to another pipeline"
        )
    if not torch.cuda.is_available():
        raise RuntimeError("no CUDA device: Wan 2.2 is only served on a GPU")
    apply_determinism(torch)
    pipe = pipeline_cls.from_pretrained(snapshot_dir, torch_dtype=getattr(torch, spec.TORCH_DTYPE))
    if placement == "model":
        pipe.enable_model_cpu_offload()
    else:
        pipe = pipe.to("cuda")
    return pipe


def release_pipeline(pipe):
    """Frees a pipeline's VRAM (a new king replaces the old one in the same worker)."""
    if pipe is None:
        return
    try:
        if hasattr(pipe, "remove_all_hooks"):
            pipe.remove_all_hooks()
        pipe.to("cpu")
    except Exception:  # noqa: BLE001 - a failed move must not mask why we are releasing
        pass
    del pipe
    gc.collect()
    try:
        import torch

        if torch.cuda.is_available():
            torch.cuda.empty_cache()
    except Exception:  # noqa: BLE001
        pass


def open_image(path):
    from PIL import Image

    try:
        with Image.open(path) as img:
            # The validators' resize: plain, no crop, whatever the aspect ratio.
            return img.convert("RGB").resize((spec.WIDTH, spec.HEIGHT))
    except (OSError, ValueError, Image.DecompressionBombError) as err:
        raise InputError(f"image cannot be decoded: {err}") from err


def generate(pipe, image_path, prompt, negative_prompt, seed, on_step, canceled):
    """Runs the judged call; returns (frames (T, H, W, 3), seconds, peak VRAM bytes or None).

    `canceled` is a threading.Event: it is read after every denoising step, where setting the
    pipeline's interrupt flag makes diffusers skip the remaining steps.
    """
    import torch

    image = open_image(image_path)
    generator = torch.Generator(device=pipe._execution_device).manual_seed(int(seed))

    def step_end(pipeline, step, timestep, callback_kwargs):
        on_step(step + 1, spec.NUM_INFERENCE_STEPS)
        if canceled.is_set():
            pipeline._interrupt = True
        return callback_kwargs

    if torch.cuda.is_available():
        torch.cuda.reset_peak_memory_stats()
    started = time.monotonic()
    with torch.inference_mode():
        result = pipe(
            image=image,
            prompt=prompt,
            negative_prompt=spec.DEFAULT_NEGATIVE_PROMPT if negative_prompt is None else negative_prompt,
            height=spec.HEIGHT,
            width=spec.WIDTH,
            num_frames=spec.NUM_FRAMES,
            num_inference_steps=spec.NUM_INFERENCE_STEPS,
            guidance_scale=spec.GUIDANCE_SCALE,
            generator=generator,
            output_type=spec.OUTPUT_TYPE,
            callback_on_step_end=step_end,
        )
    seconds = time.monotonic() - started
    if canceled.is_set():
        raise Canceled()
    peak = int(torch.cuda.max_memory_allocated()) if torch.cuda.is_available() else None
    return result.frames[0], seconds, peak
