"""What the device runs of a source file: the code without its docstrings and with its
private constants folded, line numbers kept.

MicroPython keeps docstrings when it compiles a `.py` file on the board: measured by the
device gate, the firmware's docstrings held about 29 KB of live heap. Comments cost
nothing. So the bundle ships every device `.py` with each module, class and function
docstring replaced by `pass` and blank lines: the code is the same, a traceback on the
board names the same line numbers as the repository, and the device gate measures exactly
these files (tests/device/mpy_gate.py).

Every identifier of a `.py` file is interned by MicroPython's compiler and never freed,
the name of a private constant (`_NAME = const(4)`) too, although the compiler folds its
value and keeps no global for it. So `device_source` also writes each such constant's value
where its name is read and blanks its line: the same bytecode, without the names (about
2.7 KB for the firmware's 230 private constants). A name that is bound anywhere else in
the module or read inside an f-string keeps its constant.
"""
import ast
import operator

_BINARY = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
           ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod, ast.LShift: operator.lshift,
           ast.RShift: operator.rshift, ast.BitAnd: operator.and_, ast.BitOr: operator.or_,
           ast.BitXor: operator.xor}
_UNARY = {ast.USub: operator.neg, ast.UAdd: operator.pos, ast.Invert: operator.invert}


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


def _int_value(node, known):
    """The int a const() argument evaluates to, or None when it is not plain int arithmetic
    on literals and constants defined before it."""
    if isinstance(node, ast.Constant):
        return node.value if type(node.value) is int else None
    if isinstance(node, ast.Name):
        return known.get(node.id)
    if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
        value = _int_value(node.operand, known)
        return None if value is None else _UNARY[type(node.op)](value)
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        left, right = _int_value(node.left, known), _int_value(node.right, known)
        if left is None or right is None:
            return None
        return _BINARY[type(node.op)](left, right)
    return None


def _const_statements(tree):
    """{name: (value, statement)} of the module-level `_NAME = const(int)` statements."""
    found = {}
    known = {}
    for stmt in tree.body:
        if (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1
                and isinstance(stmt.targets[0], ast.Name) and isinstance(stmt.value, ast.Call)
                and isinstance(stmt.value.func, ast.Name) and stmt.value.func.id == "const"
                and len(stmt.value.args) == 1 and not stmt.value.keywords):
            name = stmt.targets[0].id
            value = _int_value(stmt.value.args[0], known)
            if value is not None:
                known[name] = value
                if name.startswith("_") and not name.startswith("__"):
                    found[name] = (value, stmt)
    return found


def _bound_or_formatted(tree, declarations):
    """Names bound anywhere but by their const statement, or read inside an f-string."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            if node not in declarations:
                names.add(node.id)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.alias):
            names.add(node.asname or node.name.split(".")[0])
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            names.update(node.names)
        elif isinstance(node, ast.JoinedStr):
            names.update(n.id for n in ast.walk(node) if isinstance(n, ast.Name))
    return names


def _shares_a_line(tree, stmt):
    return any(other is not stmt and other.lineno <= stmt.end_lineno
               and other.end_lineno >= stmt.lineno for other in tree.body)


def foldable_consts(tree):
    """{name: (value, statement)} of the private constants `fold_private_consts` folds."""
    found = _const_statements(tree)
    kept = _bound_or_formatted(tree, {stmt.targets[0] for _, stmt in found.values()})
    return {name: entry for name, entry in found.items()
            if name not in kept and not _shares_a_line(tree, entry[1])}


def literal(value, attribute=False):
    """The source text that stands for a folded name's value."""
    if value < 0 or attribute:
        return "(%d)" % value
    return "%d" % value


def fold_private_consts(source):
    """`source` with each foldable private constant's reads replaced by its value and its
    statement's lines left blank (line numbers kept)."""
    tree = ast.parse(source)
    folded = foldable_consts(tree)
    if not folded:
        return source
    blank = set()
    for _, stmt in folded.values():
        blank.update(range(stmt.lineno, stmt.end_lineno + 1))
    attributes = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    edits = {}                                   # line -> [(start, end, text)], byte columns
    for node in ast.walk(tree):
        if (isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)
                and node.id in folded and node.lineno not in blank):
            text = literal(folded[node.id][0], id(node) in attributes)
            edits.setdefault(node.lineno, []).append((node.col_offset, node.end_col_offset, text))
    lines = source.splitlines(keepends=True)
    for number in blank:
        line = lines[number - 1]
        lines[number - 1] = line[len(line.rstrip("\r\n")):]
    for number, spans in edits.items():
        raw = lines[number - 1].encode("utf-8")   # ast columns are UTF-8 byte offsets
        for start, end, text in sorted(spans, reverse=True):
            raw = raw[:start] + text.encode("utf-8") + raw[end:]
        lines[number - 1] = raw.decode("utf-8")
    return "".join(lines)


def device_source(source):
    """What the bundle ships of a device `.py` file: docstrings out, private constants
    folded, every statement on its line."""
    return fold_private_consts(strip_docstrings(source))
