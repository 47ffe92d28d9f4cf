"""Similar clauses on the bundled notices: copied text is found, clustered together,
unrelated clauses stay apart, and results are deterministic and exact."""


import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.preprocessing import normalize

from policylab.tokenize import words
from policylab import cluster as clu
from policylab.cluster import (
    CLUSTER_COLUMNS,
    DOCUMENT_SIMILARITY_COLUMNS,
    NEAR_DUPLICATE_COLUMNS,
    SIMILAR_COLUMNS,
    SUMMARY_COLUMNS,
    ClauseClusterer,
    cluster_clauses,
    cluster_summary,
    document_similarity,
    near_duplicates,
    similar_clauses,
)


@pytest.fixture(scope="session")
def corpus(tables):
    """The bundled corpus, built once per session by conftest."""
    return tables


@pytest.fixture(scope="session")
def body(corpus):
    return corpus.clauses


@pytest.fixture(scope="session")
def pairs(body):
    return near_duplicates(body)


@pytest.fixture(scope="session")
def clusters(body):
    return cluster_clauses(body, random_state=0)


def cid(clauses, doc_id, snippet):
    """Id of the one clause of ``doc_id`` containing ``snippet``."""
    # ØkoRåd's notice has no-break spaces between some words.
    flat = clauses.text.str.replace(r"\s+", " ", regex=True)
    hits = clauses[(clauses.doc_id == doc_id) & flat.str.contains(snippet, regex=False)]
    assert len(hits) == 1, f"{len(hits)} clauses of {doc_id} contain {snippet!r}"
    return hits.clause_id.iloc[0]


def has_pair(pairs, a, b):
    a, b = min(a, b), max(a, b)
    return ((pairs.clause_a == a) & (pairs.clause_b == b)).any()


def cluster_of(clusters, clause_id):
    hit = clusters.loc[clusters.clause_id == clause_id, "cluster"]
    assert len(hit) == 1, f"{clause_id} was not clustered"
    return int(hit.iloc[0])


# --------------------------------------------------------------------------- the known twins


def test_cookie_statistics_paragraphs_of_resultat24_and_okorad_are_found(body, pairs):
    r24 = cid(body, "resultat24", "bruker også cookies for å samle inn informasjon vedrørende besøksstatistikk")
    oko = cid(body, "okorad", "bruker også informasjonskapsler for å samle inn informasjon som gjelder besøksstatistikk")
    row = pairs[(pairs.clause_a == min(r24, oko)) & (pairs.clause_b == max(r24, oko))]
    assert len(row) == 1
    assert {row.doc_a.item(), row.doc_b.item()} == {"resultat24", "okorad"}
    # Resultat24 merged ØkoRåd's two cookie paragraphs into one: the shorter is contained.
    assert row.containment.item() >= 0.85


def test_template_clauses_are_near_duplicates(body, pairs):
    mytxs = cid(body, "mytxs", "Vi behandler følgende kategorier av personopplysninger")
    sula = cid(body, "sula-kommune", "Vi behandler følgende kategorier av personopplysninger om deg")
    protest_mytxs = cid(body, "mytxs", "på bakgrunn av en interesseavveining, har du rett til å protestere")
    protest_oko = cid(body, "okorad", "på bakgrunn av en interesseavveining, har du rett til å protestere")
    for a, b in [(mytxs, sula), (protest_mytxs, protest_oko)]:
        assert has_pair(pairs, a, b)
    row = pairs[(pairs.clause_a == min(mytxs, sula)) & (pairs.clause_b == max(mytxs, sula))]
    assert row.similarity.item() >= 0.9 and row.match.item() == "near_duplicate"


def test_behandling_definitions_are_close_neighbours(body):
    motkraft = cid(body, "motkraft", "Med «behandling» menes alt som foretas")
    okorad = cid(body, "okorad", "En behandling er en eller flere operasjoner")
    nearest = similar_clauses(body, motkraft, k=3)
    assert nearest.clause_id.iloc[0] == okorad
    assert motkraft not in set(nearest.clause_id)


