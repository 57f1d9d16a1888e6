"""The Wan 2.2 worker: a long-lived child of the GPU server speaking JSON lines on stdin/stdout.

torch and diffusers are imported only when a model is loaded, so the protocol, the encoder and the
tests run on a machine without them (tests put stand-in packages on PYTHONPATH).
"""

PROTOCOL_VERSION = 1
