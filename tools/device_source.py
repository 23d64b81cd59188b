"""What the device runs of a source file: the code without its docstrings, line numbers kept.

MicroPython keeps docstrings when it compiles a `.py` file on the board: measured by the
device gate, the firmware's docstrings held about 29 KB of live heap. Comments cost
nothing. So the bundle ships every device `.py` with each module, class and function
docstring replaced by `pass` and blank lines: the code is the same, a traceback on the
board names the same line numbers as the repository, and the device gate measures exactly
these files (tests/device/mpy_gate.py).
"""
import ast


def _docstring_nodes(tree):
    """(docstring node, whether it belongs to the module)."""
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if (body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
                    and isinstance(body[0].value.value, str)):
                yield body[0], isinstance(node, ast.Module)


def strip_docstrings(source):
    """`source` with every docstring replaced by `pass` (a module's by nothing, so a
    `from __future__` import after it stays first) and as many newlines as it spanned."""
    lines = source.splitlines(keepends=True)
    spans = sorted(((n.lineno, n.col_offset, n.end_lineno, n.end_col_offset, module)
                    for n, module in _docstring_nodes(ast.parse(source))), reverse=True)
    for first, col, last, end_col, module in spans:   # from the end, so offsets stay valid
        head = lines[first - 1][:col]
        tail = lines[last - 1][end_col:]
        filler = "" if module else "pass"
        lines[first - 1:last] = [head + filler + "\n" * (last - first) + tail]
    return "".join(lines)
