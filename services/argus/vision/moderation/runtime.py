"""ONNX Runtime sessions for the moderation models, on the device the settings ask for."""

from __future__ import annotations

from pathlib import Path
from typing import Any

CUDA = "CUDAExecutionProvider"
CPU = "CPUExecutionProvider"


def providers_for(device: str, available: list[str]) -> list[str]:
    """``ARGUS_DEVICE`` -> execution providers: CUDA first when asked for (or ``auto``) and installed."""
    if device in ("auto", "cuda") and CUDA in available:
        return [CUDA, CPU]
    return [CPU]


def onnx_session(path: Path, device: str = "cpu") -> Any:
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    # Two sessions run one after the other for every image: threads that spin-wait after a run would
    # steal the cores the other session needs next.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    providers = providers_for(device, list(ort.get_available_providers()))
    return ort.InferenceSession(str(path), sess_options=options, providers=providers)
