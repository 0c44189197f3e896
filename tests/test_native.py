"""The compiled-module guard (torchish/_native.py): a module compiled from an older source must
load from its source, and nothing else changes where it loads from."""

import hashlib
import importlib
import sys

import torchish
from torchish import _native


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_only_changed_sources_are_stale(tmp_path):
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    same, edited = pkg / "same.py", pkg / "sub" / "edited.py"
    same.write_text("X = 1\n")
    edited.write_text("X = 1\n")
    built = {"pkg.same": _digest(same), "pkg.sub.edited": _digest(edited),
             "pkg.gone": "0" * 64}
    edited.write_text("X = 2\n")
    assert _native.stale(built, str(pkg)) == {"pkg.sub.edited": str(edited),
                                              "pkg.gone": str(pkg / "gone.py")}


def test_a_stale_module_loads_from_its_source(tmp_path, monkeypatch):
    pkg = tmp_path / "natpkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "mod.py").write_text("WHERE = 'source'\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    finder = _native.FromSource({"natpkg.mod": str(pkg / "mod.py")})
    monkeypatch.setattr(sys, "meta_path", [finder] + sys.meta_path)
    try:
        mod = importlib.import_module("natpkg.mod")
        assert mod.WHERE == "source" and mod.__file__ == str(pkg / "mod.py")
        assert finder.find_spec("natpkg.other") is None
    finally:
        sys.modules.pop("natpkg.mod", None)
        sys.modules.pop("natpkg", None)


def test_compiled_lists_only_extension_modules():
    names = _native.compiled()
    assert all(n.startswith("torchish.") for n in names)
    for n in names:
        assert not sys.modules[n].__file__.endswith(".py")
    assert "torchish._native" not in names and torchish._native.__file__.endswith(".py")
