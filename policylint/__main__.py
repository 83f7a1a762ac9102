"""Allow ``python -m policylint``."""
from policylint.cli import entry

entry()
