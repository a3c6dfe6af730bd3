"""``python -m neuroimmune`` works like the ``neuroimmune`` command."""

from .cli import main

main()
