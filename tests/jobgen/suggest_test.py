"""`did you mean`: the same suggestion as difflib's, without indexing a word nothing can match."""

import difflib
import random

from jobgen.suggest import closest

NAMES = ["build", "test", "stage", "release", "integration_test", "", "a", "credentials"]


def _difflib(word: str, choices: list[str]) -> str | None:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return close[0] if close else None


def test_the_suggestion_is_difflibs_for_typos_and_words_of_any_length():
    rng = random.Random(7)
    words = ["bulid", "tset", "", "a", "b", "relase", "integration", "credential", "x" * 40]
    for _ in range(300):
        base = rng.choice(NAMES)
        cut = rng.randrange(len(base) + 1)
        words.append(base[:cut] + "".join(rng.choices("abcdest_", k=rng.randrange(4))))
    for word in words:
        assert closest(word, NAMES) == _difflib(word, NAMES), word
    assert closest("bulid", NAMES) == "build"


def test_a_ten_megabyte_word_gets_no_suggestion():
    # No choice is within the length bound: nothing is compared (difflib indexes it, ~1 s).
    assert closest("A" * 10_000_000, NAMES) is None
