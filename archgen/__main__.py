"""Allow ``python -m archgen``."""

from archgen.entry import main

main()
