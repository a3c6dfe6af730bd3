"""Command-line interface: a thin shell over the Python API, one subcommand per public function.

Bad input never shows a traceback: every command runs inside :func:`_guarded`, which turns a
:class:`~neuroimmune.errors.NeuroimmuneError` (and an operating-system error on a file) into one line on standard
error and exit code 2. Output paths are checked before any simulation, and files that belong together are written
together (:func:`neuroimmune.io.atomic.together`), so a failure leaves none of them. Text from the user (scenario
names, measures) is printed without rich markup, so brackets in it are shown as typed.
"""

from __future__ import annotations

import enum
import functools
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any, NoReturn, TypeVar

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from .errors import NeuroimmuneError

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="neuroimmune: simulate how an immune challenge turns into fever, sickness and a sore back.")
# markup off: user text such as a scenario name "[draft]" or an output name "ppt_change_peak[lower_back]" is shown as
# typed; styles are given as rich Text styles instead
out = Console(markup=False, emoji=False, highlight=False)
err = Console(stderr=True, markup=False, emoji=False, highlight=False)

#: Figure formats matplotlib writes with its own backends.
FIGURE_SUFFIXES = (".png", ".pdf", ".svg")
#: Values smaller than the solver's absolute tolerance (1e-9, engine.solvers) are round-off, printed as 0.
ROUND_OFF = 1e-9
#: Days after the last diary day that the forecast table shows (--json has every day).
FORECAST_ROWS_AHEAD = 7
#: Joins words that must not be wrapped apart ("+/- 0.75 h").
NBSP = "\u00a0"

F = TypeVar("F", bound=Callable[..., Any])


class Format(enum.StrEnum):
    """Output layout of the list commands: a layout for people, or one for machines."""

    table = "table"
    csv = "csv"
    json = "json"
    markdown = "markdown"


FormatOption = Annotated[Format, typer.Option("--format", help="table (for reading), csv, json or markdown")]


def _fail(exc: BaseException) -> NoReturn:
    err.print(Text("error: ", style="bold red") + Text(str(exc)))
    raise typer.Exit(code=2)


def _guarded(command: F) -> F:
    """Run ``command`` with bad input reported in one line and exit code 2, never a traceback."""
    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except NeuroimmuneError as exc:
            _fail(exc)
        except OSError as exc:  # a file named by the user that the system refuses (full disk, permissions)
            where = f"{exc.filename}: " if exc.filename else ""
            _fail(NeuroimmuneError(f"{where}{exc.strerror or exc}"))
        except RecursionError:
            _fail(NeuroimmuneError("input: nested too deeply to read"))

    return wrapper  # type: ignore[return-value]


def _load(scenario: Path | None):  # type: ignore[no-untyped-def]
    """The scenario of a command: a file, '-' for standard input, or None for the packaged default."""
    from .io.safe_yaml import MAX_BYTES
    from .scenarios import Scenario

    if scenario is not None and str(scenario) == "-":
        return Scenario.coerce(sys.stdin.buffer.read(MAX_BYTES + 1))
    return Scenario.coerce(scenario)


def _targets(*targets: tuple[Path | None, str, Sequence[str]]) -> None:
    """Check every output path before any work: suffix, folder, permission; and that no two are the same file."""
    from .io.atomic import check_target

    seen: dict[Path, str] = {}
    for path, option, suffixes in targets:
        if path is None:
            continue
        resolved = check_target(path, option, suffixes).resolve()
        if resolved in seen:
            raise NeuroimmuneError(f"{option}: must differ from {seen[resolved]}, which writes the same file "
                                   f"(got {str(path)!r})")
        seen[resolved] = option


def _number(value: float, fmt: str = ".4g") -> str:
    """A summary value for people: round-off below :data:`ROUND_OFF` is 0, NaN is 'n/a'."""
    if value != value:
        return "n/a"
    return f"{0.0 if abs(value) < ROUND_OFF else value:{fmt}}"


def _emit(records: list[dict[str, Any]], columns: Sequence[str], fmt: Format) -> None:
    from .io.records import render

    sys.stdout.write(render(records, columns, fmt.value))


def _line(label: str | Text, text: str, indent: int, style: str = "") -> None:
    """``label`` then ``text`` wrapped at word boundaries to the terminal (80 columns when piped), continuation
    lines indented by ``indent``: a record that reads in a narrow terminal, with no word split across lines."""
    import textwrap

    label = label if isinstance(label, Text) else Text(label)
    first = max(indent, label.cell_len + 1)
    width = max(out.width, 40)
    lines = textwrap.wrap(text, width=width - indent, initial_indent=" " * (first - indent),
                          break_long_words=False, break_on_hyphens=False) or [""]
    label.pad_right(first - label.cell_len)
    out.print(label + Text(lines[0].lstrip(), style=style), soft_wrap=True)
    for line in lines[1:]:
        out.print(Text(" " * indent + line, style=style), soft_wrap=True)


#: Quantiles of the bands that ``run --bands`` prints and draws.
BAND_QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)


class Band(enum.StrEnum):
    """The uncertainty a band shows (:func:`neuroimmune.predict`)."""

    parameter = "parameter"
    people = "people"
    both = "both"


