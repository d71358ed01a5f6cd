"""One error model: every error the package raises on purpose derives from
RealpolitikError, and the command line says each in one line with exit code 2."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import realpolitik
from realpolitik.errors import RealpolitikError

# Signals caught inside the package, never raised to a caller, and the command line's own.
INTERNAL = {
    "realpolitik.validation.shacl_store.results.Unsupported",
    "realpolitik.validation.context.Stopped",
    "realpolitik.cli.common.InputFailure",
    "realpolitik.serving.refused.Refused",  # a request's error status, answered by its route
}


def package_errors() -> dict:
    found = {}
    for module in pkgutil.walk_packages(realpolitik.__path__, "realpolitik."):
        if module.name.endswith("__main__"):
            continue
        loaded = importlib.import_module(module.name)
        for name, value in vars(loaded).items():
            if inspect.isclass(value) and issubclass(value, BaseException) and value.__module__ == module.name:
                found[f"{module.name}.{name}"] = value
    return found


def test_every_package_error_derives_from_one_base():
    errors = package_errors()
    assert len(errors) > 10  # the walk found them
    outside = sorted(name for name, cls in errors.items() if name not in INTERNAL and not issubclass(cls, RealpolitikError))
    assert outside == []


def test_the_command_line_says_any_package_error_in_one_line(cli, monkeypatch):
    from realpolitik import synthetic

    class Deep(RealpolitikError):
        pass

    def fail(*_, **__):
        raise Deep("somewhere: what went wrong")

    monkeypatch.setattr(synthetic, "generate", fail)
    run = cli("synthetic", "--out", "/nonexistent/x")
    assert run.exit_code == 2
    assert run.output == "Error: somewhere: what went wrong\n"


def test_a_parameter_error_is_worded_for_its_caller():
    from realpolitik.querying import ParamError

    error = ParamError("{} is not a number", "limit", mentions=("limit",))
    assert str(error) == "limit: limit is not a number"
    assert error.for_command_line() == "--limit: --limit is not a number"
    braces = ParamError("'{0}' is not a whole number", "limit")  # what the user typed is never a template
    assert str(braces) == "limit: '{0}' is not a whole number"


def test_an_error_in_a_file_says_where(tmp_path):
    from realpolitik.rdf.parse import InputError, parse_turtle

    broken = tmp_path / "broken.ttl"
    broken.write_text('@prefix ex: <http://example.org/> .\nex:a ex:b "cut off\n', encoding="utf-8")
    try:
        parse_turtle(broken, "broken.ttl")
    except RealpolitikError as exc:
        assert isinstance(exc, InputError) and (exc.file, exc.line) == ("broken.ttl", 2)
        assert str(exc).startswith("broken.ttl:2:")
    else:
        raise AssertionError("a broken file parsed")
