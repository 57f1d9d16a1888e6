"""The worker's own tests, under Debian's python3 with the stand-in torch/diffusers
(test/fixtures/wan-standin) first on the path; test/gpu/gpu-worker-pytest.test.ts runs them in CI."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
WORKER_DIR = os.path.dirname(HERE)
STANDIN = os.path.join(WORKER_DIR, "..", "..", "test", "fixtures", "wan-standin")
for path in (WORKER_DIR, os.path.abspath(STANDIN)):
    if path not in sys.path:
        sys.path.insert(0, path)