@app.command()
@_guarded
def run(
    scenario: Annotated[Path | None, typer.Argument(help="scenario YAML/JSON; default: 2 ng/kg LPS, 24 h")] = None,
    out_path: Annotated[Path | None, typer.Option("--out", help="write the result (with --bands: the bands) as "
                                                  "NetCDF")] = None,
    plot: Annotated[Path | None, typer.Option(help="write the time-course figure (with --bands: the bands) as "
                                              "PNG")] = None,
    bodymap: Annotated[Path | None, typer.Option(help="write the body-map figure (PNG)")] = None,
    bodymap_time: Annotated[float, typer.Option(help="time of the body map, hours")] = 2.0,
    parameters: Annotated[Path | None, typer.Option(
        help="a fitted-parameter file (what `calibrate --data ... --out FILE` writes) instead of the packaged fit")]
    = None,
    bands: Annotated[Band | None, typer.Option(help="also print bands: parameter (the calibration's posterior), "
                                               "people (people like me) or both")] = None,
    members: Annotated[int, typer.Option(help="members of the bands")] = 256,
    seed: Annotated[int | None, typer.Option(help="seed of the bands' members (default: the scenario's, else "
                                             "0)")] = None,
) -> None:
    """Simulate a scenario and print its summary table (and, with --bands, the bands of its key observables)."""
    from . import simulate
    from .analysis.summary import summarize
    from .io.atomic import together

    _targets((out_path, "--out", (".nc",)), (plot, "--plot", FIGURE_SUFFIXES),
             (bodymap, "--bodymap", FIGURE_SUFFIXES))
    sc = _load(scenario)
    if bodymap is not None and not 0 <= bodymap_time <= sc.duration:
        raise NeuroimmuneError(f"--bodymap-time: must lie within the scenario's 0-{sc.duration:g} h "
                               f"(got {bodymap_time:g})")
    ds = simulate(sc, parameters=parameters)
    band = _bands(sc, bands.value, members, seed, parameters) if bands is not None else None
    table = Table(title=f"neuroimmune: {sc.name or (scenario.name if scenario else 'default')}")
    for col in ("quantity", "value", "unit", "at (h)"):
        table.add_column(col, justify="left" if col == "quantity" else "right")
    for row in summarize(ds):
        noise = abs(row.value) < ROUND_OFF  # a peak of round-off has no meaningful time
        table.add_row(row.quantity, _number(row.value), row.unit,
                      "" if row.time is None or noise else f"{row.time:.2f}")
    out.print(table)
    if band is not None:
        _print_bands(band)
    written = [p for p in (out_path, plot, bodymap) if p]
    with together():  # all or none: a figure that fails leaves no NetCDF behind
        if out_path:
            from .io import write_netcdf

            write_netcdf(band if band is not None else ds, out_path)
        if plot or bodymap:
            from .plotting import figures

            if plot:
                figures.save(figures.bands(band, ds) if band is not None else figures.timecourse(ds), plot)
            if bodymap:
                figures.save(figures.bodymap(ds, bodymap_time), bodymap)
    for path in written:
        out.print(f"wrote {path}")


def _bands(sc: Any, uncertainty: str, members: int, seed: int | None, parameters: Path | None) -> Any:
    """:func:`neuroimmune.predict`, telling the user when the cohort kernel is compiled first (about a minute,
    once per machine and scenario shape)."""
    import contextlib
    from collections.abc import Iterator

    from . import predict
    from .cohort import compile_notice

    @contextlib.contextmanager
    def compiling(seconds: float) -> Iterator[None]:
        with err.status(f"bands: compiling the cohort kernel once, about {seconds:.0f} s"):
            yield

    with compile_notice(compiling):
        return predict(sc, uncertainty=uncertainty, members=members, seed=seed, quantiles=BAND_QUANTILES,
                       parameters=parameters)


def _print_bands(band: Any) -> None:
    from .analysis.summary import summarize_bands

    rows = summarize_bands(band)
    labels = [f"{100 * q:g} %" for q in rows[0].quantiles] if rows else []
    table = Table(title=f"bands ({band.attrs['uncertainty']}): the peak of each quantile curve")
    for col in ("peak of", "unit", "at (h)", *labels):
        table.add_column(col, justify="left" if col == "peak of" else "right")
    for row in rows:
        table.add_row(row.quantity.removesuffix(" peak"), row.unit, f"{row.time:.2f}",
                      *(_number(v) for v in row.values))
    out.print(table)
    _line("band: ", band.attrs["band"] + f" Seed {band.attrs['seed']}; {band.attrs['members_failed']} members "
          "failed.", 6)


