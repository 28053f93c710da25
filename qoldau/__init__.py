"""Qoldau: an open platform for inclusive social support in Kazakhstan."""
