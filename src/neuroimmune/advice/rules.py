"""The when-to-worry rules (``rules.yaml``) and :func:`evaluate`, which applies the question rules to answers."""

from __future__ import annotations

import dataclasses
from functools import lru_cache
from importlib import resources
from typing import Any

from ..errors import NeuroimmuneError, ProblemsError
from ..io.safe_yaml import load_yaml

#: Verdict levels, from least to most urgent, and the words every client shows for them.
VERDICTS: dict[str, str] = {
    "typical": "typical for this illness",
    "see_doctor": "more than typical, consider seeing a doctor",
    "red_flag": "a red flag: seek care now",
}
LEVEL_ORDER = tuple(VERDICTS)


class AdviceError(ProblemsError):
    """Bad input to the advice functions; ``problems`` holds ``(field, rule, value)`` triples."""

    @staticmethod
    def message(lines: list[str]) -> str:
        return "invalid input: " + "; ".join(lines)


@dataclasses.dataclass(frozen=True)
class Rule:
    """One rule: a question answered yes/no or a threshold on the diary, its level, reason and sources."""

    id: str
    level: str
    reason: str
    sources: tuple[str, ...]
    ask: str | None = None  # question rules
    when: str | None = None  # diary rules: the condition in words
    field: str | None = None
    at_least: float | None = None
    below: float | None = None
    min_days: int = 1

    def source_texts(self) -> list[str]:
        """The full references of this rule's sources."""
        return [rule_book().sources[key] for key in self.sources]


@dataclasses.dataclass(frozen=True)
class RuleBook:
    """The parsed rule file."""

    version: int
    updated: str
    disclaimer: str
    sources: dict[str, str]
    questions: tuple[Rule, ...]
    diary_rules: tuple[Rule, ...]


@dataclasses.dataclass(frozen=True)
class Hit:
    """A rule that fired, with the reason in words."""

    rule: str
    level: str
    reason: str
    sources: list[str]


def parse_rules(text: str) -> RuleBook:
    """Parse and check rule-file text: every rule has a known level, a reason and known sources."""
    tree = load_yaml(text, field="rules", what="rule book")
    sources = {str(k): " ".join(str(v).split()) for k, v in tree["sources"].items()}
    problems = []

    def build(entry: dict[str, Any], where: str) -> Rule:
        rule = Rule(**{**entry, "sources": tuple(entry.get("sources", ()))})
        if rule.level not in ("see_doctor", "red_flag"):
            problems.append(f"{where} {rule.id}: level must be see_doctor or red_flag (got {rule.level!r})")
        if not rule.sources or any(s not in sources for s in rule.sources):
            problems.append(f"{where} {rule.id}: sources must be keys of `sources` (got {list(rule.sources)})")
        if not rule.reason.strip():
            problems.append(f"{where} {rule.id}: reason must not be empty")
        return rule

    questions = tuple(build(q, "question") for q in tree["questions"])
    diary_rules = tuple(build(r, "diary rule") for r in tree["diary_rules"])
    if problems:
        raise NeuroimmuneError("rules.yaml: " + "; ".join(problems))
    return RuleBook(version=int(tree["version"]), updated=str(tree["updated"]),
                    disclaimer=" ".join(str(tree["disclaimer"]).split()), sources=sources,
                    questions=questions, diary_rules=diary_rules)


@lru_cache(maxsize=1)
def rule_book() -> RuleBook:
    """The packaged rule file, parsed once."""
    return parse_rules(resources.files(__package__).joinpath("rules.yaml").read_text(encoding="utf-8"))


def worst(levels: list[str]) -> str:
    """The most urgent of ``levels`` (``typical`` if empty)."""
    return max(levels, key=LEVEL_ORDER.index, default="typical")


def check_answers(answers: dict[str, Any] | None) -> dict[str, bool]:
    """Validate ``{question id: true/false}``; unknown ids and non-booleans are errors naming the field."""
    known = {q.id for q in rule_book().questions}
    problems: list[tuple[str, str, object]] = []
    if answers is None:
        return {}
    if not isinstance(answers, dict):
        raise AdviceError([("answers", "must be a mapping of question id to true/false", answers)])
    for key, value in answers.items():
        if key not in known:
            problems.append((f"answers.{key}", f"must be one of {', '.join(sorted(known))}", key))
        elif not isinstance(value, bool):
            problems.append((f"answers.{key}", "must be true or false", value))
    if problems:
        raise AdviceError(problems)
    return dict(answers)


def evaluate(answers: dict[str, Any] | None) -> dict[str, Any]:
    """Apply the question rules to ``answers`` ({question id: true/false}).

    Returns
    -------
    dict
        ``level`` (typical, see_doctor or red_flag), ``verdict`` (its words), ``hits`` (each rule answered yes:
        id, level, reason, sources), ``rules_version`` and the ``disclaimer``. An unanswered question counts
        as no; answering never lowers a verdict that another rule raised.
    """
    book = rule_book()
    given = check_answers(answers)
    hits = [Hit(q.id, q.level, q.reason, q.source_texts()) for q in book.questions if given.get(q.id)]
    level = worst([h.level for h in hits])
    return {"level": level, "verdict": VERDICTS[level], "hits": [dataclasses.asdict(h) for h in hits],
            "rules_version": book.version, "disclaimer": book.disclaimer}


def questions() -> list[dict[str, Any]]:
    """The questions to ask, in order: id, the question in plain words, level, reason and sources."""
    return [{"id": q.id, "ask": q.ask, "level": q.level, "reason": q.reason, "sources": q.source_texts()}
            for q in rule_book().questions]
