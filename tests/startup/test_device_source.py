"""The device's copy of a source file: docstrings out, private constants folded, code and
line numbers unchanged (tools/device_source.py; docs/architecture.md "Device budget")."""
import ast
import glob
import os

from tools.device_source import device_source, fold_private_consts, foldable_consts, literal, strip_docstrings

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


def _device_paths():
    return ["code.py", "boot.py"] + glob.glob("smartevse/**/*.py", root_dir=REPO, recursive=True) \
        + glob.glob("ui/**/*.py", root_dir=REPO, recursive=True)


def test_every_device_file_strips_to_the_same_code():
    """Given every device file, when stripped, then it compiles, keeps its line count and
    the same statements on the same lines."""
    for rel in _device_paths():
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
    assert any(rel.startswith("adafruit_minimqtt/") for rel, _ in sources)
    for rel, path in sources:
        with open(path, encoding="utf-8") as f:
            source = f.read()
        out = strip_docstrings(source)
        compile(out, rel, "exec")
        assert out.count("\n") == source.count("\n"), rel
        assert _statements(out) == _statements(source), rel


CONSTS = '''from micropython import const

_A = const(3)                 # a comment on the line goes with it
_B = const(_A << 2 | 1)
_NEG = const(-1)
_SHADOWED = const(5)
_IN_FSTRING = const(6)
PUBLIC = const(7)
_NOT_INT = const("text")


def f(x, _SHADOWED=0):
    return x + _A + _B, _NEG, _A.bit_length(), _SHADOWED, f"{_IN_FSTRING}", PUBLIC


class C:
    limit = _B

    def g(self):
        return self._A, _NEG ** 2
'''


def test_private_consts_are_folded_where_read_and_their_lines_left_blank():
    """Given private and public constants, one shadowed by a parameter and one read in an
    f-string, when folded, then the private ones' names are gone from the code (their values
    stand where they were read, an attribute `self._A` untouched), the others stay, every
    line keeps its number and the module computes the same."""
    out = fold_private_consts(CONSTS)
    assert out.count("\n") == CONSTS.count("\n")
    assert "_B" not in out and "_NEG" not in out and "a comment on the line" not in out
    assert "return x + 3 + 13, (-1), (3).bit_length()" in out
    assert "self._A" in out and "limit = 13" in out and "(-1) ** 2" in out
    for kept in ("_SHADOWED = const(5)", "_IN_FSTRING = const(6)", "PUBLIC = const(7)",
                 '_NOT_INT = const("text")'):
        assert kept in out
    original, folded = {"const": lambda v: v}, {"const": lambda v: v}
    exec(compile(CONSTS, "consts.py", "exec"), original)
    exec(compile(out.replace("from micropython import const", ""), "consts.py", "exec"), folded)
    assert folded["f"](1) == original["f"](1) == (17, -1, 2, 0, "6", 7)
    assert folded["C"].limit == 13 and "_A" not in folded and "_SHADOWED" in folded


class _Folded(ast.NodeTransformer):
    """The original tree as folding should leave it: declarations out, values in."""

    def __init__(self, folded):
        self.folded = folded
        self.attributes = set()

    def visit_Module(self, node):
        declarations = {id(stmt) for _, stmt in self.folded.values()}
        node.body = [s for s in node.body if id(s) not in declarations]
        self.attributes = {id(n.value) for n in ast.walk(node) if isinstance(n, ast.Attribute)}
        self.generic_visit(node)
        return node

    def visit_Name(self, node):
        if isinstance(node.ctx, ast.Load) and node.id in self.folded:
            value = self.folded[node.id][0]
            return ast.parse(literal(value, id(node) in self.attributes), mode="eval").body
        return node


def test_every_device_file_ships_the_same_code_with_its_private_consts_folded():
    """Given every device file, when prepared as the bundle ships it (device_source), then
    it compiles, keeps its line count and every statement's line, and its syntax tree is the
    original's with each folded constant's statement removed and its reads replaced by the
    value; more than 200 constants are folded."""
    folded_count = 0
    for rel in _device_paths():
        with open(os.path.join(REPO, rel), encoding="utf-8") as f:
            source = f.read()
        stripped = strip_docstrings(source)
        out = device_source(source)
        compile(out, rel, "exec")
        assert out.count("\n") == source.count("\n"), rel
        tree = ast.parse(stripped)
        folded = foldable_consts(tree)
        folded_count += len(folded)
        kept = [(line, kind) for line, kind in _statements(stripped)
                if line not in {stmt.lineno for _, stmt in folded.values()}]
        assert _statements(out) == kept, rel
        expected = _Folded(folded).visit(tree)
        assert ast.dump(ast.parse(out)) == ast.dump(expected), rel
        for name in folded:
            assert name not in {n.id for n in ast.walk(ast.parse(out)) if isinstance(n, ast.Name)}
    assert folded_count > 200
