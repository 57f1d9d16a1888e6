"""`python -m leoma_worker`: serve load/generate/cancel requests on stdin, one at a time.

Requests (one JSON object a line):
  {"op": "load", "snapshot_dir": str, "placement": "none" | "model"}
  {"op": "generate", "id": str, "image_path": str, "prompt": str, "negative_prompt": str | null,
   "seed": int, "output_path": str}
  {"op": "cancel", "id": str}        honoured between denoising steps
  {"op": "shutdown"}                 (or end of stdin)
Events:
  {"event": "hello", "protocol": 1, "pid": int}
  {"event": "loaded", "seconds": float}
  {"event": "progress", "id", "step", "total"}
  {"event": "done", "id", "frames", "seconds", "encode_seconds", "peak_vram_bytes"}
  {"event": "canceled", "id"}
  {"event": "error", "id"?, "op", "message", "kind": "input" | "worker", "fatal": bool}
A fatal error (a poisoned CUDA context) is reported, then the worker exits: its GPU state cannot
be trusted, and only a new process gets a clean one.
"""
import os
import queue
import sys
import threading
import time
import traceback

from . import PROTOCOL_VERSION, spec
from .encode import encode_mp4
from .generation import Canceled, InputError, generate, load_pipeline, poisons_context, release_pipeline
from .protocol import Channel, read_messages

EXIT_POISONED = 70


def main():
    channel = Channel()
    work = queue.Queue()
    state = {"current": None, "canceled_ids": set()}
    state_lock = threading.Lock()
    cancel_event = threading.Event()

    def read_stdin():
        for message in read_messages(sys.stdin):
            if message.get("op") == "cancel":
                with state_lock:
                    if message.get("id") == state["current"]:
                        cancel_event.set()
                    else:
                        # A cancel that overtakes its generate request still cancels it.
                        state["canceled_ids"].add(message.get("id"))
            else:
                work.put(message)
        work.put({"op": "shutdown"})

    threading.Thread(target=read_stdin, name="stdin", daemon=True).start()
    channel.send("hello", protocol=PROTOCOL_VERSION, pid=os.getpid())

    pipe = None
    while True:
        message = work.get()
        op = message.get("op")
        job_id = message.get("id")
        if op == "shutdown":
            break
        try:
            if op == "load":
                started = time.monotonic()
                release_pipeline(pipe)
                pipe = None
                pipe = load_pipeline(message["snapshot_dir"], message.get("placement", "none"))
                channel.send("loaded", seconds=time.monotonic() - started)
            elif op == "generate":
                if pipe is None:
                    raise RuntimeError("no model loaded")
                with state_lock:
                    state["current"] = job_id
                    cancel_event.clear()
                    if job_id in state["canceled_ids"]:
                        state["canceled_ids"].discard(job_id)
                        cancel_event.set()
                try:
                    if cancel_event.is_set():
                        raise Canceled()
                    frames, seconds, peak = generate(
                        pipe,
                        message["image_path"],
                        message["prompt"],
                        message.get("negative_prompt"),
                        message["seed"],
                        lambda step, total: channel.send("progress", id=job_id, step=step, total=total),
                        cancel_event,
                    )
                    encode_started = time.monotonic()
                    count = encode_mp4(frames, message["output_path"], spec.FPS)
                    channel.send(
                        "done", id=job_id, frames=count, seconds=seconds,
                        encode_seconds=time.monotonic() - encode_started, peak_vram_bytes=peak,
                    )
                finally:
                    with state_lock:
                        state["current"] = None
            elif op == "_invalid":
                channel.send("error", op=op, message=message["error"], kind="worker", fatal=False)
            else:
                channel.send("error", id=job_id, op=op, message=f"unknown op {op!r}", kind="worker", fatal=False)
        except Canceled:
            channel.send("canceled", id=job_id)
        except InputError as err:
            channel.send("error", id=job_id, op=op, message=str(err), kind="input", fatal=False)
        except Exception as err:  # noqa: BLE001 - every failure is reported, none kills the loop silently
            traceback.print_exc(file=sys.stderr)
            fatal = poisons_context(err)
            channel.send("error", id=job_id, op=op, message=f"{type(err).__name__}: {err}", kind="worker", fatal=fatal)
            if fatal:
                sys.stderr.flush()
                os._exit(EXIT_POISONED)
    release_pipeline(pipe)


if __name__ == "__main__":
    main()
