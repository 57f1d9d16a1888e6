"""The generation the subnet's validators judged (shared serving facts; leoma/eval/video_runner.py
and leoma/eval/determinism.py): every value here is what they pass, and nothing else is passed."""

PIPELINE_CLASS = "WanImageToVideoPipeline"
TORCH_DTYPE = "bfloat16"
WIDTH = 832
HEIGHT = 480
NUM_FRAMES = 81
FPS = 16
NUM_INFERENCE_STEPS = 30
GUIDANCE_SCALE = 5.0
DEFAULT_NEGATIVE_PROMPT = "low quality, blurry, distorted"
OUTPUT_TYPE = "np"
# Placement: "none" keeps the whole pipeline resident (an H200 holds it); "model" is diffusers'
# model CPU offload, the subnet's pinned setting for H100s (80 GB leaves too little for activations).
PLACEMENTS = ("none", "model")
# cuBLAS reads this when the CUDA context is created; set after that it is silently ignored.
CUBLAS_WORKSPACE_CONFIG = ":4096:8"
