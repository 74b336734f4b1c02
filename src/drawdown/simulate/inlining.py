"""Compile the engine's phase functions into one loop that reads bundles as fast as locals.

Numba inlines a function marked `inline="always"` by assigning each argument to the
callee's parameter. For a bundle (a NamedTuple of arrays) that assignment is a copy, which
takes and releases a reference on every array in it, and every `bundle.field` read inside a
loop takes and releases one more. Measured on the engine, the phase functions ran 24 times
slower than the one long kernel they replaced, 60% of the time in reference counting.

`ReadBundlesOnce` undoes both after inlining, on the function that holds the loop: a
variable that only copies an argument (or a copy of one) is replaced by the argument, and
every read of an argument's field uses one variable read at entry, as the long kernel
unpacked its tuple once at the top. This is safe because neither is ever rebound: arguments
are bound once at entry, and a NamedTuple's fields cannot change.

`PhaseCompiler` is numba's nopython pipeline with that pass right after inlining; use it as
`pipeline_class` of the function into which the phases are inlined.
"""

from __future__ import annotations

from typing import Any

from numba.core import ir
from numba.core.compiler import CompilerBase, DefaultPassBuilder
from numba.core.compiler_machinery import FunctionPass, register_pass
from numba.core.ir_utils import build_definitions, replace_vars
from numba.core.untyped_passes import InlineInlinables


@register_pass(mutates_CFG=False, analysis_only=False)
class ReadBundlesOnce(FunctionPass):
    """Forward copies of arguments, and read each field of an argument once at entry."""

    _name = "drawdown_read_bundles_once"

    def __init__(self) -> None:
        FunctionPass.__init__(self)

    def run_pass(self, state: Any) -> bool:
        blocks = state.func_ir.blocks
        entry = blocks[min(blocks)]
        fields: dict[tuple[str, str], ir.Var] = {}  # (argument, field) -> variable read at entry
        changed = False
        while True:  # chains of copies (a phase inlined into a phase) take several rounds
            defs = build_definitions(blocks)
            args = {name for name, d in defs.items() if len(d) == 1 and isinstance(d[0], ir.Arg)}
            fixed = args | {var.name for var in fields.values()}
            replace: dict[str, ir.Var] = {}
            for block in blocks.values():
                for stmt in block.body:
                    if not isinstance(stmt, ir.Assign) or stmt.target.name in fixed:
                        continue
                    if len(defs[stmt.target.name]) != 1:
                        continue
                    value = stmt.value
                    if isinstance(value, ir.Var) and value.name in fixed:
                        replace[stmt.target.name] = value
                    elif (
                        isinstance(value, ir.Expr)
                        and value.op == "getattr"
                        and value.value.name in args
                    ):
                        key = (value.value.name, value.attr)
                        if key not in fields:
                            fields[key] = _read_at_entry(entry, value)
                        replace[stmt.target.name] = fields[key]
            if not replace:
                break
            for block in blocks.values():
                block.body = [
                    s
                    for s in block.body
                    if not (isinstance(s, ir.Assign) and s.target.name in replace)
                ]
            replace_vars(blocks, replace)
            changed = True
        if changed:
            state.func_ir._definitions = build_definitions(blocks)
        return changed


def _read_at_entry(entry: ir.Block, read: ir.Expr) -> ir.Var:
    """A variable holding `read` (an argument's field), assigned after the arguments."""
    var = entry.scope.redefine(f"$bundle_{read.value.name}_{read.attr}", read.loc)
    at = 0
    while (
        at < len(entry.body)
        and isinstance(entry.body[at], ir.Assign)
        and isinstance(entry.body[at].value, ir.Arg)
    ):
        at += 1
    entry.body.insert(
        at, ir.Assign(ir.Expr.getattr(read.value, read.attr, read.loc), var, read.loc)
    )
    return var


class PhaseCompiler(CompilerBase):
    """Numba's nopython pipeline, reading bundles once after inlining."""

    def define_pipelines(self) -> list[Any]:
        pipeline = DefaultPassBuilder.define_nopython_pipeline(self.state)
        pipeline.add_pass_after(ReadBundlesOnce, InlineInlinables)
        pipeline.finalize()
        return [pipeline]
