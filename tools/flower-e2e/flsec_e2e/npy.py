"""Find the numpy arrays Flower put on the wire in a plaintext byte stream.

Flower serialises every numpy array as an .npy file (np.save), so the arrays
of a plaintext run can be read back with numpy's own .npy reader. Their raw
data bytes are then exactly the "model bytes" that must never appear in the
TLS run of the same (deterministic) app."""

from __future__ import annotations

import io

import numpy as np

MAGIC = b"\x93NUMPY"


def arrays_in(data: bytes) -> list[np.ndarray]:
    found: list[np.ndarray] = []
    start = data.find(MAGIC)
    while start >= 0:
        try:
            # allow_pickle=False: never execute anything read off the wire.
            array = np.lib.format.read_array(io.BytesIO(data[start:]), allow_pickle=False)
            found.append(array)
        except (ValueError, EOFError, OSError):
            pass  # truncated or not an .npy file after all
        start = data.find(MAGIC, start + 1)
    return found


def distinctive_payloads(arrays: list[np.ndarray], min_len: int = 8) -> set[bytes]:
    """Data bytes of arrays that are long and varied enough to be a marker
    (an all-zero initial model is not)."""
    payloads = set()
    for array in arrays:
        raw = array.tobytes()
        if len(raw) >= min_len and len(set(raw)) >= 4:
            payloads.add(raw)
    return payloads
