"""Runs __main__.py (beside this file) as an Automation API inline program: Pulumi's Python language host is
not built here (the Go module proxy does not serve it), and an inline program needs none.

Usage: python run.py <work dir with Pulumi.yaml> <stack> up|destroy
Stack config comes from CERTAPPLY_STACK_CONFIG, a JSON object of key -> {"value": str, "secret": bool}.
The last stdout line is a JSON object: {"outputs": {...}, "changes": {...}}.
"""
import json
import os
import runpy
import sys

from pulumi import automation as auto

PROGRAM = os.path.join(os.path.dirname(os.path.abspath(__file__)), "__main__.py")


def main() -> None:
    work_dir, stack_name, op = sys.argv[1:4]
    stack = auto.create_or_select_stack(
        stack_name=stack_name,
        project_name="certapply-python",
        program=lambda: runpy.run_path(PROGRAM),
        opts=auto.LocalWorkspaceOptions(work_dir=work_dir),
    )
    config = json.loads(os.environ.get("CERTAPPLY_STACK_CONFIG", "{}"))
    stack.set_all_config({k: auto.ConfigValue(value=v["value"], secret=v.get("secret", False)) for k, v in config.items()})
    if op == "up":
        result = stack.up(on_output=lambda line: print(line, file=sys.stderr))
        outputs = {k: v.value for k, v in result.outputs.items()}
        changes = result.summary.resource_changes
    elif op == "destroy":
        result = stack.destroy(on_output=lambda line: print(line, file=sys.stderr))
        outputs, changes = {}, result.summary.resource_changes
    else:
        raise SystemExit(f"unknown operation {op}: use up or destroy")
    print(json.dumps({"outputs": outputs, "changes": changes}))


if __name__ == "__main__":
    main()
