"""A correct notebook whose last cell exits the kernel, once every test has run."""

# status: crashed
# place: after-tests
import os

os._exit(0)