def test_similar_clauses_on_a_clause_id_returns_its_twin_first(body):
    r24 = cid(body, "resultat24", "vedrørende besøksstatistikk")
    oko = cid(body, "okorad", "som gjelder besøksstatistikk")
    assert similar_clauses(body, oko, k=5).clause_id.iloc[0] == r24
    assert similar_clauses(body, r24, k=5).clause_id.iloc[0] == oko


def test_similar_clauses_rejects_an_unknown_clause_id_with_a_close_match(body):
    # Before the fix, "okorad:0999" was searched as a text of no words and
    # returned clauses sharing the characters "okorad" / "0999" or nothing.
    with pytest.raises(KeyError, match=r"'okorad:0999'.*did you mean 'okorad:00\d\d'"):
        similar_clauses(body, "okorad:0999")
    with pytest.raises(ValueError, match="no clause has that id"):
        similar_clauses(body, "okorad:39")
    with pytest.raises(ValueError, match=r"did you mean 'resultat24:0024'"):
        similar_clauses(body, "resultat42:0024")


def test_similar_clauses_takes_free_text_explicitly(body):
    # An id-shaped string is searched as text when asked to, and a real id given as text is text.
    assert len(similar_clauses(body, text="okorad:0999", k=3)) <= 3
    as_text = similar_clauses(body, text="Du kan klage til Datatilsynet", k=5)
    pd.testing.assert_frame_equal(as_text, similar_clauses(body, "Du kan klage til Datatilsynet", k=5))
    with pytest.raises(TypeError):
        similar_clauses(body)
    with pytest.raises(TypeError):
        similar_clauses(body, "okorad:0039", text="klage")


def test_similar_clauses_on_free_text(body):
    hits = similar_clauses(body, "Du kan klage til Datatilsynet", k=5)
    assert list(hits.columns) == SIMILAR_COLUMNS
    assert len(hits) == 5 and hits.similarity.is_monotonic_decreasing
    assert all("datatilsyn" in t.lower() for t in hits.text)


def test_twins_are_clustered_together(body, clusters):
    twins = [
        (cid(body, "resultat24", "vedrørende besøksstatistikk"), cid(body, "okorad", "som gjelder besøksstatistikk")),
        (cid(body, "motkraft", "Med «behandling» menes alt"), cid(body, "okorad", "En behandling er en eller flere")),
        (cid(body, "mytxs", "Vi behandler følgende kategorier"), cid(body, "sula-kommune", "Vi behandler følgende kategorier")),
        (cid(body, "motkraft", "Vi samler inn og bruker personopplysninger til ulike formål"),
         cid(body, "partners", "Vi samler inn og bruker dine personopplysninger til ulike formål")),
    ]
    for a, b in twins:
        assert cluster_of(clusters, a) == cluster_of(clusters, b) != -1, (a, b)


def test_unrelated_clauses_are_apart(body, clusters):
    address = cid(body, "motkraft", "St. Olavs gate 24")
    cookie_lifetime = cid(body, "motkraft", "_ga, google.com, lagres i to år")
    other_address = cid(body, "utekos", "Lille Damsgårdsveien 25, 5162")
    for a in (address, other_address):
        assert cluster_of(clusters, a) != cluster_of(clusters, cookie_lifetime) or cluster_of(clusters, a) == -1
    inside = near_duplicates(body, across_documents=False, threshold=0.5, min_words=3)
    assert not has_pair(inside, address, cookie_lifetime)
    assert not has_pair(inside, other_address, cookie_lifetime)


def test_headings_and_boilerplate_are_left_out_unless_asked(body, pairs, clusters):
    kind = dict(zip(body.clause_id, body.kind))
    assert {kind[c] for c in pd.concat([pairs.clause_a, pairs.clause_b])} <= set(clu.DEFAULT_KINDS)
    assert {kind[c] for c in clusters.clause_id} <= set(clu.DEFAULT_KINDS)
    heading_r24 = cid(body, "resultat24", "Hvem har tilgang til opplysningene?")
    heading_oko = cid(body, "okorad", "Hvem har tilgang til opplysningene?")
    assert kind[heading_r24] == kind[heading_oko] == "heading"
    headings = near_duplicates(body, include_kinds=("heading",))
    assert has_pair(headings, heading_r24, heading_oko)


