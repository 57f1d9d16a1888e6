"""Frames to an H.264 MP4 at the judged frame rate, through ffmpeg."""
import subprocess

import numpy as np


def to_uint8(frame):
    """As the validators convert the pipeline's float output: scale by 255, clip, truncate."""
    arr = np.asarray(frame)
    if np.issubdtype(arr.dtype, np.floating):
        arr = np.clip(arr * 255.0, 0, 255)
    return arr.astype("uint8")


def encode_mp4(frames, path, fps, ffmpeg="ffmpeg"):
    """Writes frames (T, H, W, 3) to `path` as H.264/yuv420p; returns the frame count.

    Frames are converted one at a time: 81 frames of 832x480 float32 are 388 MB, and a whole-array
    conversion would hold that twice over.
    """
    frames = np.asarray(frames) if not hasattr(frames, "shape") else frames
    count, height, width = int(frames.shape[0]), int(frames.shape[1]), int(frames.shape[2])
    if count < 1 or frames.shape[3] != 3:
        raise ValueError(f"expected frames shaped (T, H, W, 3), got {tuple(frames.shape)}")
    command = [
        ffmpeg, "-nostdin", "-hide_banner", "-v", "error",
        "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{width}x{height}", "-r", str(fps), "-i", "pipe:0",
        "-an", "-c:v", "libx264", "-preset", "medium", "-crf", "18", "-pix_fmt", "yuv420p",
        "-movflags", "+faststart", "-y", path,
    ]
    proc = subprocess.Popen(command, stdin=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        for frame in frames:
            proc.stdin.write(to_uint8(frame).tobytes())
        proc.stdin.close()
    except BrokenPipeError:
        pass
    stderr = proc.stderr.read().decode("utf-8", "replace")
    if proc.wait() != 0:
        raise RuntimeError(f"ffmpeg failed ({proc.returncode}): {stderr.strip()[-500:]}")
    return count
