"""Normalization: how a parent's typing becomes the matcher's topic words."""

from faq.normalize import Normalizer, asks, clean, words


def test_case_punctuation_and_emoji_are_dropped() -> None:
    assert clean("ARRIVAL Time?!! 🏃‍♀️🎉") == "arrival time"


def test_accents_and_curly_apostrophes_are_folded() -> None:
    assert clean("What’s the café’s policy") == "what the cafe policy"


def test_contractions_are_expanded() -> None:
    assert words("can't we go? don't know") == ["can", "not", "we", "go", "do", "not", "know"]


def test_chat_spelling_is_rewritten() -> None:
    assert words("wat time shud u get there w ur kiddo") == [
        "what", "time", "should", "you", "arrive", "with", "your", "kid"]


def test_multi_word_synonyms_become_one_word() -> None:
    assert "refund" in words("can i get my money back")
    assert "arrive" in words("when should we show up")


def test_synonyms_share_one_concept() -> None:
    n = Normalizer([])
    assert set(n.terms("my daughter")) == set(n.terms("my son")) == {"child"}
    assert set(n.terms("can grandma come")) == {"family", "come"}


def test_misspellings_are_corrected_towards_the_knowledge_base_vocabulary() -> None:
    n = Normalizer(["arrival", "refund", "stretches"])
    assert n.correct("arival") == "arrival"
    assert n.correct("refnud") == "refund"
    assert set(n.terms("stretchs")) == set(n.terms("stretches")) == {"stretch"}


def test_real_words_are_never_corrected() -> None:
    n = Normalizer(["water", "whether"])
    assert n.correct("weather") == "weather"


def test_filler_is_dropped_and_rare_words_weigh_more() -> None:
    n = Normalizer(["refund"])
    terms = n.terms("hi there, I was just wondering about the refund")
    assert set(terms) == {"refund"}
    assert Normalizer([]).terms("dog")["dog"] < Normalizer([]).terms("reimbursement")["refund"]


def test_a_message_of_only_filler_has_no_terms() -> None:
    assert Normalizer([]).terms("when?? what about it") == {}


def test_what_a_question_asks_for_is_read_from_its_opening() -> None:
    assert asks("wheres parking") == {"place"}
    assert asks("hi! how long is the race?") == {"time"}
    assert asks("what time does it start") == {"time"}
    assert asks("who do i email") == {"person"}
    assert asks("can my kid run") == set()
    assert asks("can you tell me where the start is") == {"place"}
    assert asks("i was wondering who to email") == {"person"}
    # inside a sentence "where" asks nothing; an entry's phrasing is read whole
    assert asks("we live far from where the race is") == set()
    assert asks("we live far from where the race is", opening_only=False) == {"place"}
