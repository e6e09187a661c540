"""Content moderation (DetectModerationLabels): NudeNet's body-part detector and Yahoo's open_nsfw,
mapped onto Rekognition's moderation taxonomy 7.0 by the rules in ``taxonomy.json``.

========================  ===========================================================================
module                    role
========================  ===========================================================================
:mod:`.taxonomy`          the taxonomy and mapping (``taxonomy.json``), the hierarchy rule
:mod:`.nudenet`           NudeNet 3.4.2 ``320n.onnx`` (YOLOv8n body parts), decoded in NumPy
:mod:`.opennsfw`          open_nsfw (ResNet-50, NSFW probability)
:mod:`.moderator`         both models and the rules for one image
========================  ===========================================================================

What is and is not judged, licences and measurements: docs/moderation.md.
"""
