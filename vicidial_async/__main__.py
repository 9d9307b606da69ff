"""``python -m vicidial_async`` runs the ``vicidial`` command."""

import sys

from .cli import main

sys.exit(main())
