"""Runs fixture files' cases under CPython and reports every "never awaited" coroutine and every
async generator that was never iterated.

Usage: python3 never_awaited.py REPORT.json FIXTURE.py...

Each fixture is imported as a module (its module-level code runs), then every top-level function
whose name starts with ``case_`` is called in source order: coroutine functions through
``asyncio.run``, plain functions directly. After each case the garbage collector runs, so a
dropped coroutine is finalized — and warned about — right away. Coroutine origin tracking makes
CPython record where each coroutine object was created; that line is what the fixture marks.

CPython says nothing about an async generator that is dropped before anything iterates over it (its
body never runs, as a dropped coroutine's never does). So the async generator functions of each
fixture (module-level functions and the methods of module-level classes) are wrapped to record the
line that calls them; the generators are kept until the case ends, and each one still unstarted then
is reported as "async generator ... was never iterated" on that line.

Writes one JSON object to REPORT.json (stdout belongs to the fixtures' own prints), keyed by the
fixture path as given: {"warnings": [{"file", "line", "message"}], "cases": [names], "errors": [...]}.
One interpreter runs all the fixtures given, one after the other; each gets its own event loops.
"""

import asyncio
import functools
import gc
import importlib.util
import inspect
import json
import os
import re
import sys
import traceback
import warnings

ORIGIN_FRAME = re.compile(r'^\s*File "(?P<file>.+)", line (?P<line>\d+), in ', re.MULTILINE)


def origin_of(message):
    """The innermost frame of "Coroutine created at (most recent call last)", if any."""
    frames = ORIGIN_FRAME.findall(message)
    if not frames:
        return None, None
    file, line = frames[-1]
    return file, int(line)


def load(path):
    name = "fixture_" + re.sub(r"\W", "_", os.path.splitext(os.path.basename(path))[0])
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def agen_never_started(agen):
    getstate = getattr(inspect, "getasyncgenstate", None)
    if getstate is not None:
        return getstate(agen) == inspect.AGEN_CREATED
    return agen.ag_frame is not None and not agen.ag_running and agen.ag_frame.f_lasti <= 0


def track_async_generators(module, created):
    """Wraps the module's async generator functions so that each call is recorded in `created`."""

    def wrap(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            agen = fn(*args, **kwargs)
            caller = sys._getframe(1)
            created.append((agen, caller.f_code.co_filename, caller.f_lineno, fn.__qualname__))
            return agen

        return wrapper

    for name, value in list(vars(module).items()):
        if inspect.isasyncgenfunction(value) and value.__module__ == module.__name__:
            setattr(module, name, wrap(value))
        elif inspect.isclass(value) and value.__module__ == module.__name__:
            for attr, member in list(vars(value).items()):
                if inspect.isfunction(member) and inspect.isasyncgenfunction(member):
                    setattr(value, attr, wrap(member))


def report_unstarted(created, report):
    for agen, file, line, name in created:
        if agen_never_started(agen):
            message = f"async generator '{name}' was never iterated"
            report["warnings"].append({"file": file, "line": line, "message": message})
    created.clear()


def cases_of(module):
    found = []
    for name, value in vars(module).items():
        if name.startswith("case_") and inspect.isfunction(value) and value.__module__ == module.__name__:
            found.append(value)
    return sorted(found, key=lambda fn: fn.__code__.co_firstlineno)


def run_case(fn):
    if inspect.iscoroutinefunction(fn):
        asyncio.run(fn())
    else:
        fn()


def run_fixture(path):
    report = {"warnings": [], "cases": [], "errors": []}

    def record(message, category, filename, lineno, file=None, line=None):
        # Keep only text: holding the warning (and its source coroutine) would keep the
        # coroutine's arguments alive and delay their own warnings past this run.
        text = str(message)
        if issubclass(category, RuntimeWarning) and "was never awaited" in text:
            origin_file, origin_line = origin_of(text)
            report["warnings"].append({"file": origin_file, "line": origin_line, "message": text.splitlines()[0]})

    sys.path.insert(0, os.path.dirname(path))
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.showwarning = record
        created = []
        try:
            module = load(path)
            gc.collect()
            track_async_generators(module, created)
            for fn in cases_of(module):
                report["cases"].append(fn.__name__)
                try:
                    run_case(fn)
                except Exception:
                    report["errors"].append(fn.__name__ + ": " + traceback.format_exc())
                gc.collect()
                report_unstarted(created, report)
        except Exception:
            report["errors"].append("import: " + traceback.format_exc())
        gc.collect()
    sys.path.remove(os.path.dirname(path))
    return report


def main():
    out_path, fixtures = sys.argv[1], sys.argv[2:]
    sys.set_coroutine_origin_tracking_depth(1)
    reports = {path: run_fixture(os.path.abspath(path)) for path in fixtures}
    with open(out_path, "w", encoding="utf-8") as out:
        json.dump(reports, out, indent=1)


if __name__ == "__main__":
    main()
