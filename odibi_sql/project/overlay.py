"""``--env NAME`` overlays: ``env.NAME.yaml`` deep-merged over ``odibi_project.yaml``.

Mappings merge key by key; lists and scalars replace. Each merged value keeps the location of
the file it came from, so an error in an overlaid value points into the overlay.
"""

from __future__ import annotations

import copy

from odibi_sql.project.yaml_loader import LocatedDocument


def deep_merge(base: LocatedDocument, overlay: LocatedDocument) -> LocatedDocument:
    merged = LocatedDocument(
        base.file, copy.deepcopy(base.data), dict(base.positions), set(base.block_scalars)
    )
    _merge_into(merged, overlay, merged.data, overlay.data, ())
    return merged


def _merge_into(
    merged: LocatedDocument, overlay: LocatedDocument, target: dict, source: dict, path: tuple
) -> None:
    for key, value in source.items():
        here = (*path, key)
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge_into(merged, overlay, target[key], value, here)
            continue
        target[key] = copy.deepcopy(value)
        _replace_positions(merged, overlay, here)


def _replace_positions(merged: LocatedDocument, overlay: LocatedDocument, path: tuple) -> None:
    n = len(path)
    for key in [k for k in merged.positions if k[:n] == path]:
        del merged.positions[key]
    merged.block_scalars = {p for p in merged.block_scalars if p[:n] != path}
    for key, loc in overlay.positions.items():
        if key[:n] == path:
            merged.positions[key] = loc
    merged.block_scalars |= {p for p in overlay.block_scalars if p[:n] == path}


def merge_data(base: dict, override: dict) -> dict:
    """Plain deep merge of two mappings (used for per-node overrides)."""
    out = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge_data(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out
