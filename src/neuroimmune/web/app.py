"""The explorer's HTTP API and page: a FastAPI application over the public Python API.

Endpoints: ``GET /api/health``, ``GET /api/kinds``, ``POST /api/simulate``, ``POST /api/bands``,
``POST /api/compare``, ``POST /api/diary-check``, ``POST /api/forecast``, ``POST /api/when-to-worry``; the page at
``/``; OpenAPI at ``/openapi.json`` and ``/docs`` (served from the package, no CDN).

Simulations are compute-bound, so handlers hand them to a small thread pool and never run them on the event
loop. A bounded number may wait (:data:`MAX_PENDING`; more is answered 503 at once), each has a time limit
(:data:`COMPUTE_TIMEOUT_S`; past it the client gets 503 and the worker finishes a run that the limits on
duration and output points keep short), bodies over :data:`MAX_BODY_BYTES` get 413, and bad input gets 422
naming the field, the rule and the value.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from importlib import resources
from typing import Any, Literal

from fastapi import FastAPI, HTTPException, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.openapi.utils import get_openapi
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..advice import VERDICTS, DiaryRequest, check_request, evaluate, questions, rule_book
from ..advice.forecast import ForecastRequest, forecast_request
from ..analysis.uncertainty import LABELS, MEMBERS, UNCERTAINTIES, available
from ..errors import ECHO_LIMIT, InputError, NeuroimmuneError, ScenarioError, shorten
from ..model.assembly import OBSERVABLE_NAMES
from ..plotting.colours import bodymap_scale
from ..scenarios import CHALLENGES, INTERVENTIONS, Scenario, default_scenario
from ..scenarios.catalog import describe_kinds
from .limits import MAX_BAND_POINTS, MAX_BODY_BYTES, MAX_POINTS, BodySizeLimit
from .openapi import COMPUTE_ERRORS, POST_ERRORS, BandsResult, SimulationResult, describe
from .references import references
from .results import (
    ANSWERS,
    BANDS,
    BURDENS,
    WEB_QUANTILES,
    NotPrepared,
    Preparer,
    bands_json_bytes,
    bands_key,
    burden_of,
    canonical,
    prepare_bands,
    simulate_json_bytes,
    without_compiling,
)

DESCRIPTION = ("Simulate how an immune challenge turns into cytokines, fever and a sore lower back. "
               "It explains and explores; it is not medical advice.")
COMPUTE_TIMEOUT_S = 20.0
MAX_PENDING = 256
MAX_COMPARE = 16
#: Seconds a client is asked to wait while the engine for a new kind of scenario is compiled in the background.
PREPARE_RETRY_S = 10


class CompareRequest(BaseModel):
    """Scenarios to compare; the first is the reference the others' differences are taken against."""

    model_config = ConfigDict(extra="forbid")

    scenarios: list[dict[str, Any]] = Field(min_length=1, max_length=MAX_COMPARE,
                                            description="scenarios as in POST /api/simulate")


class BandsRequest(BaseModel):
    """A scenario and the uncertainty its bands show."""

    model_config = ConfigDict(extra="forbid")

    scenario: dict[str, Any] = Field(description="a scenario as in POST /api/simulate")
    uncertainty: Literal["parameter", "people", "both"] = Field(
        "people", description="parameter: the calibration's posterior (how sure the model is of the typical person); "
                              "people: people like me (how people of this sex, age and weight differ); both")
    observables: list[str] | None = Field(None, min_length=1, max_length=len(OBSERVABLE_NAMES),
                                          description="observables to answer (default: every one; GET /api/kinds)")


class Answers(BaseModel):
    """Yes/no answers to the when-to-worry questions."""

    model_config = ConfigDict(extra="forbid")

    answers: dict[str, bool] = Field(default_factory=dict, description="question id -> true/false")


def _unprocessable(problems: list[tuple[str, str, object]], status_code: int = 422) -> JSONResponse:
    detail = [{"field": f, "rule": r, "value": _jsonable(v), "loc": ["body", *f.split(".")] if f != "body" else
               ["body"]} for f, r, v in problems]
    return JSONResponse({"detail": detail}, status_code=status_code)


