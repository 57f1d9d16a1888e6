import json
import subprocess

import numpy as np

from leoma_worker.encode import encode_mp4, to_uint8


def test_to_uint8_scales_clips_and_truncates_like_the_validators():
    frame = np.array([[[-0.5, 0.0, 0.5], [0.999, 1.0, 2.0]]], dtype=np.float32)
    assert to_uint8(frame).tolist() == [[[0, 0, 127], [254, 255, 255]]]
    already = np.array([[[1, 2, 3]]], dtype=np.uint8)
    assert to_uint8(already).tolist() == [[[1, 2, 3]]]


def test_encode_mp4_writes_h264_at_the_given_fps(tmp_path):
    frames = np.random.default_rng(0).random((5, 48, 64, 3), dtype=np.float32)
    out = tmp_path / "out.mp4"
    assert encode_mp4(frames, str(out), 16) == 5
    probe = json.loads(subprocess.run(
        ["ffprobe", "-v", "error", "-count_frames", "-show_streams", "-of", "json", str(out)],
        check=True, capture_output=True, text=True,
    ).stdout)["streams"][0]
    assert (probe["codec_name"], probe["width"], probe["height"], probe["r_frame_rate"], probe["nb_read_frames"], probe["pix_fmt"]) == (
        "h264", 64, 48, "16/1", "5", "yuv420p")


def test_encode_mp4_refuses_frames_that_are_not_rgb(tmp_path):
    try:
        encode_mp4(np.zeros((2, 8, 8, 4), dtype=np.float32), str(tmp_path / "x.mp4"), 16)
    except ValueError as err:
        assert "(T, H, W, 3)" in str(err)
    else:
        raise AssertionError("4-channel frames were accepted")
