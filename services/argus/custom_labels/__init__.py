"""Custom Labels: projects, training on the ``training`` workers and serving from the image workers."""
