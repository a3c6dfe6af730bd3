"""The explorer: an HTTP API and a web page over the public Python API (``create_app``)."""

from .app import create_app

__all__ = ["create_app"]
