"""WHO ASSIST v3.1 scoring for one substance: answer scores, skip logic, SSIS and risk band;
and the rule that dates re-assessments.

Plain Python on purpose (no Django), so it can be checked against the WHO manual on its own.
Answers are a dict of question ("q1" to "q7") to answer code; a missing key is a skipped
question and scores 0. Q1 and Q8 never count towards the Specific Substance Involvement Score.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final

SUBSTANCES: Final = (
    "tobacco",  # a
    "alcohol",  # b
    "cannabis",  # c
    "cocaine",  # d
    "amphetamines",  # e
    "inhalants",  # f
    "sedatives",  # g
    "hallucinogens",  # h
    "opioids",  # i
    "other",  # j
)

QUESTIONS: Final = ("q1", "q2", "q3", "q4", "q5", "q6", "q7")
FREQUENCIES: Final = ("never", "once_or_twice", "monthly", "weekly", "daily")
EVER: Final = ("no", "past_3_months", "not_past_3_months")

Q1_CODES: Final = ("no", "yes")

# Answer code -> score, per question (DOMAIN.md §1.2). Q6/Q7: past 3 months is 6, earlier is 3.
Q2_SCORES: Final[Mapping[str, int]] = dict(zip(FREQUENCIES, (0, 2, 3, 4, 6), strict=True))
Q3_SCORES: Final[Mapping[str, int]] = dict(zip(FREQUENCIES, (0, 3, 4, 5, 6), strict=True))
Q4_SCORES: Final[Mapping[str, int]] = dict(zip(FREQUENCIES, (0, 4, 5, 6, 7), strict=True))
Q5_SCORES: Final[Mapping[str, int]] = dict(zip(FREQUENCIES, (0, 5, 6, 7, 8), strict=True))
Q6_SCORES: Final[Mapping[str, int]] = {"no": 0, "past_3_months": 6, "not_past_3_months": 3}
Q7_SCORES: Final[Mapping[str, int]] = Q6_SCORES
# Q8 (injecting, once per person) as on the v3.1 form; never part of the SSIS.
Q8_SCORES: Final[Mapping[str, int]] = {"no": 0, "past_3_months": 2, "not_past_3_months": 1}

ANSWER_SCORES: Final[Mapping[str, Mapping[str, int]]] = {
    "q2": Q2_SCORES,
    "q3": Q3_SCORES,
    "q4": Q4_SCORES,
    "q5": Q5_SCORES,
    "q6": Q6_SCORES,
    "q7": Q7_SCORES,
}


def scored_questions(substance: str) -> tuple[str, ...]:
    """The questions that make up the SSIS: Q2-Q7, without Q5 for tobacco."""
    _check_substance(substance)
    return tuple(q for q in ANSWER_SCORES if not (substance == "tobacco" and q == "q5"))


# Tobacco 6+6+7+6+6, every other substance 6+6+7+8+6+6.
MAX_SCORE: Final[Mapping[str, int]] = {s: 31 if s == "tobacco" else 39 for s in SUBSTANCES}

LEVELS: Final = ("low", "moderate", "high")

# Lowest score of the moderate and of the high band (DOMAIN.md §1.4).
_BANDS: Final[Mapping[str, tuple[int, int]]] = {
    s: (11, 27) if s == "alcohol" else (4, 27) for s in SUBSTANCES
}

INTERVENTIONS: Final[Mapping[str, str]] = {
    "low": "Tidak perlu intervensi (saran kesehatan umum)",
    "moderate": "Intervensi singkat",
    "high": "Intervensi singkat dan rujukan untuk asesmen serta terapi lanjutan",
}

INJECTION_FLAGS: Final[Mapping[str, str]] = {
    "no": "none",
    "past_3_months": "recent",
    "not_past_3_months": "past",
}


def substance_involvement_score(substance: str, answers: dict[str, str]) -> int:
    """The SSIS of one substance: Q2+Q3+Q4+Q5+Q6+Q7 (tobacco: no Q5, and Q5 is not even read).

    Raises ValueError for an unknown substance, question or answer code, and for answers the
    skip logic makes impossible (anything after Q1 = no; Q3-Q5 other than never after Q2 = never).
    """
    counted = scored_questions(substance)
    given = _checked(answers, keep=("q1", *counted))
    if given.get("q1") == "no":
        for q, value in given.items():
            if q != "q1":
                raise ValueError(f"{q} = {value!r} tidak mungkin bila q1 = 'no'")
    if given.get("q2") == "never":
        for q in ("q3", "q4", "q5"):
            if given.get(q, "never") != "never":
                raise ValueError(f"{q} = {given[q]!r} tidak mungkin bila q2 = 'never'")
    return sum(ANSWER_SCORES[q][v] for q, v in given.items() if q in counted)


def risk_level(substance: str, score: int) -> str:
    """The risk band of an SSIS: "low", "moderate" or "high" (alcohol 0-10/11-26/27+,
    every other substance, tobacco included, 0-3/4-26/27+)."""
    _check_substance(substance)
    if isinstance(score, bool) or not isinstance(score, int):
        raise ValueError(f"skor harus bilangan bulat, bukan {score!r}")
    if not 0 <= score <= MAX_SCORE[substance]:
        raise ValueError(f"skor {score} di luar 0-{MAX_SCORE[substance]} untuk {substance}")
    moderate, high = _BANDS[substance]
    if score >= high:
        return "high"
    return "moderate" if score >= moderate else "low"


def intervention(level: str) -> str:
    """The recommended intervention for a risk band, in Bahasa Indonesia."""
    try:
        return INTERVENTIONS[level]
    except KeyError:
        raise ValueError(f"tingkat risiko tidak dikenal: {level!r}") from None


def questions_that_apply(substance: str, answers: dict[str, str]) -> set[str]:
    """Which of Q2-Q7 the skip logic asks for one substance, given its Q1 and Q2 answers.

    Q2, Q6 and Q7 if Q1 = yes; Q3, Q4 and Q5 (tobacco: no Q5) if also Q2 is not never.
    Only Q1 and Q2 are read, so stale later answers on a live form do not matter.
    """
    counted = scored_questions(substance)
    for q, codes in (("q1", Q1_CODES), ("q2", FREQUENCIES)):
        if q in answers:
            _check_code(q, answers[q], codes)
    if answers.get("q1") != "yes":
        return set()
    asked = {"q2", "q6", "q7"}
    if answers.get("q2", "never") != "never":
        asked |= {"q3", "q4", "q5"} & set(counted)
    return asked


def injection_flag(q8: str | None) -> str:
    """Q8 as a flag: "none" (never, or not asked), "recent" (past 3 months) or "past"."""
    if q8 is None:
        return "none"
    _check_code("q8", q8, EVER)
    return INJECTION_FLAGS[q8]


def injection_score(q8: str | None) -> int:
    """Q8 as scored on the v3.1 form: no 0, past 3 months 2, earlier 1 (not asked: 0)."""
    if q8 is None:
        return 0
    _check_code("q8", q8, EVER)
    return Q8_SCORES[q8]


def _check_substance(substance: str) -> None:
    if substance not in SUBSTANCES:
        raise ValueError(f"zat tidak dikenal: {substance!r} (pilihan: {', '.join(SUBSTANCES)})")


def _check_code(question: str, value: str, codes: tuple[str, ...]) -> None:
    if value not in codes:
        raise ValueError(
            f"{question} = {value!r} bukan jawaban yang sah (pilihan: {', '.join(codes)})"
        )


def _checked(answers: dict[str, str], keep: tuple[str, ...]) -> dict[str, str]:
    """The answers to the questions in `keep`, codes checked; any other known question (tobacco
    Q5) is dropped unread, an unknown one raises."""
    for q in answers:
        if q not in QUESTIONS:
            raise ValueError(
                f"pertanyaan tidak dikenal: {q!r} (hanya q1-q7; Q8 dicatat sekali per orang)"
            )
    kept = {q: v for q, v in answers.items() if q in keep}
    for q, value in kept.items():
        _check_code(q, value, Q1_CODES if q == "q1" else tuple(ANSWER_SCORES[q]))
    return kept


def main_substance(scores: Mapping[str, int]) -> str | None:
    """The substance that drives the case: the highest risk band first, then the highest score
    within it, ties to the substance listed first on the form; tobacco aside.

    Band before score because alcohol's bands are higher: alcohol 10 is low while cannabis 6 is
    moderate, so cannabis is the main substance. Tobacco is left out because most detainees
    smoke and its score would hide the drug the programme is about (a WBP who uses tobacco only
    is shown as such, see `tobacco_only`). None when no other substance scores above 0.
    """
    candidates = [
        (LEVELS.index(risk_level(s, scores.get(s, 0))), scores.get(s, 0), -i, s)
        for i, s in enumerate(SUBSTANCES)
        if s != "tobacco"
    ]
    _band, score, _, substance = max(candidates)
    return substance if score > 0 else None


def tobacco_level(scores: Mapping[str, int]) -> str:
    """The band of tobacco when it scores above 0, else "" (not used)."""
    score = scores.get("tobacco", 0)
    return risk_level("tobacco", score) if score > 0 else ""


def injects_high_risk(q8: str | None, pattern: str | None) -> bool:
    """The WHO high-risk injecting pattern: injecting in the past 3 months more than once a week,
    or 3 or more days in a row (DOMAIN.md §1.5). Injecting less often, or earlier, is a flag for
    a brief intervention and an offer of HIV and hepatitis tests, not a tier."""
    return injection_flag(q8) == "recent" and pattern == "more_than_weekly"


def suggested_tier(level: str, *, injects_high_risk: bool) -> str:
    """The tier a screening suggests: low -> ringan, moderate -> sedang, high (or the WHO
    high-risk injecting pattern) -> berat. Only a suggestion: the certified assessor decides
    (DOMAIN.md §2.5)."""
    if level not in LEVELS:
        raise ValueError(f"tingkat risiko tidak dikenal: {level!r}")
    if injects_high_risk or level == "high":
        return "berat"
    return "sedang" if level == "moderate" else "ringan"


# --- re-assessment due dates ------------------------------------------------------------------
# A WBP in a tier programme is re-assessed at the programme's midpoint and at its end, counted
# from the day the programme started, and 30 days after every positive urine test. A due date
# is met by a signed assessment dated after the day it counts from (`met_after`): the midpoint
# by one after the start, the end by one after the midpoint, a urine review by one after the
# test. (No rule in DOMAIN.md; these are the issue's.)

PROGRAMME_DAYS: Final[Mapping[str, int]] = {"ringan": 15, "sedang": 30, "berat": 60}
URINE_REVIEW_DAYS: Final = 30


@dataclass(frozen=True)
class ReviewPoint:
    """One re-assessment the rule asks for."""

    key: str  # the kind and what it counts from: "mid:e12", "end:a7", "urine:t5"
    kind: str  # "mid", "end" or "urine"
    met_after: datetime.date
    due_on: datetime.date


def review_points(
    *,
    start: datetime.date,
    programme_days: int,
    programme: str,
    positive_tests: Iterable[tuple[int, datetime.date]] = (),
) -> list[ReviewPoint]:
    """The re-assessments of one programme and of the positive urine tests, earliest first.

    The midpoint is rounded down (day 7 of a 15-day programme); `programme` names what the
    programme dates count from ("e12": enrolment 12), so a due date keeps its key when the
    numbers change; `positive_tests` are (test id, day tested).
    """
    if programme_days < 1:
        raise ValueError(f"lama program harus paling sedikit 1 hari: {programme_days!r}")
    mid = start + datetime.timedelta(days=programme_days // 2)
    points = [
        ReviewPoint(f"mid:{programme}", "mid", start, mid),
        ReviewPoint(f"end:{programme}", "end", mid, start + datetime.timedelta(programme_days)),
    ]
    points += [
        ReviewPoint(f"urine:t{pk}", "urine", day, day + datetime.timedelta(URINE_REVIEW_DAYS))
        for pk, day in positive_tests
    ]
    return sorted(points, key=lambda p: (p.due_on, p.key))


def is_met(point: ReviewPoint, *, last_assessed_on: datetime.date) -> bool:
    """Tell whether the newest signed assessment, dated `last_assessed_on`, meets the point."""
    return last_assessed_on > point.met_after
