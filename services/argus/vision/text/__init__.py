"""Text in images (DetectText): EasyOCR's CRAFT detector and English recognizer, read per word.

:mod:`reader` runs the networks and splits their boxes into words with their own boxes and
confidences, :mod:`lines` joins boxes into lines in reading order, :mod:`detections` applies
Rekognition's filters and builds ``TextDetections``. docs/text.md describes the method and figures.
"""
