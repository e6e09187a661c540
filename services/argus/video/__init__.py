"""Video input: probing containers and decoding frames (PyAV) for the video workers."""
