r"""The lessons, one module each; :mod:`demos.registry` lists them."""
