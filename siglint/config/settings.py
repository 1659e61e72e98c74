"""The one place a run's Options are built: the defaults, then a config file, then the command
line's flags, resolved as ruff resolves its own."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from siglint.config.files import Codes, Config, ConfigError, find_config, read_config
from siglint.engine.contracts.records import PackError
from siglint.engine.options import Options, PathIgnores, Selection
from siglint.engine.profile import profile_from


class Flags(NamedTuple):
    """What the command line says (None or empty: not given)."""

    select: Codes | None = None
    extend_select: Codes = ()
    ignore: Codes = ()
    contracts: tuple[str, ...] = ()  # bundled pack names or pack files, from the current folder
    profile: Mapping[str, Any] = {}  # Profile field -> value; None: not given
    model_config_file: str | None = None  # --model-config-file, from the current folder
    converted_from: str | None = None  # --converted-from, from the current folder


def resolve(config: Config = Config(), flags: Flags = Flags()) -> Options:
    """The Options of a run: a `--select` starts afresh (the file's select, extend-select and
    ignore no longer apply); otherwise `--extend-select` and `--ignore` add to the file's. Each
    profile flag replaces that one key; `--contracts` adds packs to the file's. Raises
    ConfigError for a pack that cannot be used."""
    if flags.select is None:
        select, extend_select, ignore = config.select or (), config.extend_select + flags.extend_select, config.ignore + flags.ignore
    else:
        select, extend_select, ignore = flags.select, flags.extend_select, flags.ignore
    packs = config.packs
    if flags.contracts:
        from siglint.engine.contracts.packs import load_pack, merge_packs

        try:
            packs = merge_packs(config.packs, (load_pack(reference) for reference in flags.contracts))
        except PackError as error:
            raise ConfigError(str(error)) from None
    return Options(
        profile=profile_from(dict(flags.profile), config.profile),
        # An empty select is every rule already: extending it changes nothing.
        selection=Selection(select=select + extend_select if select else (), ignore=ignore),
        severities=config.severities,
        path_ignores=PathIgnores(config.root, config.per_path_ignores),
        packs=packs,
        model_config_file=flags.model_config_file or config.model_config_file,
        diff_level=config.diff_level,
        converted_from=flags.converted_from,
    )


class Settings(NamedTuple):
    """What a run is configured with, where that came from (`--show-settings`), and anything
    a user should be warned of about it."""

    options: Options
    config_file: str | None
    found_from: str  # how the file was chosen
    warnings: tuple[str, ...] = ()


def settings_for(
    paths: Sequence[str], flags: Flags = Flags(), *, config: str | None = None, isolated: bool = False
) -> Settings:
    """The Settings of a run over `paths`: the file `config` names; else, as ruff does, the one
    found from the paths' folders up when they all find the same; else the current folder's.
    `isolated` reads no file. Raises ConfigError for a file or pack siglint cannot use."""
    warnings: tuple[str, ...] = ()
    skipped: list[str] = []
    if isolated:
        file, found_from = None, "--isolated: no config file is read"
    elif config:
        file, found_from = config, "--config"
    else:
        starts = sorted({path if os.path.isdir(path) else os.path.dirname(path) or "." for path in paths})
        found = {start: find_config(start, skipped) for start in starts}
        files = {os.path.abspath(file) if file else None for file in found.values()}
        if len(files) == 1 and None not in files:
            file, found_from = next(iter(found.values())), f"found from {', '.join(starts)} up"
        else:
            file = find_config(skipped=skipped)
            if files == {None}:
                found_from = "found from the current folder up (none above the paths checked)"
            else:
                found_from = "found from the current folder up (the paths checked have different ones)"
                warnings = (
                    "the paths checked belong to different projects' config files "
                    f"({', '.join(sorted(f or 'none' for f in found.values()))}); using the current "
                    f"folder's ({file or 'none'})",
                )
    warnings += tuple(f"config file passed over: {why}" for why in dict.fromkeys(skipped))
    options = resolve(read_config(file) if file else Config(), flags)
    return Settings(options, file, found_from, warnings)


def load_config(path: str | os.PathLike[str] | None = None) -> Options:
    """The Options a config file gives (`path`, or the one `find_config` finds from the current
    folder; the defaults when there is none). Raises ConfigError for a file siglint cannot use."""
    path = path if path is not None else find_config()
    return resolve(read_config(path)) if path is not None else Options()
