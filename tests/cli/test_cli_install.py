"""`pip install -e .` (issue 7 item 6): the package, the console script and its pins."""

import importlib
import os
import tomllib

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def project():
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as f:
        return tomllib.load(f)


def test_console_script_names_a_function_that_exists():
    """Given pyproject.toml, then `smartevse-sim` points at a callable of the package."""
    module, _, name = project()["project"]["scripts"]["smartevse-sim"].partition(":")
    assert callable(getattr(importlib.import_module(module), name))


def test_installed_packages_hold_everything_the_simulator_imports():
    """Given the package list, then sim, its command line, the firmware and the UI are
    included (an editable install finds nothing else from another directory)."""
    include = project()["tool"]["setuptools"]["packages"]["find"]["include"]
    for package in ("sim", "sim.*", "smartevse", "smartevse.*", "ui"):
        assert package in include


def test_dependencies_are_pinned_as_in_requirements_txt():
    """Given the dependencies of pyproject.toml, then each is pinned exactly as in
    requirements.txt (one set of versions)."""
    with open(os.path.join(ROOT, "requirements.txt")) as f:
        pins = {line.strip().lower() for line in f if "==" in line}
    for dependency in project()["project"]["dependencies"]:
        assert dependency.lower() in pins
