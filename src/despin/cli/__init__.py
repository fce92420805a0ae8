"""The `despin` command line."""
