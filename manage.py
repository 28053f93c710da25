#!/usr/bin/env python
from qoldau.cli import main

if __name__ == "__main__":
    main()
