"""Stored-video jobs: the repository shared by the gateway (Start*/Get*) and the video workers."""