def _jsonable(value: object) -> Any:
    """The value as received when it is short JSON; otherwise a shortened repr (never a whole large input)."""
    try:
        text = json.dumps(value, allow_nan=False)
    except (TypeError, ValueError, RecursionError):
        return shorten(value)
    return value if len(text) <= ECHO_LIMIT else shorten(value)


def _scenario(data: Any, prefix: str = "") -> Scenario:
    """Validate a scenario (NaN and infinities included) and the API's limit on output points."""
    if not isinstance(data, dict):  # coerce would read a string as YAML or a file path; the API takes JSON objects
        raise ScenarioError([(prefix.rstrip(".") or "body", "must be a JSON object (a scenario)", data)])
    try:
        scenario = Scenario.coerce(data)
    except ScenarioError as exc:
        raise ScenarioError([(prefix + f, r, v) for f, r, v in exc.problems]) from None
    points = scenario.duration / scenario.output_step
    if points > MAX_POINTS:
        raise ScenarioError([(prefix + "output_step", f"duration / output_step must be at most {MAX_POINTS} output "
                              f"points (use a coarser output_step)", f"{scenario.output_step:g} h for "
                              f"{scenario.duration:g} h = {points:.0f} points")])
    return scenario


def _warm_up() -> None:
    """Build every lazily created piece once: a short default simulation and the catalogue of kinds."""
    describe_kinds()
    simulate_json_bytes(canonical(default_scenario()))