# --------------------------------------------------------------------------- output contract


def test_near_duplicate_frame(body, pairs):
    assert list(pairs.columns) == NEAR_DUPLICATE_COLUMNS
    assert (pairs.clause_a < pairs.clause_b).all()
    assert (pairs.doc_a != pairs.doc_b).all()
    assert pairs.similarity.between(0, 1).all() and pairs.containment.between(0, 1).all()
    near = pairs.match == "near_duplicate"
    assert (pairs.similarity[near] >= 0.8).all()
    assert (pairs.containment[~near] >= 0.85).all()
    ordered = pairs.sort_values(["similarity", "clause_a", "clause_b"], ascending=[False, True, True])
    assert ordered.index.tolist() == pairs.index.tolist()
    doc_of = dict(zip(body.clause_id, body.doc_id))
    assert (pairs.clause_a.map(doc_of) == pairs.doc_a).all()


def test_cluster_frame(body, clusters):
    assert list(clusters.columns) == CLUSTER_COLUMNS
    assert pd.api.types.is_integer_dtype(clusters.cluster)
    assert clusters.cluster.min() >= -1
    sizes = clusters[clusters.cluster >= 0].cluster.value_counts()
    assert (sizes >= 2).all()  # singletons are -1
    assert sizes.is_monotonic_decreasing  # clusters numbered by size
    labels = clusters[clusters.cluster >= 0].groupby("cluster").cluster_label.nunique()
    assert (labels == 1).all()
    assert np.isfinite(clusters[["x", "y"]].to_numpy()).all()


def test_cluster_label_uses_surface_forms(body, clusters):
    oko = cid(body, "okorad", "som gjelder besøksstatistikk")
    label = clusters.loc[clusters.clause_id == oko, "cluster_label"].item()
    terms = label.split(", ")
    assert len(terms) == 3
    text = " ".join(body.loc[body.clause_id.isin(clusters.clause_id), "text"]).lower()
    assert all(term in text for term in terms)  # words as written, not stems like "informasjonskapsl"


def test_same_random_state_gives_identical_frames(body):
    pd.testing.assert_frame_equal(cluster_clauses(body, random_state=3), cluster_clauses(body, random_state=3))
    pd.testing.assert_frame_equal(near_duplicates(body), near_duplicates(body))


def test_large_n_path_uses_kmeans_and_keeps_twins(body):
    model = ClauseClusterer(random_state=0, agglomerative_max=100).fit(body)
    assert model.method_ == "kmeans"
    again = ClauseClusterer(random_state=0, agglomerative_max=100).fit(body)
    pd.testing.assert_frame_equal(model.clusters_, again.clusters_)
    given_k = ClauseClusterer(random_state=0, agglomerative_max=100, n_clusters=40).fit(body)
    assert given_k.n_clusters_ <= 40
    mytxs = cid(body, "mytxs", "Vi behandler følgende kategorier")
    sula = cid(body, "sula-kommune", "Vi behandler følgende kategorier")
    assert cluster_of(model.clusters_, mytxs) == cluster_of(model.clusters_, sula)


def test_transform_does_not_refit(body):
    model = ClauseClusterer(random_state=0).fit(body)
    components = model.svd_.components_.copy()
    vocabulary = dict(model.featurizer_.word.vocabulary_)
    char_columns = model.featurizer_.char.lookup_.copy()
    labels = model.labels_.copy()
    fitted = body.set_index("clause_id").loc[model.clusters_.clause_id].reset_index()
    other = pd.DataFrame({"clause_id": ["x"], "doc_id": ["x"], "text": ["Helt nye ord som zebra og kvantefysikk."]})
    model.transform(other)
    assert np.array_equal(model.svd_.components_, components)
    assert model.featurizer_.word.vocabulary_ == vocabulary
    assert np.array_equal(model.featurizer_.char.lookup_, char_columns)
    assert np.array_equal(model.labels_, labels)
    assert np.allclose(model.transform(fitted), model.embedding_)


