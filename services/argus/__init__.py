"""Argus: a self-hosted computer-vision cluster that speaks the Amazon Rekognition API."""

__version__ = "0.1.0"
