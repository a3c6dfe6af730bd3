"""Command-line interface: a thin shell over the Python API, one subcommand per public function."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from .errors import NeuroimmuneError

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="neuroimmune: simulate how an immune challenge turns into fever, sickness and a sore back.")
out = Console()
err = Console(stderr=True)


def _fail(exc: Exception) -> None:
    err.print(f"[bold red]error:[/] {exc}", highlight=False)
    raise typer.Exit(code=2)


def _load(scenario: Path | None):  # type: ignore[no-untyped-def]
    from .scenarios import Scenario, default_scenario

    return default_scenario() if scenario is None else Scenario.from_yaml(scenario)


@app.command()
def run(
    scenario: Annotated[Path | None, typer.Argument(help="scenario YAML/JSON; default: 2 ng/kg LPS, 24 h")] = None,
    out_path: Annotated[Path | None, typer.Option("--out", help="write the result as NetCDF")] = None,
    plot: Annotated[Path | None, typer.Option(help="write the time-course figure (PNG)")] = None,
    bodymap: Annotated[Path | None, typer.Option(help="write the body-map figure (PNG)")] = None,
    bodymap_time: Annotated[float, typer.Option(help="time of the body map, hours")] = 2.0,
) -> None:
    """Simulate a scenario and print its summary table."""
    from . import simulate
    from .analysis.summary import summarize

    try:
        sc = _load(scenario)
        if bodymap is not None and not 0 <= bodymap_time <= sc.duration:
            raise NeuroimmuneError(f"--bodymap-time: must lie within the scenario's 0-{sc.duration:g} h "
                                   f"(got {bodymap_time:g})")
        ds = simulate(sc)
    except NeuroimmuneError as exc:
        _fail(exc)
    table = Table(title=f"neuroimmune: {sc.name or (scenario.name if scenario else 'default')}")
    for col in ("quantity", "value", "unit", "at (h)"):
        table.add_column(col, justify="left" if col == "quantity" else "right")
    for row in summarize(ds):
        table.add_row(row.quantity, f"{row.value:.4g}", row.unit, "" if row.time is None else f"{row.time:.2f}")
    out.print(table)
    if out_path:
        from .io import write_netcdf

        write_netcdf(ds, out_path)
        out.print(f"wrote {out_path}")
    if plot or bodymap:
        from .plotting import figures

        if plot:
            figures.save(figures.timecourse(ds), plot)
            out.print(f"wrote {plot}")
        if bodymap:
            figures.save(figures.bodymap(ds, bodymap_time), bodymap)
            out.print(f"wrote {bodymap}")


@app.command()
def validate() -> None:
    """Compare the model with every published dataset it covers; exit 1 if any row fails."""
    from .validation import is_known_gap
    from .validation import validate as run_validation

    rows = run_validation()
    table = Table(title="neuroimmune validate")
    for col in ("study", "observable", "metric", "tolerance", "model", "data", "fit", "result"):
        table.add_column(col)
    for r in rows:
        table.add_row(r.study, r.observable, r.metric, r.tolerance, f"{r.model:.4g}", f"{r.data:.4g}",
                      "in-sample" if r.fitted else "held-out",
                      "[green]pass[/]" if r.passed else
                      "[yellow]FAIL (known gap)[/]" if is_known_gap(r) else "[bold red]FAIL[/]")
    out.print(table)
    gaps = [r for r in rows if not r.passed and is_known_gap(r)]
    failed = [r for r in rows if not r.passed and not is_known_gap(r)]
    out.print(f"{len(rows) - len(failed) - len(gaps)} passed, {len(failed)} failed, {len(gaps)} known gaps "
              "(see validation/known_gaps.yaml)")
    out.print("tolerance reasons: " + "; ".join(sorted({f"{r.metric.split(' (')[0]}: {r.reason}" for r in rows})),
              style="dim")
    if failed:
        raise typer.Exit(code=1)


@app.command()
def params(
    module: Annotated[str | None, typer.Option(help="only this mechanism module")] = None,
) -> None:
    """List every parameter: value, unit, bounds, source, evidence kind, rationale."""
    from .model.parameters import default_parameters

    ps = default_parameters()
    modules = sorted({ps[n].module for n in ps})
    if module is not None and module not in modules:
        _fail(NeuroimmuneError(f"--module: must be one of {', '.join(modules)} (got {module!r})"))
    table = Table(title="neuroimmune parameters", show_lines=False)
    for col in ("module", "name", "value", "unit", "bounds", "source", "evidence", "fitted", "rationale"):
        table.add_column(col, overflow="fold")
    for name in ps:
        p = ps[name]
        if module and p.module != module:
            continue
        table.add_row(p.module, p.name, f"{p.value:.4g}", p.unit, f"[{p.lower:g}, {p.upper:g}]", p.source,
                      p.evidence, "yes" if p.free else "", p.rationale)
    out.print(table)
    out.print(f"fitted values from: {ps.fitted_from or 'none (uncalibrated)'}")


@app.command()
def citation(
    scenario: Annotated[Path | None, typer.Argument(help="scenario YAML/JSON; default: the packaged default")] = None,
) -> None:
    """Print the BibTeX of what a result of SCENARIO rests on."""
    from .model.citation import citation as make_citation

    try:
        sc = _load(scenario)
    except NeuroimmuneError as exc:
        _fail(exc)
    sys.stdout.write(make_citation(sc))


@app.command()
def export(
    fmt: Annotated[str, typer.Argument(metavar="FORMAT", help="export format: sbml")],
    scenario: Annotated[Path | None, typer.Argument(help="scenario YAML/JSON; default: 2 ng/kg LPS, 24 h")] = None,
    out_path: Annotated[Path, typer.Option("--out", help="the file to write, e.g. model.xml")] = Path("model.xml"),
) -> None:
    """Write the model of SCENARIO (equations, parameters with provenance, events) in FORMAT."""
    from .export import export as export_model
    from .export import get_exporter

    try:
        get_exporter(fmt)
        sc = _load(scenario)
        path = export_model(sc, fmt, out_path)
    except NeuroimmuneError as exc:
        _fail(exc)
    except OSError as exc:
        _fail(NeuroimmuneError(f"--out: must be a writable file path (got {str(out_path)!r}: {exc.strerror})"))
    out.print(f"wrote {path}")


@app.command()
def calibrate(
    problem: Annotated[str, typer.Argument(help="calibration problem: endotoxemia")],
    starts: Annotated[int, typer.Option(min=1, max=64, help="number of optimizer starts")] = 3,
    seed: Annotated[int, typer.Option(min=0, help="seed of the Sobol start design")] = 0,
    out_path: Annotated[Path | None, typer.Option("--out", help="where to write (default: the packaged fit)")] = None,
) -> None:
    """Re-fit the free parameters and write the fitted parameter file with its provenance."""
    from .calibration.optimize import calibrate_endotoxemia

    if problem != "endotoxemia":
        _fail(NeuroimmuneError(f"problem: must be one of endotoxemia (got {problem!r})"))

    def report(i: int, result) -> None:  # type: ignore[no-untyped-def]
        out.print(f"start {i + 1}/{starts}: cost {result.cost:.4g} after {result.nfev} evaluations")

    prov = calibrate_endotoxemia(n_starts=starts, seed=seed, out=out_path, progress=report)
    out.print(f"best cost {prov['final_cost']:.6g}; wrote {out_path or 'the packaged fit'}")


@app.command()
def interventions() -> None:
    """Every intervention kind: what it acts on, the published effect, the evidence grade, the sources."""
    from .scenarios import INTERVENTIONS, evidence

    table = Table(title="neuroimmune interventions", show_lines=True)
    for col in ("kind", "acts on", "published effect", "grade", "sources", "in the model"):
        table.add_column(col, overflow="fold")
    ev = evidence()
    for kind in INTERVENTIONS:
        e = ev[kind]
        table.add_row(kind, e["mechanism"], e["effect"], e["grade"], ", ".join(e["sources"]), e["model_effect"])
    out.print(table)


@app.command()
def compare(
    scenario: Annotated[Path | None, typer.Argument(help="scenario YAML/JSON; default: the packaged default")] = None,
    with_: Annotated[list[str], typer.Option("--with", help="a measure: a kind ('heat') or 'kind:key=value,...' "
                                             "('heat:region=neck,hours_per_day=4'); repeat for several")] = [],  # noqa: B006
    plot: Annotated[Path | None, typer.Option(help="write a figure of back ache and temperature per arm (PNG)")] = None,
) -> None:
    """Run SCENARIO with and without each measure; print the change in peak back ache, days with back pain, peak
    temperature and recovery day."""
    from .analysis.compare import compare as run_compare

    if not with_:
        _fail(NeuroimmuneError("--with: give at least one measure, such as --with heat (got none)"))
    try:
        outcomes, runs = run_compare(_load(scenario), list(with_))
    except NeuroimmuneError as exc:
        _fail(exc)
    base = outcomes[0]
    table = Table(title="neuroimmune compare (difference from baseline in brackets)")
    for col in ("arm", "peak back ache (0-10)", "days with back pain", "peak temperature (degC)", "recovery day"):
        table.add_column(col, justify="left" if col == "arm" else "right")

    def cell(value: float, ref: float, fmt: str) -> str:
        if value != value:  # NaN: not recovered within the scenario
            return "not within the run"
        return f"{value:{fmt}}" if value is ref else f"{value:{fmt}} ({value - ref:+{fmt}})"

    for o in outcomes:
        table.add_row(o.label, cell(o.peak_back_pain, base.peak_back_pain, ".2f"),
                      cell(o.days_with_back_pain, base.days_with_back_pain, ".0f"),
                      cell(o.peak_temperature, base.peak_temperature, ".2f"),
                      cell(o.recovery_day, base.recovery_day, ".1f"))
    out.print(table)
    if plot:
        from .plotting import figures

        figures.save(figures.comparison(runs), plot)
        out.print(f"wrote {plot}")


@app.command()
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
    except OSError as exc:
        _fail(NeuroimmuneError(f"--port: must be a free port on {host} (got {port}: {exc.strerror})"))
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
def diary_check(
    diary: Annotated[Path, typer.Argument(help="YAML/JSON: {illness, host (optional), days: [{day, back_pain, "
                                          "temperature}], answers (optional)}; '-' reads standard input")],
    as_json: Annotated[bool, typer.Option("--json", help="print the full answer as JSON")] = False,
) -> None:
    """Compare a symptom diary with the range the model predicts; prints the verdict and the reason.

    Exit code 0 for "typical", 3 for "more than typical", 4 for a red flag, 2 for bad input.
    """
    import json

    import yaml

    from .advice import diary_check as check

    try:
        text = sys.stdin.read() if str(diary) == "-" else diary.read_text(encoding="utf-8")
    except OSError as exc:
        _fail(NeuroimmuneError(f"diary: must be a readable file (got {diary}: {exc.strerror})"))
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        _fail(NeuroimmuneError(f"diary: must be valid YAML or JSON ({exc})"))
    if not isinstance(data, dict):
        _fail(NeuroimmuneError(f"diary: must be a mapping with illness and days (got {type(data).__name__})"))
    unknown = sorted(set(data) - {"illness", "host", "days", "answers"})
    if unknown:
        _fail(NeuroimmuneError(f"diary: unknown field {unknown[0]!r}; the fields are illness, host, days, answers"))
    try:
        result = check(data.get("illness"), data.get("days"), host=data.get("host"), answers=data.get("answers"))
    except NeuroimmuneError as exc:
        _fail(exc)
    if as_json:
        sys.stdout.write(json.dumps(result, indent=2) + "\n")
    else:
        out.print(f"[bold]{result['verdict']}[/]", highlight=False)
        for reason in result["reasons"]:
            out.print(f"- {reason}", highlight=False)
        out.print(result["disclaimer"], style="dim", highlight=False)
    raise typer.Exit(code={"typical": 0, "see_doctor": 3, "red_flag": 4}[result["level"]])




@app.command()
def cohort(
    scenario: Annotated[Path | None, typer.Argument(help="scenario YAML/JSON; default: 2 ng/kg LPS, 24 h")] = None,
    n: Annotated[int, typer.Option("--n", help="number of virtual people")] = 1_000_000,
    out_path: Annotated[Path | None, typer.Option("--out", help="Zarr store; an interrupted run resumes")] = None,
    seed: Annotated[int, typer.Option(help="seed of the members' random streams")] = 0,
    host: Annotated[str, typer.Option(help="host distribution: scenario, volunteers, adults")] = "scenario",
    engine: Annotated[str, typer.Option(help="compiled, explicit, additive, stiff, scipy or reference")] = "compiled",
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
                ds = simulate_cohort(sc, n, variability=host, seed=seed, engine=engine, chunk_size=chunk_size,
                                     scheduler=scheduler, out=out_path, trajectories=trajectories,
                                     resolution=resolution, progress=report)
    except NeuroimmuneError as exc:
        _fail(exc)
    table = Table(title=f"neuroimmune cohort: {n:,} members of {sc.name or 'the scenario'}")
    for col in ("summary", "unit", "median", "5 %", "95 %"):
        table.add_column(col, justify="left" if col in ("summary", "unit") else "right")
    status = ds["status"].values
    ok = status == 0
    def order(name: str) -> tuple[int, str]:  # the illness course first, then observables, then who the members are
        course = ("days_with_fever", "days_with_back_pain", "recovery_day")
        who = name.startswith("param_") or name in ("age", "weight")
        return (course.index(name) if name in course else 10 if not who else 20, name)

    for name in sorted(map(str, ds.data_vars), key=order):
        v = ds[name]
        if v.dims != ("member",) or name in ("status", "n_rhs", "message", "sex") or not ok.any():
            continue
        x = np.asarray(v.values, dtype=float)[ok]
        x = x[np.isfinite(x)]
        if len(x):
            q = np.quantile(x, [0.5, 0.05, 0.95])
            table.add_row(name, v.attrs.get("units", ""), *(f"{value:.4g}" for value in q))
    out.print(table)
    out.print(f"{int(ok.sum()):,} members ok, {int((~ok).sum()):,} failed (status and message per member)")
    if out_path:
        out.print(f"wrote {out_path}")


@app.command()
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
    top: Annotated[int, typer.Option(help="parameters shown")] = 15,
) -> None:
    """Global sensitivity of one cohort summary to the parameters (SALib), with a bar chart."""
    from .cohort.sensitivity import METHODS, bar_chart

    try:
        if method not in METHODS:
            raise NeuroimmuneError(f"--method: must be one of {', '.join(METHODS)} (got {method!r})")
        sc = _load(scenario)
        names = [p.strip() for p in parameters.split(",")] if parameters else None
        res = METHODS[method](sc, output, n, parameters=names, seed=seed, scheduler=scheduler)
    except NeuroimmuneError as exc:
        _fail(exc)
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