@app.command()
@_guarded
def validate(
    study: Annotated[list[str] | None, typer.Option(
        "--study", help="only this study (repeatable; default: every study)")] = None,
    cross_validate: Annotated[bool, typer.Option(
        "--cross-validate", help="also refit leaving each group of studies (one cohort) out in turn and predict "
        "its rows: in-sample and out-of-sample results side by side")] = False,
    starts: Annotated[int, typer.Option(min=1, max=64, help="optimizer starts of each refit")] = 3,
    seed: Annotated[int, typer.Option(min=0, help="seed of the Sobol start design of each refit")] = 0,
    max_nfev: Annotated[int, typer.Option(min=1, help="function evaluations per start of each refit")] = 400,
    processes: Annotated[int, typer.Option(min=1, help="--cross-validate: refits run at once, each in its own "
                                                       "process (the result does not depend on it)")] = 1,
    out_path: Annotated[Path | None, typer.Option(
        "--out", help="where to write the cross-validation record (default: studies/crossval.yaml when every "
        "study is cross-validated)")] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Compare the model with every published dataset it covers; exit 1 if any row fails (in sample)."""
    from . import studies
    from .errors import UnknownNameError

    try:
        names = studies.select(study)
    except UnknownNameError as exc:
        _fail(UnknownNameError("--study", exc.value, exc.choices))
    if cross_validate:
        _cross_validate(names, study is None, starts, seed, max_nfev, out_path, processes)
        return
    rows = studies.validate(names)

    def result(r: Any) -> str:
        return "pass" if r.passed else "FAIL (known gap)" if studies.is_known_gap(r) else "FAIL"

    gaps = [r for r in rows if not r.passed and studies.is_known_gap(r)]
    failed = [r for r in rows if not r.passed and not studies.is_known_gap(r)]
    if fmt is not Format.table:
        columns = ("study", "observable", "metric", "tolerance", "model", "data", "fit", "result", "reason")
        _emit([{"study": r.study, "observable": r.observable, "metric": r.metric, "tolerance": r.tolerance,
                "model": float(r.model), "data": float(r.data), "fit": "in-sample" if r.fitted else "held-out",
                "result": result(r), "reason": r.reason} for r in rows], columns, fmt)
    else:
        styles = {"pass": "green", "FAIL (known gap)": "yellow", "FAIL": "bold red"}
        out.print(Text("neuroimmune validate: model against data, by study", style="bold"))
        for name in dict.fromkeys(r.study for r in rows):
            out.print(Text(name, style="bold"))
            for r in (r for r in rows if r.study == name):
                _line(Text("  " + result(r), style=styles[result(r)]),
                      f"{r.observable}, {r.metric}: model {_number(r.model)}, data {_number(r.data)} "
                      f"(tolerance {r.tolerance.replace(' ', NBSP)}; {'in-sample' if r.fitted else 'held-out'})",
                      indent=20)
        out.print(f"{len(rows) - len(failed) - len(gaps)} passed, {len(failed)} failed, {len(gaps)} known gaps "
                  "(see studies/known_gaps.yaml); why each tolerance: --format csv, column reason")
    if failed:
        raise typer.Exit(code=1)


def _cross_validate(names: list[str], every: bool, starts: int, seed: int, max_nfev: int,
                    out_path: Path | None, processes: int = 1) -> None:
    from . import studies
    from .calibration import crossval

    def report(group: str, i: int, result) -> None:  # type: ignore[no-untyped-def]
        err.print(f"without {group}: start {i + 1}/{starts}: cost {result.cost:.4g} after {result.nfev} evaluations")

    def finished(refit) -> None:  # type: ignore[no-untyped-def]
        err.print(f"without {refit.group}: refit done, cost {refit.cost:.4g} after {refit.nfev} evaluations")

    result = crossval.cross_validate(names, n_starts=starts, seed=seed, max_nfev=max_nfev,
                                     progress=report if processes == 1 else None, processes=processes,
                                     finished=finished)
    table = Table(title="neuroimmune validate --cross-validate: rows passed")
    for col in ("study", "group", "joint fit", "rows", "in sample (full fit)", "out of sample"):
        table.add_column(col, justify="left" if col in ("study", "group") else "right")
    for s in result.by_study():
        how = "leave-group-out refit" if s.refit else "full fit (not fitted)"
        table.add_row(s.study, s.group, "fitted" if s.fitted else "", str(s.rows), str(s.passed_in_sample),
                      f"{s.passed_out_of_sample} ({how})")
    out.print(table)
    for r in result.refits.values():
        out.print(f"refit without {', '.join(r.left_out)}: cost {r.cost:.6g} on {', '.join(r.problem_studies)} "
                  f"(the full fit: {r.full_fit_cost:.6g} on the same residuals)")
    for a, b in result.changed():
        out.print(f"changed: {a.study} {a.observable} {a.metric}: {a.model:.4g} -> {b.model:.4g} "
                  f"(data {a.data:.4g}, {a.tolerance}): {'pass' if a.passed else 'FAIL'} in sample, "
                  f"{'pass' if b.passed else 'FAIL'} out of sample")
    t = result.totals()
    out.print(f"in sample: {t['passed_in_sample']}/{t['rows']} rows pass ({100 * t['fraction_in_sample']:.0f} %); "
              f"out of sample: {t['passed_out_of_sample']}/{t['rows']} ({100 * t['fraction_out_of_sample']:.0f} %)")
    path = out_path or (crossval.record_path() if every else None)
    if path is None:
        out.print("record not written (a subset of the studies; give --out to keep it)")
    else:
        command = _command_line("validate", study=names if not every else None, cross_validate=True, starts=starts,
                                seed=seed, max_nfev=max_nfev, out=out_path)
        try:
            crossval.write(result, path, command, starts, seed, max_nfev)
        except OSError as exc:
            _fail(NeuroimmuneError(f"--out: must be a writable file path (got {str(path)!r}: {exc.strerror})"))
        out.print(f"wrote {path}")
    failed = [r for r in result.in_sample if not r.passed and not studies.is_known_gap(r)]
    if failed:
        raise typer.Exit(code=1)


def _verdict(row) -> str:  # type: ignore[no-untyped-def]
    from .studies import is_known_gap

    return ("[green]pass[/]" if row.passed else
            "[yellow]FAIL (known gap)[/]" if is_known_gap(row) else "[bold red]FAIL[/]")


@app.command()
@_guarded
def params(
    module: Annotated[str | None, typer.Option(help="only this mechanism module")] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """List every parameter: value, unit, bounds, source, evidence kind, rationale."""
    from .model.parameters import default_parameters

    ps = default_parameters()
    modules = sorted({ps[n].module for n in ps})
    if module is not None and module not in modules:
        raise NeuroimmuneError(f"--module: must be one of {', '.join(modules)} (got {module!r})")
    chosen = [ps[n] for n in ps if module is None or ps[n].module == module]
    if fmt is not Format.table:
        columns = ("module", "name", "value", "unit", "lower", "upper", "source", "evidence", "fitted", "rationale")
        _emit([{"module": p.module, "name": p.name, "value": float(p.value), "unit": p.unit, "lower": float(p.lower),
                "upper": float(p.upper), "source": p.source, "evidence": p.evidence, "fitted": bool(p.free),
                "rationale": p.rationale} for p in chosen], columns, fmt)
        return
    out.print(Text(f"neuroimmune parameters ({len(chosen)})", style="bold"))
    out.print("name = value unit [bounds], evidence kind, source; below, why this value", style="dim")
    for mod in dict.fromkeys(p.module for p in chosen):
        out.print(Text(f"\n{mod}", style="bold"))
        for p in (p for p in chosen if p.module == mod):
            _line(Text(f"  {p.name}", style="bold"), f"= {p.value:.4g} {p.unit} [{p.lower:g}, {p.upper:g}], "
                  f"{p.evidence}{', fitted' if p.free else ''}, {p.source}", indent=6)
            _line("", p.rationale, indent=6, style="dim")
    out.print(f"fitted values from: {ps.fitted_from or 'none (uncalibrated)'}")


@app.command()
@_guarded
def citation(
    scenario: Annotated[Path | None, typer.Argument(help="scenario YAML/JSON; default: the packaged default")] = None,
) -> None:
    """Print the BibTeX of what a result of SCENARIO rests on."""
    from .analysis.citation import citation as make_citation

    sys.stdout.write(make_citation(_load(scenario)))


@app.command()
@_guarded
def export(
    fmt: Annotated[str, typer.Argument(metavar="FORMAT", help="export format: sbml, omex (COMBINE archive) or "
                                       "petab (the calibration problem, a folder)")],
    scenario: Annotated[Path | None, typer.Argument(help="scenario YAML/JSON; default: 2 ng/kg LPS, 24 h (for "
                                                    "petab: the folder to write)")] = None,
    out_path: Annotated[Path | None, typer.Option("--out", help="the file to write, e.g. model.xml (default); "
                                                  "for petab the folder")] = None,
    validate: Annotated[bool, typer.Option("--validate", help="omex: add the packaged studies' models and "
                                           "time-course data mapped onto the observables")] = False,
) -> None:
    """Write the model of SCENARIO (equations, parameters with provenance, events) in FORMAT; `export petab DIR`
    writes the calibration problem as a PEtab folder."""
    from .export import export as export_model
    from .export import get_exporter
    from .io.atomic import check_target

    options: dict[str, Any] = {"validate": True} if validate else {}
    exporter = get_exporter(fmt, **options)
    if exporter.kind == "folder":
        if scenario is not None and out_path is not None:
            raise NeuroimmuneError(f"DIR: give the folder once, as DIR or --out (got {str(scenario)!r} and "
                                   f"{str(out_path)!r})")
        folder = scenario or out_path or Path(fmt)
        check_target(folder, "DIR", kind="folder")
        path = export_model(None, fmt, folder, **options)
    else:
        target = out_path or Path("model.xml")
        _targets((target, "--out", exporter.suffixes))
        path = export_model(_load(scenario), fmt, target, **options)
    out.print(f"wrote {path}")


@app.command()
@_guarded
def calibrate(
    problem: Annotated[str | None, typer.Argument(
        help="calibration problem: joint (default; every fitted study), or endotoxemia, its former name")] = None,
    exclude: Annotated[list[str] | None, typer.Option(
        "--exclude", help="leave this fitted study out (repeatable); needs --out")] = None,
    starts: Annotated[int, typer.Option(min=1, max=64, help="number of optimizer starts")] = 3,
    seed: Annotated[int, typer.Option(min=0, help="seed of the Sobol start design")] = 0,
    max_nfev: Annotated[int | None, typer.Option(
        min=1, help="function evaluations per start (default 400); with --profiles per re-fit (default 4)")] = None,
    out_path: Annotated[Path | None, typer.Option("--out", help="where to write (default: the packaged fit)")] = None,
    from_fit: Annotated[bool, typer.Option(
        "--from-fit", help="start the first optimisation from the packaged fit, not the base values")] = False,
    data: Annotated[Path | None, typer.Option(
        "--data", help="fit your own study instead: a PEtab measurement table (.tsv) whose conditions are scenario "
                       "files next to it; needs --out")] = None,
    free: Annotated[str | None, typer.Option(
        "--free", help="with --data: comma-separated parameters to fit (default: the packaged free ones)")] = None,
    posterior: Annotated[bool, typer.Option(
        "--posterior", help="sample the posterior around the packaged fit (MCMC) instead of fitting; writes "
                            "model/fitted/endotoxemia_posterior.nc or --out FILE.nc; an interrupted run resumes "
                            "from its checkpoint FILE.nc.partial.npz when run again")] = False,
    walkers: Annotated[int | None, typer.Option(help="--posterior: ensemble walkers (default 24)")] = None,
    steps: Annotated[int | None, typer.Option(help="--posterior: steps of each walker (default 2500)")] = None,
    burn: Annotated[int | None, typer.Option(help="--posterior: steps dropped as burn-in (default 500)")] = None,
    thin: Annotated[int | None, typer.Option(help="--posterior: keep every THIN-th step (default 10)")] = None,
    processes: Annotated[int | None, typer.Option(
        min=1, help="--posterior: worker processes for the densities (default: the cores available, at most half "
                    "the walkers); the sample does not depend on it")] = None,
    profiles: Annotated[bool, typer.Option(
        "--profiles", help="profile likelihood of each free parameter and its identifiability class; writes "
                           "identifiability.csv/.yaml and profiles.png into --out DIR (default: profiles)")] = False,
) -> None:
    """Re-fit the free parameters to the studies that inform them, write the fitted parameter file with its
    provenance, and print the per-study table of fit. With --data, fit your own study instead; with --posterior,
    sample their posterior; with --profiles, profile each one and class it as identifiable or not."""
    from . import studies
    from .calibration.optimize import calibrate as run_calibration
    from .errors import UnknownNameError

    if data is not None and (posterior or profiles):
        _fail(NeuroimmuneError(f"--data: fits your own study; --posterior and --profiles work on the packaged "
                               f"calibration, so give one or the other (got --data {data})"))
    if data is not None:
        _calibrate_own(data, free, starts, seed, max_nfev or 400, out_path, exclude)
        return
    if free is not None:
        _fail(NeuroimmuneError(f"--free: chooses the parameters of --data's fit; give --data too (got {free!r})"))

    if problem not in (None, "joint", "endotoxemia"):
        _fail(NeuroimmuneError(f"problem: must be one of joint, endotoxemia (got {problem!r})"))
    if posterior and profiles:
        _fail(NeuroimmuneError("--posterior, --profiles: give one of the two (got both)"))
    if (posterior or profiles) and exclude:
        _fail(NeuroimmuneError(f"--exclude: works only for a fit, not with --posterior or --profiles "
                               f"(got {', '.join(exclude)})"))
    if posterior:
        _sample_posterior(walkers, steps, burn, thin, seed, out_path, processes)
        return
    if profiles:
        _profile(out_path or Path("profiles"), max_nfev or 4)
        return
    max_nfev = max_nfev or 400
    for name in exclude or ():
        if name not in studies.fitted():
            _fail(UnknownNameError("--exclude", name, studies.fitted()))
    _targets((out_path, "--out", (".yaml", ".yml")))

    def report(i: int, result) -> None:  # type: ignore[no-untyped-def]
        out.print(f"start {i + 1}/{starts}: cost {result.cost:.4g} after {result.nfev} evaluations")

    try:
        prov = run_calibration(exclude=tuple(exclude or ()), n_starts=starts, seed=seed, max_nfev=max_nfev,
                               out=out_path, progress=report, from_fit=from_fit,
                               command=_command_line("calibrate", exclude=exclude, starts=starts, seed=seed,
                                                     max_nfev=max_nfev, out=out_path, from_fit=from_fit))
    except NeuroimmuneError as exc:
        message = str(exc)
        _fail(NeuroimmuneError("--" + message if message.startswith(("exclude:", "out:")) else message))
    table = Table(title="fit by study (weighted residuals)")
    for col in ("study", "residuals", "cost share", "RMS"):
        table.add_column(col, justify="left" if col == "study" else "right")
    total = sum(f["cost"] for f in prov["fit_by_study"].values())
    for name, f in prov["fit_by_study"].items():
        share = f["cost"] / total if total > 0 else 0.0
        table.add_row(name, str(f["n_residuals"]), f"{100 * share:.1f} %", f"{f['rms']:.3g}")
    out.print(table)
    out.print(f"cost {prov['start_cost']:.6g} at the start, best {prov['final_cost']:.6g}; "
              f"wrote {out_path or 'the packaged fit'}")


def _calibrate_own(data: Path, free: str | None, starts: int, seed: int, max_nfev: int, out_path: Path | None,
                   exclude: list[str] | None) -> None:
    """``calibrate --data``: fit a user's measurement table and write the fitted-parameter file."""
    from .calibration.own_study import fit_own_study

    if exclude:
        _fail(NeuroimmuneError(f"--exclude: leaves out packaged studies, which --data does not use (got {exclude})"))
    if out_path is None:
        _fail(NeuroimmuneError("--out: --data writes its fit to a file of yours, never over the packaged fit; give "
                               "a .yaml path (got none)"))
    _targets((out_path, "--out", (".yaml", ".yml")))
    names = [n.strip() for n in free.split(",") if n.strip()] if free is not None else None
    if names is not None and not names:
        _fail(NeuroimmuneError(f"--free: must name at least one parameter (got {free!r})"))
    try:
        prov = fit_own_study(data, names, n_starts=starts, seed=seed, max_nfev=max_nfev, out=out_path,
                             command=_command_line("calibrate", data=data, free=free, starts=starts, seed=seed,
                                                   max_nfev=max_nfev, out=out_path))
    except NeuroimmuneError as exc:
        message = str(exc)
        _fail(NeuroimmuneError("--" + message if message.startswith(("data", "free:")) else message))
    table = Table(title=f"fit of {data.name} (weighted residuals)")
    for col in ("observable", "points", "cost", "RMS"):
        table.add_column(col, justify="left" if col == "observable" else "right")
    for name, f in prov["fit_by_observable"].items():
        table.add_row(name, str(f["n"]), f"{f['cost']:.4g}", f"{f['rms']:.3g}")
    out.print(table)
    values = Table(title="fitted parameters")
    for col in ("parameter", "packaged", "fitted"):
        values.add_column(col, justify="left" if col == "parameter" else "right")
    from .model.parameters import default_parameters

    ps = default_parameters()
    for name, v in prov["free"].items():
        values.add_row(name, f"{ps[name].value:.4g}", f"{v:.4g}")
    out.print(values)
    out.print(f"cost {prov['start_cost']:.6g} at the packaged fit, best {prov['final_cost']:.6g}; wrote {out_path} "
              f"(use it with `neuroimmune run SCENARIO --parameters {out_path}`)")


def _sample_posterior(walkers: int | None, steps: int | None, burn: int | None, thin: int | None, seed: int,
                      out_path: Path | None, processes: int | None = None) -> None:
    from .calibration import posterior as post

    _targets((out_path, "--out", (".nc",)))
    walkers, steps = walkers or post.WALKERS, steps or post.STEPS
    burn, thin = post.BURN if burn is None else burn, thin or post.THIN
    command = _command_line("calibrate", posterior=True, walkers=walkers, steps=steps, burn=burn, thin=thin,
                            seed=seed, out=out_path)
    began = time.monotonic()

    def report(step: int, acceptance: float) -> None:
        out.print(f"step {step}/{steps}: mean acceptance {acceptance:.2f}, {time.monotonic() - began:.0f} s")

    prov = post.posterior(walkers=walkers, steps=steps, burn=burn, thin=thin, seed=seed, out=out_path,
                          command=command, progress=report, processes=processes)
    d = prov["diagnostics"]
    table = Table(title=f"posterior: {prov['n_draws']} draws (error scale {prov['noise']['error_scale']:.3g})")
    for col in ("parameter", "2.5 %", "median", "97.5 %", "fit", "R-hat", "ESS bulk", "ESS tail", "tau (steps)"):
        table.add_column(col, justify="left" if col == "parameter" else "right")

    def num(v: float | None, fmt: str) -> str:  # None: the chain was too short for an estimate
        return "n/a" if v is None else f"{v:{fmt}}"

    for name, q in prov["summary"].items():
        table.add_row(name, f"{q['q025']:.4g}", f"{q['median']:.4g}", f"{q['q975']:.4g}", f"{q['fit']:.4g}",
                      num(d["rhat"][name], ".3f"), num(d["ess_bulk"][name], ".0f"), num(d["ess_tail"][name], ".0f"),
                      num(d["autocorrelation_time_steps"][name], ".3g"))
    out.print(table)
    out.print(f"max R-hat {num(d['max_rhat'], '.3f')}, min ESS {num(d['min_ess_bulk'], '.0f')} (bulk) "
              f"{num(d['min_ess_tail'], '.0f')} (tail); kept chain "
              f"{num(d['kept_steps_over_max_autocorrelation_time'], '.3g')} autocorrelation times; "
              f"acceptance {prov['acceptance_fraction']:.2f}; {prov['wall_time_s']:.0f} s in "
              f"{prov['processes']} process{'es' if prov['processes'] > 1 else ''}; "
              f"wrote {out_path or 'the packaged posterior'}")


def _profile(folder: Path, max_nfev: int) -> None:
    from .calibration import profiles as prof
    from .io.atomic import check_target, together
    from .plotting.profiles import figure

    check_target(folder, "--out", kind="folder")
    command = _command_line("calibrate", profiles=True, max_nfev=max_nfev, out=folder)
    began = time.monotonic()
    run = prof.joint_profiles(max_nfev=max_nfev, command=command,
                              progress=lambda name: out.print(f"profiling {name} ({time.monotonic() - began:.0f} s)"))
    with together():
        paths = prof.write(run, folder)
        paths.append(figure(run.profiles, run.table, run.fit, folder / "profiles.png"))
    table = Table(title=f"identifiability (95 %: Delta chi^2 = {prof.THRESHOLD:.2f}, data alone, error scale "
                        f"{run.provenance['noise']['error_scale']:.3g})")
    for col in ("parameter", "class", "95 % interval", "max Delta chi^2"):
        table.add_column(col, justify="left" if col in ("parameter", "class") else "right")
    for t in run.table:
        r = t.record()
        interval = f"{'<=' if t.low_open else ''}{r['low']:.4g} - {r['high']:.4g}{'+' if t.high_open else ''}"
        table.add_row(t.name, t.kind, interval, f"{t.max_rise:.3g}")
    out.print(table)
    out.print(f"{run.provenance['wall_time_s']:.0f} s; wrote {', '.join(str(p) for p in paths)}")


def _command_line(command: str, **options: object) -> str:
    """The command with the options it ran with, for the provenance of what it writes (rebuilt from the parsed
    options, so it reads the same however the command was invoked)."""
    words = ["neuroimmune", command]
    for name, value in options.items():
        flag = "--" + name.replace("_", "-")
        if value is None or value is False:
            continue
        if value is True:
            words.append(flag)
        elif isinstance(value, list | tuple):
            words += [w for v in value for w in (flag, str(v))]
        else:
            words += [flag, str(value)]
    return " ".join(words)


@app.command()
@_guarded
def interventions(fmt: FormatOption = Format.table) -> None:
    """Every intervention kind: what it acts on, the published effect, the evidence grade, the sources."""
    from .scenarios import INTERVENTIONS, evidence

    ev = evidence()
    if fmt is not Format.table:
        columns = ("kind", "acts_on", "published_effect", "grade", "sources", "in_the_model")
        _emit([{"kind": k, "acts_on": ev[k]["mechanism"], "published_effect": ev[k]["effect"],
                "grade": ev[k]["grade"], "sources": ", ".join(ev[k]["sources"]), "in_the_model": ev[k]["model_effect"]}
               for k in INTERVENTIONS], columns, fmt)
        return
    out.print(Text("neuroimmune interventions", style="bold"))
    out.print("what each acts on, the published effect, how sure the evidence is", style="dim")
    for kind in INTERVENTIONS:
        e = ev[kind]
        out.print(Text(f"\n{kind}", style="bold") + Text(f"  (evidence: {e['grade']})"))
        for label, text in (("acts on", e["mechanism"]), ("published effect", e["effect"]),
                            ("in the model", e["model_effect"]), ("sources", ", ".join(e["sources"]))):
            _line(f"  {label}", text, indent=20)


@app.command()
@_guarded
def compare(
    scenario: Annotated[Path | None, typer.Argument(help="scenario YAML/JSON; default: the packaged default")] = None,
    with_: Annotated[list[str], typer.Option("--with", help="a measure: a kind ('heat') or 'kind:key=value,...' "
                                             "('heat:region=neck,hours_per_day=4'); repeat for several")] = [],  # noqa: B006
    plot: Annotated[Path | None, typer.Option(help="write a figure of back ache and temperature per arm (PNG)")] = None,
) -> None:
    """Run SCENARIO with and without each measure; print the change in peak back ache, days with back pain, peak
    temperature and recovery day."""
    from .analysis.compare import compare as run_compare
    from .io.atomic import together

    if not with_:
        raise NeuroimmuneError("--with: give at least one measure, such as --with heat (got none)")
    _targets((plot, "--plot", FIGURE_SUFFIXES))
    outcomes, runs = run_compare(_load(scenario), list(with_))
    base = outcomes[0]
    table = Table(title="neuroimmune compare (difference from baseline in brackets)")
    for col in ("arm", "peak back ache (0-10)", "days with back pain", "peak temperature (degC)", "recovery day"):
        table.add_column(col, justify="left" if col == "arm" else "right", overflow="fold")

    def cell(value: float, ref: float, fmt: str) -> str:
        if value != value:  # NaN: not recovered within the scenario
            return "not within the run"
        if value is ref:
            return _number(value, fmt)
        change = 0.0 if ref != ref else value - ref
        return f"{_number(value, fmt)} ({_number(change, '+' + fmt)})"

    for o in outcomes:
        table.add_row(o.label, cell(o.peak_back_pain, base.peak_back_pain, ".2f"),
                      cell(o.days_with_back_pain, base.days_with_back_pain, ".0f"),
                      cell(o.peak_temperature, base.peak_temperature, ".2f"),
                      cell(o.recovery_day, base.recovery_day, ".1f"))
    out.print(table)
    if plot:
        from .plotting import figures

        with together():
            figures.save(figures.comparison(runs), plot)
        out.print(f"wrote {plot}")


@app.command()
@_guarded
def serve(
    port: Annotated[int, typer.Option(min=0, max=65535, help="TCP port on 127.0.0.1 (0: any free port)")] = 8000,
    host: Annotated[str, typer.Option(help="address to listen on; keep the loopback default unless you mean it")] = (
        "127.0.0.1"),
    workers: Annotated[int, typer.Option(min=1, max=16, help="server processes (each simulates on its own core)")] = 2,
) -> None:
    """Start the explorer (web page and HTTP API) and print its address."""
    import socket

    import uvicorn

    from .web import create_app

    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except socket.gaierror as exc:
        raise NeuroimmuneError(f"--host: must be an address of this machine, such as 127.0.0.1 (got {host!r}: "
                               f"{exc.strerror})") from None
    except OSError as exc:
        raise NeuroimmuneError(f"--port: must be a free port on {host} (got {port}: {exc.strerror})") from None
    sock.listen(2048)  # connections wait in the backlog until a worker is ready, rather than being refused
    bound = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    typer.echo(f"neuroimmune explorer on http://{shown}:{bound}/  (API docs: http://{shown}:{bound}/docs; "
               "Ctrl-C stops)")
    sys.stdout.flush()
    if workers == 1:
        config = uvicorn.Config(create_app(), log_level="warning", timeout_keep_alive=5)
        uvicorn.Server(config).run(sockets=[sock])
    else:
        from uvicorn.supervisors import Multiprocess

        config = uvicorn.Config("neuroimmune.web:create_app", factory=True, workers=workers, log_level="warning",
                                timeout_keep_alive=5)
        Multiprocess(config, sockets=[sock]).run()


@app.command("diary-check")
@_guarded
def diary_check(
    diary: Annotated[Path, typer.Argument(help="YAML/JSON: {illness, host (optional), days: [{day, back_pain, "
                                          "temperature}], answers (optional)}; '-' reads standard input")],
    as_json: Annotated[bool, typer.Option("--json", help="print the full answer as JSON")] = False,
) -> None:
    """Compare a symptom diary with the range the model predicts; prints the verdict and the reason.

    Exit code 0 for "typical", 3 for "more than typical", 4 for a red flag, 2 for bad input.
    """
    import json

    from .advice import diary_check as check
    from .io.safe_yaml import MAX_BYTES, load_yaml, read_yaml

    if str(diary) == "-":
        data = load_yaml(sys.stdin.buffer.read(MAX_BYTES + 1), field="diary", what="diary", where="standard input")
    else:
        data = read_yaml(diary, field="diary", what="diary")
    if not isinstance(data, dict):
        raise NeuroimmuneError(f"diary: must be a mapping with illness and days (got {type(data).__name__})")
    unknown = sorted(map(str, set(data) - {"illness", "host", "days", "answers"}))
    if unknown:
        raise NeuroimmuneError(f"diary: unknown field {unknown[0]!r}; the fields are illness, host, days, answers")
    for needed, example in (("illness", "illness: influenza"), ("days", "days: [{day: 1, back_pain: 5}]")):
        if needed not in data:
            raise NeuroimmuneError(f"diary.{needed}: required field is missing, such as '{example}'")
    result = check(data["illness"], data["days"], host=data.get("host"), answers=data.get("answers"))
    if as_json:
        sys.stdout.write(json.dumps(result, indent=2) + "\n")
    else:
        out.print(Text(result["verdict"], style="bold"))
        for reason in result["reasons"]:
            out.print(f"- {reason}")
        out.print(result["disclaimer"], style="dim")
    raise typer.Exit(code={"typical": 0, "see_doctor": 3, "red_flag": 4}[result["level"]])




@app.command()
@_guarded
def forecast(
    diary: Annotated[Path | None, typer.Argument(help="YAML/JSON: {illness, host (optional), days: [{day, back_pain, "
                                                 "temperature, fatigue}], answers (optional)}; '-' reads standard "
                                                 "input")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the full answer as JSON")] = False,
    plot: Annotated[Path | None, typer.Option(help="write the forecast figure (PNG, PDF or SVG)")] = None,
    build_library: Annotated[bool, typer.Option("--build-library", help="build the trajectory libraries (all "
                                                "illnesses, or those given with --illness) and stop")] = False,
    illness: Annotated[list[str] | None, typer.Option(help="with --build-library: an illness (repeat)")] = None,
    members: Annotated[int | None, typer.Option(help="with --build-library: members per library (5000)")] = None,
) -> None:
    """Forecast the coming days of an illness from a symptom diary: back ache and temperature per day (median,
    50 % and 80 % bands) and the day you are likely to feel better, from simulated people whose illness went like
    yours. A library of simulated courses is built at first use (a progress bar shows it), or ahead with
    --build-library.

    Exit code 0 for "typical", 3 for "more than typical" (including a diary outside what the model explains), 4
    for a red flag, 2 for bad input.
    """
    import json

    from .advice.forecast import forecast_request, validate
    from .forecast import load_library
    from .io.safe_yaml import MAX_BYTES, load_yaml, read_yaml
    from .scenarios import CHALLENGES

    if build_library:
        if diary is not None or plot is not None or as_json:
            raise NeuroimmuneError("--build-library: builds libraries only; give no diary, --plot or --json with it")
        for name in illness or list(CHALLENGES):
            if name not in CHALLENGES:
                raise NeuroimmuneError(f"--illness: must be one of {', '.join(CHALLENGES)} (got {name!r})")
        for name in illness or list(CHALLENGES):
            with _library_bar(f"library {name}") as report:
                lib = load_library(name, None, members=members, progress=report)
            out.print(f"{name}: {lib.members:,} members ({int(lib.valid.sum()):,} fell ill), {lib.path}; "
                      f"{lib.provenance['uncertainty']['words']}")
        return
    if illness or members is not None:
        raise NeuroimmuneError("--illness, --members: only with --build-library (the diary names its illness)")
    if diary is None:
        raise NeuroimmuneError("diary: give a diary file (or '-' for standard input), or --build-library")
    _targets((plot, "--plot", FIGURE_SUFFIXES))
    if str(diary) == "-":
        data = load_yaml(sys.stdin.buffer.read(MAX_BYTES + 1), field="diary", what="diary", where="standard input")
    else:
        data = read_yaml(diary, field="diary", what="diary")
    if isinstance(data, dict):
        unknown = sorted(map(str, set(data) - {"illness", "host", "days", "answers"}))
        if unknown:
            raise NeuroimmuneError(f"diary: unknown field {unknown[0]!r}; the fields are illness, host, days, answers")
        for needed, example in (("illness", "illness: influenza"), ("days", "days: [{day: 1, back_pain: 5}]")):
            if needed not in data:
                raise NeuroimmuneError(f"diary.{needed}: required field is missing, such as '{example}'")
    request = validate(data)
    with _library_bar(f"library {request.illness}") as report:
        library = load_library(request.illness, request.host, progress=report)
    result = forecast_request(request, library=library)
    if plot:
        from .io.atomic import together
        from .plotting import figures

        with together():
            figures.save(figures.forecast(result), plot)
    if as_json:
        sys.stdout.write(json.dumps(result, indent=2) + "\n")
    else:
        _print_forecast(result)
        if plot:
            out.print(f"wrote {plot}")
    raise typer.Exit(code={"typical": 0, "see_doctor": 3, "red_flag": 4}[result["level"]])


def _library_bar(label: str):  # type: ignore[no-untyped-def]
    """A context giving a progress callback that shows a Rich bar once a library is being built (nothing when the
    library is already there)."""
    import contextlib
    from collections.abc import Iterator

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    @contextlib.contextmanager
    def bar() -> Iterator[Any]:
        with Progress(TextColumn(f"[bold]{label}"), BarColumn(), MofNCompleteColumn(), TextColumn("members"),
                      TimeElapsedColumn(), console=err, transient=False, disable=False, auto_refresh=False) as prog:
            task: list[Any] = []

            def report(done: int, total: int) -> None:
                if not task:
                    task.append(prog.add_task(label, total=total))
                prog.update(task[0], completed=done, refresh=True)

            yield report

    return bar()


def _print_forecast(result: dict[str, Any]) -> None:
    """The forecast for people: the verdict, the reasons, a table of the coming days, the fit and the disclaimer."""
    out.print(Text(result["verdict"], style="bold"))
    for reason in result["reasons"]:
        out.print(f"- {reason}")
    fc = result.get("forecast")
    if fc:
        table = Table(title=f"forecast: {result['illness']}, {result['host_group']['label']}")
        for col in ("day", "back ache", "50 % / 80 % band", "temperature (°C)", "50 % / 80 % band "):
            table.add_column(col, justify="right")
        last = max(e["day"] for e in result["entered"])
        for d in fc["days"]:
            if d["day"] > last + FORECAST_ROWS_AHEAD:
                break
            cells = [f"{d['day']}{' (yours)' if d['entered'] else ''}"]
            for f, fmt in (("back_pain", ".0f"), ("temperature", ".1f")):
                b = d[f]
                cells += ["-", "-"] if b is None else [
                    f"{b['median']:{fmt}}", f"{b['low50']:{fmt}}-{b['high50']:{fmt}} / {b['low80']:{fmt}}-"
                    f"{b['high80']:{fmt}}"]
            table.add_row(*cells)
        out.print(table)
    fit = result["fit"]
    out.print(f"the forecast rests on about {fit['effective_members']:.0f} of {fit['library_members']:,} simulated "
              f"people (effective sample size); {result['library']['uncertainty'].get('words', '')}", style="dim")
    out.print(result["disclaimer"], style="dim")


@app.command()
@_guarded
def cohort(
    scenario: Annotated[Path | None, typer.Argument(help="scenario YAML/JSON; default: 2 ng/kg LPS, 24 h")] = None,
    n: Annotated[int, typer.Option("--n", help="number of virtual people")] = 1_000_000,
    out_path: Annotated[Path | None, typer.Option("--out", help="Zarr store; an interrupted run resumes")] = None,
    seed: Annotated[int, typer.Option(help="seed of the members' random streams")] = 0,
    host: Annotated[str, typer.Option(help="host distribution: scenario, volunteers, adults")] = "scenario",
    engine: Annotated[str, typer.Option(help="compiled, explicit, hybrid, stiff, scipy or reference")] = "compiled",
    chunk_size: Annotated[int, typer.Option(help="members per chunk")] = 16_384,
    scheduler: Annotated[str | None, typer.Option(help="local, or a Dask scheduler tcp://HOST:PORT")] = None,
    trajectories: Annotated[int, typer.Option(help="keep time courses of this many members")] = 0,
    resolution: Annotated[float | None, typer.Option(help="time step of the kept time courses, hours")] = None,
) -> None:
    """Simulate a virtual cohort of SCENARIO and print the spread of its summaries."""
    import contextlib
    from collections.abc import Iterator

    import numpy as np
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from .cohort import compile_notice, simulate_cohort
    from .io.atomic import check_target

    if out_path is not None:
        check_target(out_path, "--out", kind="folder")
    try:
        sc = _load(scenario)
        err.print(f"cohort: {n:,} members of {sc.name or 'the scenario'} (--n to change)", highlight=False)
        with Progress(SpinnerColumn(), TextColumn("[bold]cohort"), BarColumn(), MofNCompleteColumn(),
                      TextColumn("{task.fields[rate]} members/s"), TimeElapsedColumn(), TextColumn("ETA"),
                      TimeRemainingColumn(), TextColumn("{task.fields[note]}"), console=err,
                      transient=False) as bar:
            task = bar.add_task("cohort", total=n, rate="-", note="")

            @contextlib.contextmanager
            def compiling(seconds: float) -> Iterator[None]:  # first use on this machine: numba compiles
                bar.update(task, note=f"compiling the cohort kernel once, about {seconds:.0f} s")
                try:
                    yield
                finally:
                    bar.update(task, note="")
            started: list[float] = []  # time and members done at the first report (a resumed run starts > 0)

            def report(done: int, total: int) -> None:
                if not started:
                    started.extend((time.perf_counter(), done))
                dt = time.perf_counter() - started[0]
                rate = (done - started[1]) / dt if dt > 0 else 0.0
                bar.update(task, completed=done, rate=f"{rate:,.0f}")

            with compile_notice(compiling):
                ds = simulate_cohort(sc, n, variability=host, seed=seed,
                                     keep={"out": out_path, "trajectories": trajectories, "resolution": resolution},
                                     tolerances={"engine": engine},
                                     execution={"chunk_size": chunk_size, "scheduler": scheduler, "progress": report})
    except NeuroimmuneError as exc:
        _fail(exc)
    table = Table(title=f"neuroimmune cohort: {n:,} members of {sc.name or 'the scenario'}")
    for col in ("summary", "unit", "median", "5 %", "95 %"):
        table.add_column(col, justify="left" if col in ("summary", "unit") else "right")
    ok = ds["status"].values == 0

    def add(name: str, values: Any, unit: str) -> None:
        x = np.asarray(values, dtype=float)[ok]
        x = x[np.isfinite(x)]
        if len(x):
            table.add_row(name, unit, *(_number(q) for q in np.quantile(x, [0.5, 0.05, 0.95])))

    def order(name: str) -> tuple[int, str]:  # the illness course first, then observables, then who the members are
        course = ("days_with_fever", "days_with_back_pain", "recovery_day")
        who = name.startswith("param_") or name in ("age", "weight")
        return (course.index(name) if name in course else 10 if not who else 20, name)

    names = sorted(map(str, ds.data_vars), key=order)
    for name in names if ok.any() else []:
        v = ds[name]
        if name == "days_with_back_pain" and "ppt_change_peak" in ds:
            add(name, v.values, v.attrs.get("units", ""))
            peak = ds["ppt_change_peak"]  # the pain result: each region's largest threshold change, lower back first
            for region in map(str, peak["region"].values):
                add(f"{region}_ppt_min", peak.sel(region=region).values, peak.attrs.get("units", "%"))
            continue
        if v.dims != ("member",) or name in ("status", "n_rhs", "message", "sex"):
            continue
        add(name, v.values, v.attrs.get("units", ""))
    out.print(table)
    out.print(f"{int(ok.sum()):,} members ok, {int((~ok).sum()):,} failed (status and message per member)")
    if out_path:
        out.print(f"wrote {out_path}")


@app.command()
@_guarded
def sensitivity(
    scenario: Annotated[Path | None, typer.Argument(help="scenario YAML/JSON; default: 2 ng/kg LPS, 24 h")] = None,
    output: Annotated[str, typer.Option(help="summary to analyse, e.g. lower_back_ppt_min, tnf_peak")] = "tnf_peak",
    method: Annotated[str, typer.Option(help="sensitivity method: sobol")] = "sobol",
    n: Annotated[int, typer.Option("--n", help="base sample size (a power of 2)")] = 4096,
    parameters: Annotated[str | None, typer.Option(
        help="comma-separated parameters, or all (default: the calibrated ones)")] = None,
    seed: Annotated[int, typer.Option(help="seed of the design")] = 0,
    scheduler: Annotated[str | None, typer.Option(help="local, or a Dask scheduler tcp://HOST:PORT")] = None,
    plot: Annotated[Path | None, typer.Option(help="write the bar chart (PNG)")] = None,
    top: Annotated[int, typer.Option(min=1, help="parameters shown")] = 15,
    store: Annotated[Path | None, typer.Option(
        "--out", help="keep the design's cohort in this Zarr store: an interrupted run resumes, and the same "
                      "command with another --output analyses the stored cohort without running it again")] = None,
) -> None:
    """Global sensitivity of one cohort summary to the parameters (SALib), with a bar chart."""
    from .cohort.sensitivity import METHODS, bar_chart

    if method not in METHODS:
        raise NeuroimmuneError(f"--method: must be one of {', '.join(METHODS)} (got {method!r})")
    _targets((plot, "--plot", FIGURE_SUFFIXES))
    sc = _load(scenario)
    names = [p.strip() for p in parameters.split(",")] if parameters else None
    res = METHODS[method](sc, output, n, parameters=names, seed=seed, keep={"out": store},
                          execution={"scheduler": scheduler})
    table = Table(title=f"Sobol indices of {output} ({res.n_runs:,} runs, {res.n_failed} failed)")
    for col in ("parameter", "S1", "+/- 95 %", "ST", "+/- 95 %", "ST bar"):
        table.add_column(col, justify="left" if col in ("parameter", "ST bar") else "right")
    for i in res.ranked()[:top]:
        table.add_row(res.names[i], f"{res.S1[i]:.3f}", f"{res.S1_conf[i]:.3f}", f"{res.ST[i]:.3f}",
                      f"{res.ST_conf[i]:.3f}", "#" * int(round(40 * max(0.0, min(1.0, res.ST[i])))))
    out.print(table)
    if plot:
        bar_chart(res, str(plot), top)
        out.print(f"wrote {plot}")


def main() -> None:
    """Entry point of the ``neuroimmune`` command."""
    app()


if __name__ == "__main__":
    main()
