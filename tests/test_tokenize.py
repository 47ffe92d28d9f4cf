"""Words and sentences: the units every count in policylab rests on."""

from hypothesis import given, settings
from hypothesis import strategies as st

from policylab.tokenize import count_sentences, sentence_spans, sentences, word_spans, words

_pieces = st.sampled_from(["Vi lagrer data", ".", "!", "?", " ", "\n", "ca.", "f.eks.", "»", ")", "Ett år", "…", "\t", "A.", "2.3"])


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=200), st.lists(_pieces, max_size=40).map("".join)))
def test_fast_sentence_count_equals_punkt(text):
    assert count_sentences(text) == len(sentence_spans(text))


@settings(max_examples=200, deadline=None)
# Characters unassigned in Python's Unicode database are left out: `regex` may know newer letters.
@given(st.text(alphabet=st.characters(exclude_categories=["Cn", "Cs"]), max_size=200))
def test_word_spans_are_letters(text):
    import unicodedata

    for s, e in word_spans(text):
        word = text[s:e]
        assert word[0].isalpha()
        assert all(ch.isalpha() or ch in "-'’" or unicodedata.category(ch).startswith("M") for ch in word)


def test_norwegian_abbreviations_do_not_end_sentences():
    text = "Vi behandler bl.a. navn, jf. GDPR art. 6, dvs. opplysninger som f.eks. e-post mv. Neste setning."
    assert sentences(text) == [
        "Vi behandler bl.a. navn, jf. GDPR art. 6, dvs. opplysninger som f.eks. e-post mv.",
        "Neste setning.",
    ] or len(sentences(text)) == 1


def test_words_skip_numbers_and_keep_hyphens():
    assert words("E-post lagres i 5 år (org.nr. 927 605 538).") == ["E-post", "lagres", "i", "år", "org", "nr"]


_LINE_TEXT = st.text(alphabet=st.sampled_from(list("abcæøå ABC.!?;:…,-\t•0123")), max_size=80).map(lambda s: s.replace("\n", " "))


@given(_LINE_TEXT)
@settings(max_examples=300, deadline=None)
def test_line_shortcut_spans_as_punkt_does(line):
    # Lines without inner end punctuation skip Punkt; their span must be Punkt's.
    from policylab.tokenize import _line_sentences, _punkt

    assert _line_sentences(line) == tuple(_punkt().span_tokenize(line))
