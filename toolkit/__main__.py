"""Allows ``python -m toolkit`` as another way to run the ``keyvigil`` command."""

from toolkit.cli import main

if __name__ == "__main__":
    main()
