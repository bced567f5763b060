"""explorer.core must stay free of Qt: it is used by the command line, tests and workers."""
import pkgutil
import subprocess
import sys

import explorer.core

BLOCK_QT = """
import importlib, sys
class BlockQt:
    def find_spec(self, name, path=None, target=None):
        if name == "PySide6" or name.startswith(("PySide6.", "shiboken6", "qtpy", "qtawesome")):
            raise ImportError("explorer.core must not import " + name)
sys.meta_path.insert(0, BlockQt())
for name in sys.argv[1:]:
    importlib.import_module(name)
assert not [m for m in sys.modules if m.startswith(("PySide6", "shiboken6"))]
print("ok")
"""


def test_every_core_module_imports_without_pyside6():
    modules = [f"explorer.core.{m.name}" for m in pkgutil.iter_modules(explorer.core.__path__)]
    assert "explorer.core.search" in modules and "explorer.core.index" in modules
    result = subprocess.run([sys.executable, "-c", BLOCK_QT, *modules, "explorer.cli"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