@pytest.mark.parametrize("n", [0, 1])
def test_empty_and_one_clause_give_empty_frames(body, n):
    few = body[body.kind == "paragraph"].head(n)
    results = {
        "near": (near_duplicates(few), NEAR_DUPLICATE_COLUMNS),
        "cluster": (cluster_clauses(few), CLUSTER_COLUMNS),
        "docsim": (document_similarity(few), DOCUMENT_SIMILARITY_COLUMNS),
        "summary": (cluster_summary(cluster_clauses(few), few, pd.DataFrame(columns=["doc_id"])), SUMMARY_COLUMNS),
        "similar": (similar_clauses(few, few.clause_id.iloc[0] if n else "noe", k=3), SIMILAR_COLUMNS),
    }
    for name, (frame, columns) in results.items():
        assert list(frame.columns) == columns, name
        assert len(frame) == 0, name
    assert len(ClauseClusterer().fit(few).transform(few)) == n


# --------------------------------------------------------------------------- summaries


def test_cluster_summary(body, corpus, clusters):
    oko = cid(body, "okorad", "som gjelder besøksstatistikk")
    topic_rows = body[body.text.str.contains("informasjonskaps|cookie", case=False)]
    labels = pd.DataFrame({"clause_id": topic_rows.clause_id, "doc_id": topic_rows.doc_id,
                           "dimension": "topic", "label": "cookies", "score": 1.0, "cue": "cookie"})
    summary = cluster_summary(clusters, body, corpus.documents, labels=labels)
    assert list(summary.columns) == SUMMARY_COLUMNS
    assert summary.n_clauses.sum() == len(clusters)
    row = summary[summary.cluster == cluster_of(clusters, oko)].iloc[0]
    assert row.dominant_topic == "cookies"
    assert "Resultat24 AS" in row.companies and "ØkoRåd Gruppen" in row.companies
    assert row.n_documents >= 2 and row.n_sectors >= 2
    assert (summary.n_documents <= summary.n_clauses).all()
    assert summary.cluster.iloc[-1] == -1 or (summary.cluster >= 0).all()
    plain = cluster_summary(clusters, body, corpus.documents)
    assert (plain.dominant_topic == "").all()


def test_cluster_clauses_adds_topics_when_labels_given(body):
    rows = body[body.text.str.contains("Datatilsynet", regex=False)]
    labels = pd.DataFrame({"clause_id": rows.clause_id, "doc_id": rows.doc_id, "dimension": "topic",
                           "label": "complaint", "score": 1.0, "cue": "Datatilsynet"})
    out = cluster_clauses(body, labels=labels)
    assert set(out.loc[out.clause_id.isin(rows.clause_id), "topic"]) == {"complaint"}
    assert set(out.loc[~out.clause_id.isin(rows.clause_id), "topic"]) == {""}


def test_document_similarity(body, pairs):
    sim = document_similarity(body)
    assert list(sim.columns) == DOCUMENT_SIMILARITY_COLUMNS
    forward = sim[(sim.doc_a == "okorad") & (sim.doc_b == "resultat24")].iloc[0]
    backward = sim[(sim.doc_a == "resultat24") & (sim.doc_b == "okorad")].iloc[0]
    assert forward.share_a == backward.share_b and forward.shared_clauses == backward.shared_clauses
    eligible = body[body.kind.isin(clu.DEFAULT_KINDS) & (body.n_words >= 5)]
    linked = pairs[(pairs.doc_a == "okorad") & (pairs.doc_b == "resultat24") | (pairs.doc_a == "resultat24") & (pairs.doc_b == "okorad")]
    mine = set(linked.clause_a[linked.doc_a == "okorad"]) | set(linked.clause_b[linked.doc_b == "okorad"])
    assert forward.share_a == pytest.approx(len(mine) / (eligible.doc_id == "okorad").sum())
    matrix = sim.pivot(index="doc_a", columns="doc_b", values="share_a")
    assert matrix.loc["okorad", "resultat24"] == forward.share_a
    assert sim.share_a.between(0, 1).all() and (sim.doc_a != sim.doc_b).all()


