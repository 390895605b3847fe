"""Entry point: `python bot.py` (see `python bot.py --help`)."""

import sys

from bot.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