def create_app(*, workers: int = 2) -> FastAPI:
    """Build the application. ``workers`` threads compute simulations (the model holds the GIL most of the
    time, so more threads than cores buy nothing)."""

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # The pool lives as long as the lifespan, so an application can be started again after a shutdown (test
        # clients do, one per test).
        pool = app.state.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="neuroimmune-sim")
        app.state.preparer = Preparer()
        # Warm the process before it takes requests: the unit registry, parameter files, compiled right-hand side
        # and the catalogue of kinds are built on first use (about a second), which otherwise lands on the first
        # clients of every worker and dominates the p99 of a cold server.
        await asyncio.get_running_loop().run_in_executor(pool, _warm_up)
        try:
            yield
        finally:
            pool.shutdown(wait=False, cancel_futures=True)
            app.state.preparer.shutdown()

    app = FastAPI(lifespan=lifespan, title="neuroimmune explorer API", version=__version__, docs_url=None,
                  redoc_url=None, description=DESCRIPTION)
    app.add_middleware(BodySizeLimit, max_bytes=MAX_BODY_BYTES)
    pending = {"n": 0}
    kinds_cache: dict[str, Any] = {}
    static = resources.files(__package__).joinpath("static")

    async def compute(fn: Any, *args: Any) -> Any:
        if pending["n"] >= MAX_PENDING:
            raise HTTPException(503, "the simulator is busy; try again in a moment", headers={"Retry-After": "1"})
        pending["n"] += 1
        try:
            loop = asyncio.get_running_loop()
            return await asyncio.wait_for(loop.run_in_executor(app.state.pool, fn, *args), COMPUTE_TIMEOUT_S)
        except TimeoutError:
            raise HTTPException(503, f"the computation took longer than {COMPUTE_TIMEOUT_S:g} s",
                                headers={"Retry-After": "5"}) from None
        finally:
            pending["n"] -= 1

    async def prepared(job: tuple[Any, ...], fn: Any, *args: Any) -> Any:
        """:func:`compute`, except that where a cohort kernel must first be compiled, the preparer runs ``job``
        (a function and its arguments that compile it) in the background while the client is answered 503 with
        Retry-After at once."""
        try:
            return await compute(without_compiling, fn, *args)
        except NotPrepared:
            started = app.state.preparer.submit(*job)
            detail = ("preparing: the first time a kind of scenario is asked for, the server compiles its engine "
                      "(about a minute); try again" if started else
                      "preparing: the server is compiling its engine for another kind of scenario; try again")
            raise HTTPException(503, detail, headers={"Retry-After": str(PREPARE_RETRY_S)}) from None

    @app.exception_handler(NeuroimmuneError)
    async def _bad_input(request: Request, exc: NeuroimmuneError) -> JSONResponse:
        problems = getattr(exc, "problems", None) or [(getattr(exc, "field", "body"), str(exc),
                                                       getattr(exc, "value", None))]
        return _unprocessable(problems)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        # FastAPI answers 400 when it cannot decode a JSON body (bytes that are not UTF-8); say so in the shape of
        # every other bad-input answer
        if exc.status_code == 400:
            return _unprocessable([("body", "must be JSON encoded as UTF-8 (the bytes could not be decoded)",
                                    None)], status_code=400)
        return await http_exception_handler(request, exc)

    @app.exception_handler(RequestValidationError)
    async def _bad_body(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems: list[tuple[str, str, object]] = []
        for e in exc.errors():
            if e["type"] == "json_invalid":
                problems.append(("body", f"must be valid JSON ({e.get('ctx', {}).get('error', 'parse error')} at "
                                 f"character {e['loc'][-1]})", None))
            else:
                problems.append((".".join(str(p) for p in e["loc"] if p != "body") or "body", e["msg"],
                                 e.get("input")))
        return _unprocessable(problems)

    @app.get("/api/health", tags=["meta"])
    def health() -> dict[str, Any]:
        """Liveness and what this server offers."""
        return {"status": "ok", "version": __version__, "challenges": list(CHALLENGES),
                "interventions": list(INTERVENTIONS), "pending": pending["n"]}

    @app.get("/api/kinds", tags=["model"])
    def kinds() -> Response:
        """Challenge and intervention kinds (JSON schema, units, an example, evidence), the host's fields, the
        body regions, the observables, the API limits, the when-to-worry questions, the body map's colour scale
        (shared with the CLI's figure) and a readable reference for each source the evidence cites."""
        key = (tuple(CHALLENGES.items()), tuple(INTERVENTIONS.items()), available())
        if kinds_cache.get("key") != key:  # the registries rarely change in a running server; rebuild when they do
            kinds_cache.update(key=key, value=json.dumps(_kinds(), separators=(",", ":")).encode())
        return Response(kinds_cache["value"], media_type="application/json")

    def _kinds() -> dict[str, Any]:
        out = describe_kinds()
        book = rule_book()
        out["limits"] = {"max_points": MAX_POINTS, "max_band_points": MAX_BAND_POINTS, "max_body_bytes": MAX_BODY_BYTES,
                         "max_compare": MAX_COMPARE}
        out["advice"] = {"questions": questions(), "verdicts": VERDICTS, "rules_version": book.version,
                         "disclaimer": book.disclaimer}
        out["bodymap"] = bodymap_scale()
        out["bands"] = {"uncertainties": list(UNCERTAINTIES), "available": list(available()), "labels": LABELS,
                        "default": "people", "members": MEMBERS, "quantiles": list(WEB_QUANTILES)}
        cited = {key for entry in out["interventions"] for key in (entry.get("evidence") or {}).get("sources", [])}
        known = references()
        out["references"] = {key: known.get(key, key) for key in sorted(cited)}
        return out

    @app.post("/api/simulate", tags=["model"], response_model=SimulationResult, responses=COMPUTE_ERRORS)
    async def simulate_endpoint(scenario: dict[str, Any]) -> Response:
        """Simulate a scenario (as in the Python API: host, challenge, interventions, duration, output_step);
        returns every observable on the time grid with units, the canonical scenario and a summary."""
        key = canonical(_scenario(scenario))
        body = ANSWERS.get(key) or await compute(simulate_json_bytes, key)
        return Response(body, media_type="application/json")

    @app.post("/api/bands", tags=["model"], response_model=BandsResult, responses=COMPUTE_ERRORS)
    async def bands_endpoint(request: BandsRequest) -> Response:
        """Bands of a scenario: each observable's 5th, 25th, 50th, 75th and 95th percentile over simulated
        members at every time, for one uncertainty (the calibration's posterior, people like me, or both), with
        one sentence that says what the band means; at most ``limits.max_band_points`` output points
        (``GET /api/kinds``). 'parameter' and 'both' need the calibration's posterior sample
        (``GET /api/kinds``: bands.available); without it they get 422. The first bands of a new kind of scenario
        (illness and self-care measures) on a server need its engine compiled (about a minute, once): the answer
        is then 503 with Retry-After at once, and the engine is compiled in the background for the next request."""
        scenario = _scenario(request.scenario, prefix="scenario.")
        points = scenario.duration / scenario.output_step
        if points > MAX_BAND_POINTS:
            raise InputError([("scenario.output_step", f"duration / output_step must be at most {MAX_BAND_POINTS} "
                               "output points for bands (use a coarser output_step)",
                               f"{scenario.output_step:g} h for {scenario.duration:g} h = {points:.0f} points")])
        key = canonical(scenario)
        wanted = tuple(request.observables) if request.observables is not None else None
        for i, name in enumerate(wanted or ()):
            if name not in OBSERVABLE_NAMES:
                raise InputError([(f"observables.{i}", f"must be one of {', '.join(OBSERVABLE_NAMES)}", name)])
        body = BANDS.get(bands_key(key, request.uncertainty, wanted)) or await prepared(
            (prepare_bands, key), bands_json_bytes, key, request.uncertainty, wanted)
        return Response(body, media_type="application/json")

    @app.post("/api/compare", tags=["model"], responses=COMPUTE_ERRORS)
    async def compare(request: CompareRequest) -> dict[str, Any]:
        """Peak back ache, days with back ache, peak temperature, fever hours and the lower back's lowest
        threshold for each scenario, with differences from the first."""
        keys = [canonical(_scenario(s, prefix=f"scenarios.{i}.")) for i, s in enumerate(request.scenarios)]
        results = [BURDENS.get(k) for k in keys]
        if any(r is None for r in results):
            results = await compute(lambda: [burden_of(k) for k in keys])
        ref = results[0]
        rows = []
        for data, res in zip(request.scenarios, results, strict=True):
            diff = {k: None if v is None or ref.get(k) is None else round(v - ref[k], 4) for k, v in res.items()}
            rows.append({"name": data.get("name", ""), "summary": res, "difference": diff})
        return {"reference": 0, "results": rows}

    @app.post("/api/diary-check", tags=["advice"], responses=COMPUTE_ERRORS)
    async def diary_check(request: DiaryRequest) -> dict[str, Any]:
        """Compare a symptom diary with the range the model predicts for the illness and person, and apply the
        when-to-worry rules. The verdict is one of the three phrases in ``GET /api/kinds`` (advice.verdicts). The
        days are compared with the people-like-me band (``band`` in the answer); as for ``POST /api/bands``, the
        first check of a new kind of illness on a server answers 503 with Retry-After while its engine is
        compiled in the background."""
        return await prepared((check_request, request), check_request, request)

    @app.post("/api/forecast", tags=["advice"], responses=COMPUTE_ERRORS)
    async def forecast(request: ForecastRequest) -> dict[str, Any]:
        """Forecast the coming days from a symptom diary (days in order, each once): per day of illness the median
        and the 50 % and 80 % bands of back ache and temperature, the recovery day in plain words, the effective
        sample size, whether the diary lies outside what the model explains, and the when-to-worry rules, which
        override the forecast. A library of simulated courses is built at first use for each illness and host
        group (``neuroimmune forecast --build-library`` builds them ahead); until it is ready the answer may be 503."""
        return await compute(forecast_request, request)

    @app.post("/api/when-to-worry", tags=["advice"], responses=POST_ERRORS)
    def when_to_worry(request: Answers) -> dict[str, Any]:
        """Apply the when-to-worry questions (``GET /api/kinds``, advice.questions) to ``{"answers": {id: bool}}``."""
        return evaluate(request.answers)

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url="/openapi.json", title="neuroimmune API",
                                   swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
                                   swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
                                   swagger_favicon_url="/static/favicon.svg")

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(str(static.joinpath("index.html")), headers={"Cache-Control": "no-cache"})

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = describe(get_openapi(title=app.title, version=app.version,
                                                      description=app.description, routes=app.routes))
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    return app
