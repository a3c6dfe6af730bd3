"""When to worry: red-flag questions with published sources (``rules.yaml``) and the diary check.

``evaluate(answers)`` applies the questions; ``diary_check(illness, days, host=None, answers=None)`` compares a
symptom diary with the range the model predicts for that illness and person; ``forecast.forecast(illness, days,
host=None, answers=None)`` forecasts the coming days from the diary (:mod:`neuroimmune.advice.forecast`). None of
them diagnoses: they explain, and every rule points towards care, never away from it.
"""

from .diary import DiaryDay, DiaryRequest, check_request, diary_check, onset_time
from .rules import VERDICTS, AdviceError, evaluate, questions, rule_book

__all__ = ["VERDICTS", "AdviceError", "DiaryDay", "DiaryRequest", "check_request", "diary_check", "evaluate",
           "onset_time", "questions", "rule_book"]
