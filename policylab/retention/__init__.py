"""Storage periods stated in privacy notices (``taxonomy.md`` §4).

Every statement of how long personal data is kept becomes one row with its
character offsets: a *duration* ("normalt i to år" = 730 days, approx), an
*event* ("så lenge kundeforholdet består") or an *unspecified* period ("så lenge
det er nødvendig for formålet"). Response and breach deadlines, frequencies,
dates, ages and prices are not storage periods and give no row.

All words, cues and traps live in ``lexicons/retention.toml`` (bokmål, nynorsk
and English), where the decisions taken on the bundled notices are written
down. The lexicon is compiled once per language and cached.

How it works, and why it scales: the whole notice is searched once (not
clause by clause), and only where it can matter: ``str.find`` on the
lower-cased text picks the lines that hold a unit word or a head's trigger
word, and only those lines meet a regex. Durations are read from their unit
word backwards (qualifier, range, number); event and unspecified spans start
at a head phrase and run to the end of their clause. Only then is each
candidate's sentence read for context: a storage cue ("lagres", "slettes",
"kept") or a storage section heading ("Oppbevaringstid") admits it, a nearer
deadline cue ("besvares", "varsle") rejects it. Spans are placed into clauses
afterwards, by offset.

One module per stage: :mod:`.lexicon` compiles the TOML, :mod:`.layout` reads
lines, sentences, headings and table rows, :mod:`.durations` and :mod:`.spans`
find the candidates (durations; event and unspecified spans and their ends),
:mod:`.context` admits them, :mod:`.subjects` names what they apply to, and
:mod:`.table` builds the public tables. Every public name is importable from
``policylab.retention``.

Examples
--------
>>> spans = find_retention_spans("Chatten blir lagret i 5 år. Vi svarer innen 30 dager.")
>>> spans[["raw", "kind", "days", "qualifier", "subject"]].values.tolist()
[['5 år', 'duration', 1825.0, 'exact', 'chat']]
"""

from __future__ import annotations

# Private names (these six imports) kept at the old path ``policylab.retention._name``
# (tests and docs/languages.md reach them there); they live in the stage modules.
from .context import _admitted  # noqa: F401
from .durations import _durations  # noqa: F401
from .layout import _Layout  # noqa: F401
from .lexicon import _lang_keys, _lexicon, _parse_number, _raw_lexicon  # noqa: F401
from .spans import SPAN_WINDOW_CHARS, _conj_before, _events, _trim_end  # noqa: F401
from .subjects import _subject  # noqa: F401
from .table import (
    KINDS,
    QUALIFIERS,
    RETENTION_COLUMNS,
    SPAN_COLUMNS,
    document_retention,
    find_retention_spans,
    retention_frame,
    retention_rows,
    retention_spans,
)

__all__ = [
    "KINDS",
    "QUALIFIERS",
    "RETENTION_COLUMNS",
    "SPAN_COLUMNS",
    "document_retention",
    "find_retention_spans",
    "retention_frame",
    "retention_rows",
    "retention_spans",
]
