"""The device's copy of a source file: docstrings out, code and line numbers unchanged
(tools/device_source.py; docs/architecture.md "Device budget")."""
import ast
import glob
import os

from tools.device_source import strip_docstrings

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

SAMPLE = '''"""Module doc,
on two lines."""
import gc  # a comment stays


class Part:
    """One line."""

    def only_doc(self):
        """Nothing but a docstring."""

    def value(self, x):
        """Doubles x.

        Args on a third line.
        """
        return x * 2  # the result


def text():
    return "not a docstring"
'''


def _statements(source):
    """(line, kind) of every statement that is not a docstring or a `pass`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.stmt) and not isinstance(node, ast.Pass):
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
                continue
            found.append((node.lineno, type(node).__name__))
    return sorted(found)


def test_docstrings_go_and_every_statement_keeps_its_line():
    """Given a module with module, class and function docstrings, when stripped, then no
    docstring text remains, comments and other strings stay, and every statement is on its
    old line (a traceback on the board names the repository's line numbers)."""
    out = strip_docstrings(SAMPLE)
    assert "Module doc" not in out and "One line" not in out and "Doubles" not in out
    assert "# a comment stays" in out and '"not a docstring"' in out
    assert out.count("\n") == SAMPLE.count("\n")
    assert _statements(out) == _statements(SAMPLE)
    namespace = {}
    exec(compile(out, "sample.py", "exec"), namespace)
    assert namespace["Part"]().value(21) == 42 and namespace["Part"]().only_doc() is None


def test_every_device_file_strips_to_the_same_code():
    """Given every device file, when stripped, then it compiles, keeps its line count and
    the same statements on the same lines."""
    paths = ["code.py", "boot.py"] + glob.glob("smartevse/**/*.py", root_dir=REPO, recursive=True) \
        + glob.glob("ui/**/*.py", root_dir=REPO, recursive=True)
    for rel in paths:
        with open(os.path.join(REPO, rel), encoding="utf-8") as f:
            source = f.read()
        out = strip_docstrings(source)
        compile(out, rel, "exec")
        assert out.count("\n") == source.count("\n"), rel
        assert _statements(out) == _statements(source), rel


def test_every_pinned_library_file_strips_to_the_same_code():
    """Given every .py file of the pinned device libraries (the bundle ships them stripped
    too), when stripped, then it compiles, keeps its line count and its statements."""
    import sys
    sys.path.insert(0, os.path.join(REPO, "tests", "device"))
    import mpy_gate
    sources = mpy_gate.library_sources()
    assert any(rel.startswith("adafruit_httpserver/") for rel, _ in sources)
    for rel, path in sources:
        with open(path, encoding="utf-8") as f:
            source = f.read()
        out = strip_docstrings(source)
        compile(out, rel, "exec")
        assert out.count("\n") == source.count("\n"), rel
        assert _statements(out) == _statements(source), rel
