"""WHO ASSIST v3.1 scoring (DOMAIN.md §1): answer scores, skip logic, SSIS and risk bands.

The expected tables below are typed in from the v3.1 form, not imported from the module, so a
wrong constant in `assessments.scoring` fails here. No database.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments import scoring
from assessments.scoring import (
    injection_flag,
    injection_score,
    intervention,
    questions_that_apply,
    risk_level,
    substance_involvement_score,
)

SUBSTANCES = [
    "tobacco",
    "alcohol",
    "cannabis",
    "cocaine",
    "amphetamines",
    "inhalants",
    "sedatives",
    "hallucinogens",
    "opioids",
    "other",
]
NOT_ALCOHOL = [s for s in SUBSTANCES if s != "alcohol"]
NOT_TOBACCO = [s for s in SUBSTANCES if s != "tobacco"]
FREQUENCIES = ["never", "once_or_twice", "monthly", "weekly", "daily"]
EVER = ["no", "past_3_months", "not_past_3_months"]

EXPECTED_SCORES: dict[str, dict[str, int]] = {
    "q2": {"never": 0, "once_or_twice": 2, "monthly": 3, "weekly": 4, "daily": 6},
    "q3": {"never": 0, "once_or_twice": 3, "monthly": 4, "weekly": 5, "daily": 6},
    "q4": {"never": 0, "once_or_twice": 4, "monthly": 5, "weekly": 6, "daily": 7},
    "q5": {"never": 0, "once_or_twice": 5, "monthly": 6, "weekly": 7, "daily": 8},
    "q6": {"no": 0, "past_3_months": 6, "not_past_3_months": 3},
    "q7": {"no": 0, "past_3_months": 6, "not_past_3_months": 3},
}
MAXIMUM = {s: 31 if s == "tobacco" else 39 for s in SUBSTANCES}
ORDER = {"low": 0, "moderate": 1, "high": 2}


def counted(substance: str) -> list[str]:
    return [q for q in EXPECTED_SCORES if not (substance == "tobacco" and q == "q5")]


# --- Constants -----------------------------------------------------------------------------


def test_substances_are_the_ten_form_rows_in_order_a_to_j() -> None:
    assert tuple(SUBSTANCES) == scoring.SUBSTANCES


def test_answer_score_tables_match_the_v31_form() -> None:
    assert {q: dict(t) for q, t in scoring.ANSWER_SCORES.items()} == EXPECTED_SCORES


@pytest.mark.parametrize("substance", SUBSTANCES)
def test_max_score_is_the_sum_of_the_highest_answer_of_each_counted_question(
    substance: str,
) -> None:
    highest = sum(max(EXPECTED_SCORES[q].values()) for q in counted(substance))
    assert scoring.MAX_SCORE[substance] == highest == MAXIMUM[substance]


# --- Every answer score, one at a time -----------------------------------------------------

SINGLE_ANSWERS = [
    (q, code, score)
    for q, table in EXPECTED_SCORES.items()
    for code, score in table.items()
    if q in ("q2", "q6", "q7")
] + [(q, code, score) for q in ("q3", "q4", "q5") for code, score in EXPECTED_SCORES[q].items()]


@pytest.mark.parametrize(("question", "code", "score"), SINGLE_ANSWERS)
def test_each_answer_alone_scores_as_on_the_form(question: str, code: str, score: int) -> None:
    answers = {"q1": "yes", question: code}
    if question in ("q3", "q4", "q5"):
        answers["q2"] = "once_or_twice"  # so that Q3-Q5 are asked; Q2 adds 2
        score += 2
    assert substance_involvement_score("cannabis", answers) == score


@pytest.mark.parametrize("question", ["q6", "q7"])
def test_q6_and_q7_are_not_swapped_past_3_months_scores_6_and_earlier_scores_3(
    question: str,
) -> None:
    recent = substance_involvement_score("opioids", {"q1": "yes", question: "past_3_months"})
    earlier = substance_involvement_score("opioids", {"q1": "yes", question: "not_past_3_months"})
    assert (recent, earlier) == (6, 3)


def test_q1_never_counts() -> None:
    assert substance_involvement_score("cannabis", {"q1": "yes"}) == 0
    assert substance_involvement_score("cannabis", {"q1": "no"}) == 0


def test_no_answers_at_all_score_0() -> None:
    assert substance_involvement_score("alcohol", {}) == 0


# --- The DOMAIN.md test vectors ------------------------------------------------------------


def test_cannabis_vector_scores_22_and_is_moderate() -> None:
    answers = {
        "q1": "yes",
        "q2": "weekly",  # 4
        "q3": "weekly",  # 5
        "q4": "once_or_twice",  # 4
        "q5": "never",  # 0
        "q6": "past_3_months",  # 6
        "q7": "not_past_3_months",  # 3
    }
    score = substance_involvement_score("cannabis", answers)
    assert score == 22
    assert risk_level("cannabis", score) == "moderate"


def test_tobacco_vector_scores_24_and_is_moderate_with_q5_daily_ignored() -> None:
    answers = {
        "q1": "yes",
        "q2": "daily",  # 6
        "q3": "daily",  # 6
        "q4": "never",  # 0
        "q5": "daily",  # not scored for tobacco
        "q6": "past_3_months",  # 6
        "q7": "past_3_months",  # 6
    }
    score = substance_involvement_score("tobacco", answers)
    assert score == 24
    assert risk_level("tobacco", score) == "moderate"


@pytest.mark.parametrize(("substance", "level"), [("amphetamines", "moderate"), ("alcohol", "low")])
def test_not_used_in_past_3_months_but_concern_and_failed_control_earlier_scores_6(
    substance: str, level: str
) -> None:
    answers = {
        "q1": "yes",
        "q2": "never",
        "q6": "not_past_3_months",
        "q7": "not_past_3_months",
    }
    score = substance_involvement_score(substance, answers)
    assert score == 6
    assert risk_level(substance, score) == level


def test_q3_to_q5_may_be_recorded_as_never_when_q2_is_never() -> None:
    answers = {"q1": "yes", "q2": "never", "q3": "never", "q4": "never", "q5": "never"}
    assert substance_involvement_score("cocaine", answers) == 0


@pytest.mark.parametrize("q5", ["daily", "never", "garbage", ""])
def test_tobacco_q5_is_never_read_whatever_it_holds(q5: str) -> None:
    assert substance_involvement_score("tobacco", {"q1": "yes", "q2": "never", "q5": q5}) == 0
    assert substance_involvement_score("tobacco", {"q1": "no", "q5": q5}) == 0


# --- Risk bands ----------------------------------------------------------------------------

ALCOHOL_BOUNDARIES = [(0, "low"), (10, "low"), (11, "moderate"), (26, "moderate"), (27, "high")]
OTHER_BOUNDARIES = [(0, "low"), (3, "low"), (4, "moderate"), (26, "moderate"), (27, "high")]


@pytest.mark.parametrize(("score", "level"), [*ALCOHOL_BOUNDARIES, (39, "high")])
def test_alcohol_is_low_to_10_moderate_from_11_to_26_and_high_from_27(
    score: int, level: str
) -> None:
    assert risk_level("alcohol", score) == level


@pytest.mark.parametrize(
    ("substance", "score", "level"),
    [(s, score, level) for s in NOT_ALCOHOL for score, level in OTHER_BOUNDARIES]
    + [(s, MAXIMUM[s], "high") for s in NOT_ALCOHOL],
)
def test_every_other_substance_is_low_to_3_moderate_from_4_to_26_and_high_from_27(
    substance: str, score: int, level: str
) -> None:
    assert risk_level(substance, score) == level


@pytest.mark.parametrize(
    ("substance", "score"),
    [("tobacco", 32), *[(s, 40) for s in NOT_TOBACCO], *[(s, -1) for s in SUBSTANCES]],
)
def test_risk_level_refuses_a_score_outside_0_to_the_substance_maximum(
    substance: str, score: int
) -> None:
    with pytest.raises(ValueError, match=str(score)):
        risk_level(substance, score)


@pytest.mark.parametrize("score", [True, False, 5.0, "5", None])
def test_risk_level_refuses_a_score_that_is_not_an_int(score: object) -> None:
    with pytest.raises(ValueError, match="bilangan bulat"):
        risk_level("cannabis", score)  # type: ignore[arg-type]


def test_risk_level_refuses_an_unknown_substance() -> None:
    with pytest.raises(ValueError, match="'caffeine'"):
        risk_level("caffeine", 5)


@pytest.mark.parametrize(
    ("level", "text"),
    [
        ("low", "Tidak perlu intervensi (saran kesehatan umum)"),
        ("moderate", "Intervensi singkat"),
        ("high", "Intervensi singkat dan rujukan untuk asesmen serta terapi lanjutan"),
    ],
)
def test_each_band_has_its_recommended_intervention(level: str, text: str) -> None:
    assert intervention(level) == text


def test_intervention_refuses_an_unknown_band() -> None:
    with pytest.raises(ValueError, match="'severe'"):
        intervention("severe")


# --- Refused answers -----------------------------------------------------------------------


def test_an_unknown_substance_is_refused() -> None:
    with pytest.raises(ValueError, match="'methamphetamine'"):
        substance_involvement_score("methamphetamine", {"q1": "yes"})


@pytest.mark.parametrize(
    ("answers", "named"),
    [
        ({"q1": "maybe"}, "q1 = 'maybe'"),
        ({"q1": "yes", "q2": "sometimes"}, "q2 = 'sometimes'"),
        ({"q1": "yes", "q2": "daily", "q3": "yes"}, "q3 = 'yes'"),
        ({"q1": "yes", "q2": "daily", "q4": "past_3_months"}, "q4 = 'past_3_months'"),
        ({"q1": "yes", "q2": "daily", "q5": "Daily"}, "q5 = 'Daily'"),
        ({"q1": "yes", "q6": "weekly"}, "q6 = 'weekly'"),
        ({"q1": "yes", "q7": "yes"}, "q7 = 'yes'"),
        ({"q1": "yes", "q2": ""}, "q2 = ''"),  # a skipped question is a missing key, not ""
    ],
)
def test_an_unknown_answer_code_is_refused_naming_the_question(
    answers: dict[str, str], named: str
) -> None:
    with pytest.raises(ValueError, match=named):
        substance_involvement_score("cannabis", answers)


@pytest.mark.parametrize(
    ("question", "code"),
    [
        ("q2", "never"),
        ("q2", "daily"),
        ("q3", "never"),
        ("q4", "weekly"),
        ("q5", "monthly"),
        ("q6", "no"),
        ("q7", "past_3_months"),
    ],
)
def test_any_answer_after_q1_no_is_refused_naming_the_question(question: str, code: str) -> None:
    with pytest.raises(ValueError, match=f"{question} = '{code}' .*q1 = 'no'"):
        substance_involvement_score("sedatives", {"q1": "no", question: code})


@pytest.mark.parametrize("question", ["q3", "q4", "q5"])
@pytest.mark.parametrize("code", ["once_or_twice", "monthly", "weekly", "daily"])
def test_q3_to_q5_other_than_never_after_q2_never_is_refused_naming_the_question(
    question: str, code: str
) -> None:
    answers = {"q1": "yes", "q2": "never", question: code}
    with pytest.raises(ValueError, match=f"{question} = '{code}' .*q2 = 'never'"):
        substance_involvement_score("inhalants", answers)


@pytest.mark.parametrize("key", ["q8", "q9", "q0", "Q2", "score"])
def test_an_unknown_question_is_refused_naming_it(key: str) -> None:
    with pytest.raises(ValueError, match=f"'{key}'"):
        substance_involvement_score("alcohol", {"q1": "yes", key: "no"})


# --- Skip logic for the live form ----------------------------------------------------------


@pytest.mark.parametrize(
    ("substance", "answers", "asked"),
    [
        ("cannabis", {}, set()),
        ("cannabis", {"q1": "no"}, set()),
        ("cannabis", {"q1": "no", "q2": "daily"}, set()),  # a stale Q2 does not matter
        ("cannabis", {"q1": "yes"}, {"q2", "q6", "q7"}),
        ("cannabis", {"q1": "yes", "q2": "never"}, {"q2", "q6", "q7"}),
        ("cannabis", {"q1": "yes", "q2": "monthly"}, {"q2", "q3", "q4", "q5", "q6", "q7"}),
        ("alcohol", {"q1": "yes", "q2": "once_or_twice"}, {"q2", "q3", "q4", "q5", "q6", "q7"}),
        ("tobacco", {"q1": "yes", "q2": "daily"}, {"q2", "q3", "q4", "q6", "q7"}),
        ("tobacco", {"q1": "yes", "q2": "never"}, {"q2", "q6", "q7"}),
        ("tobacco", {"q1": "no"}, set()),
    ],
)
def test_questions_that_apply_follow_the_skip_logic(
    substance: str, answers: dict[str, str], asked: set[str]
) -> None:
    assert questions_that_apply(substance, answers) == asked


def test_questions_that_apply_refuses_an_unknown_substance_or_code() -> None:
    with pytest.raises(ValueError, match="'ganja'"):
        questions_that_apply("ganja", {"q1": "yes"})
    with pytest.raises(ValueError, match="q2 = 'often'"):
        questions_that_apply("cannabis", {"q1": "yes", "q2": "often"})


# --- Q8, injecting -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("q8", "flag", "score"),
    [
        (None, "none", 0),
        ("no", "none", 0),
        ("past_3_months", "recent", 2),
        ("not_past_3_months", "past", 1),
    ],
)
def test_q8_gives_an_injection_flag_and_the_form_score(
    q8: str | None, flag: str, score: int
) -> None:
    assert injection_flag(q8) == flag
    assert injection_score(q8) == score


@pytest.mark.parametrize("q8", ["yes", "", "weekly"])
def test_an_unknown_q8_code_is_refused_naming_q8(q8: str) -> None:
    with pytest.raises(ValueError, match=f"q8 = '{q8}'"):
        injection_flag(q8)
    with pytest.raises(ValueError, match=f"q8 = '{q8}'"):
        injection_score(q8)


# --- Properties ----------------------------------------------------------------------------


@st.composite
def consistent_answers(draw: st.DrawFn, substance: str) -> dict[str, str]:
    """An answer set the skip logic allows: any question may be skipped (left out)."""
    answers: dict[str, str] = {}
    q1 = draw(st.sampled_from([None, "no", "yes"]))
    if q1 is None:
        return answers
    answers["q1"] = q1
    if q1 == "no":
        return answers
    maybe_frequency = st.one_of(st.none(), st.sampled_from(FREQUENCIES))
    maybe_ever = st.one_of(st.none(), st.sampled_from(EVER))
    later: dict[str, str | None] = {
        "q2": draw(maybe_frequency),
        "q6": draw(maybe_ever),
        "q7": draw(maybe_ever),
    }
    if later["q2"] is not None:
        used = later["q2"] != "never"
        for q in ("q3", "q4", "q5"):
            later[q] = draw(maybe_frequency if used else st.sampled_from([None, "never"]))
    if substance == "tobacco":  # not asked, so the form may hold anything
        later["q5"] = draw(st.one_of(st.none(), st.text(max_size=20)))
    answers.update({q: v for q, v in later.items() if v is not None})
    return answers


@st.composite
def substance_and_answers(draw: st.DrawFn) -> tuple[str, dict[str, str]]:
    substance = draw(st.sampled_from(SUBSTANCES))
    return substance, draw(consistent_answers(substance))


@given(substance_and_answers())
def test_any_consistent_answers_score_between_0_and_the_substance_maximum(
    case: tuple[str, dict[str, str]],
) -> None:
    substance, answers = case
    assert 0 <= substance_involvement_score(substance, answers) <= MAXIMUM[substance]


@given(substance_and_answers())
def test_the_score_is_the_sum_of_the_per_question_scores(
    case: tuple[str, dict[str, str]],
) -> None:
    substance, answers = case
    expected = sum(EXPECTED_SCORES[q][answers[q]] for q in counted(substance) if q in answers)
    assert substance_involvement_score(substance, answers) == expected


@given(substance_and_answers())
def test_only_questions_that_apply_add_to_the_score(case: tuple[str, dict[str, str]]) -> None:
    substance, answers = case
    scored = {q for q in counted(substance) if EXPECTED_SCORES[q].get(answers.get(q, ""), 0)}
    assert scored <= questions_that_apply(substance, answers)


@given(consistent_answers("tobacco"), st.one_of(st.none(), st.text(max_size=20)))
def test_the_tobacco_score_never_depends_on_q5(answers: dict[str, str], q5: str | None) -> None:
    other = {q: v for q, v in answers.items() if q != "q5"}
    if q5 is not None:
        other["q5"] = q5
    assert substance_involvement_score("tobacco", answers) == substance_involvement_score(
        "tobacco", other
    )


@pytest.mark.parametrize("substance", SUBSTANCES)
def test_risk_level_is_defined_for_every_score_from_0_to_the_maximum(substance: str) -> None:
    levels = [risk_level(substance, score) for score in range(MAXIMUM[substance] + 1)]
    assert set(levels) == {"low", "moderate", "high"}


@given(
    st.sampled_from(SUBSTANCES).flatmap(
        lambda s: st.tuples(
            st.just(s),
            st.integers(0, MAXIMUM[s]),
            st.integers(0, MAXIMUM[s]),
        )
    )
)
def test_risk_level_never_goes_down_as_the_score_goes_up(case: tuple[str, int, int]) -> None:
    substance, a, b = case
    lower, higher = sorted((a, b))
    assert ORDER[risk_level(substance, lower)] <= ORDER[risk_level(substance, higher)]


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ({"tobacco": 30, "amphetamines": 12}, "amphetamines"),
        ({"tobacco": 30}, None),
        ({"alcohol": 12, "cannabis": 12}, "alcohol"),  # same band and score: the first listed
        ({"cannabis": 5, "opioids": 20, "other": 20}, "opioids"),
        # band before score: alcohol 10 is low, cannabis 6 moderate
        ({"alcohol": 10, "cannabis": 6}, "cannabis"),
        ({"alcohol": 26, "amphetamines": 26}, "alcohol"),  # both moderate, tie: form order
        ({"alcohol": 30, "amphetamines": 26}, "alcohol"),  # high beats moderate
        ({"alcohol": 3}, "alcohol"),
        ({}, None),
    ],
)
def test_the_main_substance_is_the_highest_band_then_score_leaving_tobacco_aside(
    scores: dict[str, int], expected: str | None
) -> None:
    assert scoring.main_substance(scores) == expected


@pytest.mark.parametrize(
    ("level", "q8", "pattern", "tier"),
    [
        ("low", "no", "", "ringan"),
        ("moderate", "no", "", "sedang"),
        ("high", "no", "", "berat"),
        # WHO: injecting more than weekly (or 3+ days in a row) in the past 3 months is high risk
        ("low", "past_3_months", "more_than_weekly", "berat"),
        ("moderate", "past_3_months", "more_than_weekly", "berat"),
        # injecting less often, or only before the past 3 months, is a flag, not a tier
        ("low", "past_3_months", "weekly_or_less", "ringan"),
        ("moderate", "past_3_months", "weekly_or_less", "sedang"),
        ("low", "not_past_3_months", "", "ringan"),
    ],
)
def test_the_suggested_tier_follows_the_band_and_the_who_injecting_pattern(
    level: str, q8: str, pattern: str, tier: str
) -> None:
    risky = scoring.injects_high_risk(q8, pattern)
    assert scoring.suggested_tier(level, injects_high_risk=risky) == tier


def test_tobacco_has_its_own_band_and_is_blank_when_not_used() -> None:
    assert scoring.tobacco_level({"tobacco": 0, "alcohol": 5}) == ""
    assert [scoring.tobacco_level({"tobacco": n}) for n in (3, 4, 26, 27)] == [
        "low", "moderate", "moderate", "high",
    ]  # fmt: skip


def test_an_unknown_level_suggests_no_tier() -> None:
    with pytest.raises(ValueError, match="tingkat risiko"):
        scoring.suggested_tier("severe", injects_high_risk=False)
