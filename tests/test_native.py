"""The compiled-module guard (torchish/_native.py): once any module's source (.py or .pxd) differs
from what was compiled, every compiled module loads from its source; otherwise none does."""

import importlib
import sys

import torchish
from torchish import _native


def _package(tmp_path):
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    for rel in ("a.py", "sub/b.py", "sub/b.pxd"):
        (pkg / rel).write_text("X = 1\n")
    built = {"pkg.a": _native.digest(str(pkg / "a.py")),
             "pkg.sub.b": _native.digest(str(pkg / "sub" / "b.py"))}
    return pkg, built


def test_unchanged_sources_stay_compiled(tmp_path):
    pkg, built = _package(tmp_path)
    assert _native.sources(built, str(pkg)) == {}


def test_one_changed_source_sends_all_to_source(tmp_path):
    pkg, built = _package(tmp_path)
    (pkg / "sub" / "b.pxd").write_text("X = 2\n")
    assert _native.sources(built, str(pkg)) == {"pkg.a": str(pkg / "a.py"),
                                                "pkg.sub.b": str(pkg / "sub" / "b.py")}


def test_a_module_that_failed_to_build_sends_all_to_source(tmp_path):
    pkg, built = _package(tmp_path)
    built["pkg.sub.b"] = ""
    assert set(_native.sources(built, str(pkg))) == {"pkg.a", "pkg.sub.b"}


def test_the_digest_covers_the_pxd(tmp_path):
    pkg, built = _package(tmp_path)
    before = _native.digest(str(pkg / "sub" / "b.py"))
    (pkg / "sub" / "b.pxd").unlink()
    assert _native.digest(str(pkg / "sub" / "b.py")) != before
    assert _native.digest(str(pkg / "gone.py")) is None


def test_a_module_sent_to_source_loads_from_it(tmp_path, monkeypatch):
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


def test_the_installed_build_is_used_exactly_when_it_matches():
    import json
    import os
    path = os.path.join(os.path.dirname(_native.__file__), "_native.json")
    if not os.path.exists(path):  # not built here: nothing may run compiled
        assert _native.compiled() == []
        return
    with open(path) as f:
        built = json.load(f)
    fresh = not _native.sources(built)
    for name in built:
        importlib.import_module(name)
        assert (name in _native.compiled()) == fresh, (name, fresh)
