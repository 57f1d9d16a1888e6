import json
import os
import subprocess
import sys

from conftest import STANDIN, WORKER_DIR


def run_worker(lines, tmp_path, extra_env=None):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([os.path.abspath(STANDIN), WORKER_DIR]), **(extra_env or {}))
    proc = subprocess.run(
        [sys.executable, "-m", "leoma_worker"], input="".join(l + "\n" for l in lines),
        capture_output=True, text=True, env=env, cwd=str(tmp_path), timeout=120,
    )
    events = [json.loads(line) for line in proc.stdout.splitlines()]
    return proc, events


def test_says_hello_first_and_answers_bad_requests_without_dying(tmp_path):
    proc, events = run_worker(["{not json", "[1]", '{"op":"dance","id":"x"}', '{"op":"generate","id":"g","image_path":"i","prompt":"p","seed":1,"output_path":"o"}'], tmp_path)
    assert proc.returncode == 0
    assert events[0]["event"] == "hello" and events[0]["protocol"] == 1
    errors = events[1:]
    assert [e["event"] for e in errors] == ["error"] * 4
    assert "not JSON" in errors[0]["message"]
    assert "JSON object" in errors[1]["message"]
    assert errors[2]["message"] == "unknown op 'dance'" and errors[2]["id"] == "x"
    assert errors[3]["id"] == "g" and "no model loaded" in errors[3]["message"] and errors[3]["fatal"] is False


def test_only_protocol_lines_reach_stdout(tmp_path):
    # A library printing to stdout (a progress bar, a warning) must not corrupt the channel.
    sitecustomize = tmp_path / "noisy"
    sitecustomize.mkdir()
    (sitecustomize / "diffusers.py").write_text(
        "import sys, os\nsys.path = [p for p in sys.path if not p.endswith('noisy')]\n"
        "del sys.modules['diffusers']\nprint('Loading pipeline components...: 100%')\nos.write(1, b'raw C-level write\\n')\n"
        "import diffusers as _real\nsys.modules['diffusers'] = _real\n"
    )
    (tmp_path / "snap").mkdir()
    (tmp_path / "snap" / "model_index.json").write_text("{}")
    env = {"PYTHONPATH": os.pathsep.join([str(sitecustomize), os.path.abspath(STANDIN), WORKER_DIR])}
    proc = subprocess.run(
        [sys.executable, "-m", "leoma_worker"], input=json.dumps({"op": "load", "snapshot_dir": str(tmp_path / "snap"), "placement": "none"}) + "\n",
        capture_output=True, text=True, env=dict(os.environ, **env), timeout=120,
    )
    lines = proc.stdout.splitlines()
    assert [json.loads(l)["event"] for l in lines] == ["hello", "loaded"], proc.stdout + proc.stderr
    assert "raw C-level write" in proc.stderr


def test_a_cancel_that_overtakes_its_generate_request_still_cancels_it(tmp_path):
    (tmp_path / "snap").mkdir()
    (tmp_path / "snap" / "model_index.json").write_text("{}")
    from PIL import Image

    Image.new("RGB", (64, 64)).save(tmp_path / "in.png")
    gen = {"op": "generate", "id": "late", "image_path": str(tmp_path / "in.png"), "prompt": "p", "negative_prompt": None, "seed": 3, "output_path": str(tmp_path / "o.mp4")}
    _, events = run_worker([
        json.dumps({"op": "load", "snapshot_dir": str(tmp_path / "snap"), "placement": "model"}),
        json.dumps({"op": "cancel", "id": "late"}),
        json.dumps(gen),
    ], tmp_path)
    assert [e["event"] for e in events] == ["hello", "loaded", "canceled"]
    assert not (tmp_path / "o.mp4").exists()
