"""Shared by the Python oracles: the emulator's control API, the typed-reply check, and PASS/FAIL lines."""
import importlib
import json
import os
import sys
import traceback
import urllib.request

URL = os.environ["CERTAPPLY_EMULATOR_URL"]
CREDS = json.loads(os.environ["CERTAPPLY_EMULATOR_CREDENTIALS"])
SEED = os.environ.get("CERTAPPLY_EMULATOR_SEED", "")
_results = {"passed": 0, "failed": 0}


def control(path, body=None):
    """POST /_control/<path> with a JSON body; returns the decoded reply (raises on a non-2xx answer)."""
    req = urllib.request.Request(f"{URL}/_control/{path}", data=json.dumps(body or {}).encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read() or b"{}")


def _check(types_of, cls_name, data, where, problems):
    """Checks decoded JSON `data` against the SDK model's declared `openapi_types`, recursively."""
    if data is None:
        return
    if cls_name.startswith("list["):
        if not isinstance(data, list):
            problems.append(f"{where}: {cls_name} expected, got {type(data).__name__}")
            return
        for i, item in enumerate(data):
            _check(types_of, cls_name[5:-1], item, f"{where}[{i}]", problems)
        return
    if cls_name.startswith("dict("):
        if not isinstance(data, dict):
            problems.append(f"{where}: {cls_name} expected, got {type(data).__name__}")
        return
    prim = {"str": (str,), "int": (int,), "bool": (bool,), "float": (int, float), "object": (object,)}
    if cls_name in prim:
        ok = isinstance(data, prim[cls_name]) and not (cls_name == "int" and isinstance(data, bool))
        if not ok:
            problems.append(f"{where}: {cls_name} expected, got {type(data).__name__} {json.dumps(data)[:60]}")
        return
    model = types_of(cls_name)
    if model is None:
        return
    if not isinstance(data, dict):
        problems.append(f"{where}: object {cls_name} expected, got {type(data).__name__}")
        return
    attr = getattr(model, "attribute_map", {})
    for field, ftype in getattr(model, "openapi_types", {}).items():
        key = attr.get(field, field)
        if key in data:
            _check(types_of, ftype, data[key], f"{where}.{key}", problems)


def typed(module, response):
    """Every field of the raw reply has the JSON type the SDK model declares; returns the problems."""
    def types_of(name):
        return getattr(importlib.import_module(module), name, None)
    raw = json.loads(response.raw_content or b"{}")
    problems = []
    _check(types_of, type(response).__name__, raw, type(response).__name__, problems)
    return problems


def check(name, fn):
    """Runs one oracle check and prints `PASS name` or `FAIL name: why` (the seed is in the runner's header)."""
    try:
        fn()
        _results["passed"] += 1
        print(f"PASS {name}", flush=True)
    except Exception as e:  # noqa: BLE001 - every failure is reported, none stops the others
        _results["failed"] += 1
        detail = "".join(traceback.format_exception_only(type(e), e)).strip()
        print(f"FAIL {name}: {detail}", flush=True)


def expect(cond, why):
    if not cond:
        raise AssertionError(why)


def no_problems(problems):
    expect(not problems, "; ".join(problems))


def done():
    print(f"{_results['passed']} passed, {_results['failed']} failed", flush=True)
    sys.exit(1 if _results["failed"] else 0)