# --------------------------------------------------------------------------- methods and progress


def test_minhash_method_finds_the_template_pairs(body, pairs):
    approx = near_duplicates(body, method="minhash", containment_threshold=None)
    exact = near_duplicates(body, containment_threshold=None)
    mytxs = cid(body, "mytxs", "Vi behandler følgende kategorier")
    sula = cid(body, "sula-kommune", "Vi behandler følgende kategorier")
    assert has_pair(approx, mytxs, sula)
    merged = approx.merge(exact, on=["clause_a", "clause_b"], suffixes=("", "_exact"))
    assert len(merged) == len(approx)  # every minhash pair is an exact pair, same score
    assert np.allclose(merged.similarity, merged.similarity_exact)


def test_progress_bars_go_to_stderr(body, capsys):
    near_duplicates(body, progress=True)
    captured = capsys.readouterr()
    assert "near duplicates" in captured.err and captured.out == ""
    near_duplicates(body)  # 942 clauses: below the default cut-off
    assert capsys.readouterr().err == ""


def test_bad_options_raise(body):
    with pytest.raises(ValueError):
        near_duplicates(body, method="lsh")
    with pytest.raises(ValueError):
        near_duplicates(body, threshold=0)
    with pytest.raises(ValueError):
        ClauseClusterer(layout="umap").fit(body)


# --------------------------------------------------------------------------- properties

WORDS = ["vi", "lagrer", "opplysninger", "navn", "e-post", "samtykke", "slettes", "år", "to", "Datatilsynet",
         "informasjonskapsler", "ikke", "deler", "kunder", "123", "avtale", "og", "i"]
texts = st.lists(st.sampled_from(WORDS), min_size=1, max_size=14).map(" ".join)
tables = st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), texts), min_size=0, max_size=14).map(
    lambda rows: pd.DataFrame(
        {"clause_id": [f"{d}:{k:04d}" for k, (d, _) in enumerate(rows)], "doc_id": [d for d, _ in rows],
         "text": [t for _, t in rows]}
    )
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables, st.floats(0.3, 1.0), st.booleans())
def test_near_duplicates_properties_and_exactness(frame, threshold, across):
    out = near_duplicates(frame, threshold=threshold, across_documents=across, min_words=1,
                          containment_threshold=None)
    assert list(out.columns) == NEAR_DUPLICATE_COLUMNS
    assert out.similarity.between(0, 1).all() and out.containment.between(0, 1).all()
    assert (out.clause_a < out.clause_b).all()
    if across:
        assert (out.doc_a != out.doc_b).all()
    # Prefix filtering is exact: the same pairs as a dense brute force over the
    # clauses compared (those with a word: "123" alone is not compared).
    frame = frame[[bool(words(t)) for t in frame.text]]
    if len(frame) >= 2:
        unit = normalize(clu._ngram_weights(frame.text.tolist())).toarray()
        sims = unit @ unit.T
        ids, docs = frame.clause_id.tolist(), frame.doc_id.tolist()
        expected = {
            (min(ids[i], ids[j]), max(ids[i], ids[j])) for i in range(len(ids)) for j in range(i + 1, len(ids))
            if sims[i, j] >= threshold and (docs[i] != docs[j] or not across)
        }
        margin = {(min(ids[i], ids[j]), max(ids[i], ids[j])) for i in range(len(ids)) for j in range(i + 1, len(ids))
                  if abs(sims[i, j] - threshold) < 1e-9}
        assert set(zip(out.clause_a, out.clause_b)) ^ expected <= margin


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables, st.integers(0, 3))
def test_cluster_clauses_properties(frame, seed):
    out = cluster_clauses(frame, random_state=seed, min_words=1)
    assert list(out.columns) == CLUSTER_COLUMNS
    eligible = sum(1 for t in frame.text if words(t))
    assert len(out) == (eligible if eligible >= 2 else 0)
    assert set(out.clause_id) <= set(frame.clause_id)
    pd.testing.assert_frame_equal(out, cluster_clauses(frame, random_state=seed, min_words=1))
