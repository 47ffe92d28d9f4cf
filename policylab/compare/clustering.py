"""Clusters of clauses that say the same kind of thing, and one row per cluster.

- :func:`cluster_clauses` / :class:`ClauseClusterer` -- clusters of clauses on a
  TF-IDF + SVD embedding, with a label of top terms and 2-D map coordinates.
- :func:`cluster_summary` -- size, spread over notices and sectors, main topic.

Clustering is agglomerative up to :data:`AGGLOMERATIVE_MAX` clauses (its
condensed distance matrix holds n(n-1)/2 floats, 100 MB at 5,000) and
MiniBatchKMeans above. ``benchmarks/bench_cluster.py`` prints time and memory.
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.cluster import AgglomerativeClustering, MiniBatchKMeans
from sklearn.decomposition import PCA, TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import normalize

from ..stopwords import stop_words
from ..tokenize import stem, words
from ._common import DEFAULT_KINDS, _as_clauses, _bar, _eligible, _empty, _flat, _show
from .ngrams import _HASH_BITS, _ngram_counts

__all__ = [
    "AGGLOMERATIVE_MAX", "CLUSTER_COLUMNS", "NOISE_LABEL", "SUMMARY_COLUMNS",
    "ClauseClusterer", "cluster_clauses", "cluster_summary",
]

#: Largest number of clauses clustered agglomeratively (its condensed distance
#: matrix of n(n-1)/2 float64 is 100 MB at 5,000); above it, MiniBatchKMeans.
AGGLOMERATIVE_MAX = 5_000
#: Label of the cluster ``-1``: clauses that are alone in their cluster.
NOISE_LABEL = "(singletons)"

CLUSTER_COLUMNS = ["clause_id", "doc_id", "cluster", "cluster_label", "x", "y"]
SUMMARY_COLUMNS = [
    "cluster", "cluster_label", "n_clauses", "n_documents", "n_sectors", "companies", "dominant_topic",
]


class _StemAnalyzer:
    """Callable analyzer for TfidfVectorizer: content words -> Snowball stems."""

    def __init__(self, language: str = "all"):
        self.language = language

    def content_words(self, text: str) -> list[str]:
        stops = stop_words(self.language)
        return [w for w in words(text.lower()) if len(w) > 1 and w not in stops]

    def __call__(self, text: str) -> list[str]:
        return [stem(w) for w in self.content_words(text)]


class _CharNgrams:
    """TF-IDF of hashed char_wb 3-5-grams of a clause's content words.

    The n-grams are those of :func:`near_duplicates` (numpy, hashed into 2**20
    columns), taken over the content words only; a clause of stop words only
    falls back to its whole text. ``fit`` keeps the ``max_features`` columns of
    highest document frequency among those in at least ``min_df`` clauses,
    so the SVD works on a bounded width.
    """

    def __init__(self, *, min_df: int = 1, max_features: int | None = None):
        self.min_df = min_df
        self.max_features = max_features
        self.analyzer = _StemAnalyzer()

    def _counts(self, texts: list[str]) -> sp.csr_matrix:
        inputs = []
        for text in texts:
            content = " ".join(self.analyzer.content_words(text))
            inputs.append(content if content else _flat(text))
        n, width = len(inputs), 1 << _HASH_BITS
        rows, cols, counts = [], [], []
        for s in range(0, n, 5_000):
            r, c, k = _ngram_counts(inputs[s : s + 5_000])
            rows.append(r + s)
            cols.append(c)
            counts.append(k)
        if not rows:
            return sp.csr_matrix((n, width))
        return sp.csr_matrix(
            (np.concatenate(counts).astype(np.float64), (np.concatenate(rows), np.concatenate(cols))), shape=(n, width)
        )

    def fit_transform(self, texts: list[str]) -> sp.csr_matrix:
        counts = self._counts(texts)
        df = np.bincount(counts.indices, minlength=counts.shape[1])
        columns = np.flatnonzero(df >= max(self.min_df, 1))
        if self.max_features is not None and columns.size > self.max_features:
            # Most frequent first, ties by column id: the same columns on every run.
            columns = np.sort(columns[np.lexsort((columns, -df[columns]))[: self.max_features]])
        if columns.size == 0:
            raise ValueError("no character n-grams to compare")
        self.lookup_ = np.full(counts.shape[1], -1, dtype=np.int64)
        self.lookup_[columns] = np.arange(columns.size)
        self.idf_ = np.log((1 + counts.shape[0]) / (1 + df[columns])) + 1
        return self._weigh(counts)

    def transform(self, texts: list[str]) -> sp.csr_matrix:
        return self._weigh(self._counts(texts))

    def _weigh(self, counts: sp.csr_matrix) -> sp.csr_matrix:
        coo = counts.tocoo()
        column = self.lookup_[coo.col]
        keep = column >= 0
        data = (1 + np.log(coo.data[keep])) * self.idf_[column[keep]]
        return sp.csr_matrix((data, (coo.row[keep], column[keep])), shape=(counts.shape[0], self.idf_.size))


class _Featurizer:
    """Sparse clause features: stemmed content words + char n-grams, rows unit norm.

    Two TF-IDF blocks, each L2-normalised and weighted ``word_weight`` :
    ``1 - word_weight`` (square roots, so a row's norm stays 1). A block that
    finds nothing to count (clauses of stop words only) is dropped.
    """

    def __init__(self, *, word_weight: float = 0.5, min_df: int = 1, max_features: int | None = None):
        self.word_weight = word_weight
        self.min_df = min_df
        self.max_features = max_features

    def fit_transform(self, texts: list[str]) -> sp.csr_matrix:
        """Learn both vocabularies and return the features of ``texts``.

        The word block of the texts is kept as ``word_matrix`` (cluster labels
        read it).
        """
        self.word = TfidfVectorizer(analyzer=_StemAnalyzer(), sublinear_tf=True, dtype=np.float64)
        try:
            word = normalize(self.word.fit_transform(texts))
        except ValueError:  # no content word in any clause
            self.word, word = None, None
        self.char = _CharNgrams(min_df=self.min_df, max_features=self.max_features)
        try:
            char = normalize(self.char.fit_transform(texts))
        except ValueError:
            self.char, char = None, None
        if self.char is None and self.word is None:
            raise ValueError("the clauses hold no letters or digits to compare")
        self.word_matrix = word
        return self._combine(word, char)

    def transform(self, texts: list[str]) -> sp.csr_matrix:
        word = normalize(self.word.transform(texts)) if self.word is not None else None
        char = normalize(self.char.transform(texts)) if self.char is not None else None
        return self._combine(word, char)

    def _combine(self, word, char) -> sp.csr_matrix:
        if word is None or char is None:
            return sp.csr_matrix(word if char is None else char)
        w = self.word_weight
        return sp.hstack([math.sqrt(w) * word, math.sqrt(1 - w) * char], format="csr")


class ClauseClusterer(TransformerMixin, BaseEstimator):
    """Cluster clauses on a TF-IDF + SVD embedding (scikit-learn estimator).

    Embedding: TF-IDF over Snowball-stemmed content words (stop words from
    ``lexicons/stopwords.csv``; negations are not stop words) and TF-IDF over
    char_wb 3-5-grams of the content words, each L2-normalised and weighted
    ``word_weight`` : ``1 - word_weight``, reduced by a seeded TruncatedSVD to
    ``n_components`` dimensions and L2-normalised, so Euclidean geometry is
    cosine geometry.

    Clustering: up to ``agglomerative_max`` clauses, average-linkage
    agglomerative clustering on cosine distance, cut at ``distance_threshold``
    (or into ``n_clusters``); above it, MiniBatchKMeans with ``n_clusters`` or,
    if None, the k of best silhouette on a seeded sample of 5,000 clauses, tried
    on a geometric grid of six values from sqrt(n)/4 to 4 sqrt(n) (at most
    1,000). A clause alone in its cluster gets cluster ``-1`` (noise: it shares
    its wording with no other clause, and a cluster of one says nothing about
    reuse); the others are numbered 0, 1, ... by size, largest first. A clause
    with no content word and no letter n-gram has no direction and is noise too.

    ``cluster_label`` names a cluster by its three heaviest stems in the mean
    word TF-IDF of its clauses, each shown as its most frequent surface form
    in the corpus. ``x, y`` are the first two principal components of the
    embedding (``layout="pca"``) or a seeded t-SNE (``layout="tsne"``, only up
    to ``agglomerative_max`` clauses).

    Parameters
    ----------
    random_state : int
        Seed of the SVD, k-means, the silhouette sample and the layout.
    n_clusters : int or None
        Number of clusters; None lets the threshold (or silhouette) decide.
    distance_threshold : float
        Average-linkage cosine distance at which agglomerative merging stops.
    n_components : int
        SVD dimensions (fewer if the data has fewer).
    word_weight : float
        Weight of the stemmed-word block against the char n-gram block.
    include_kinds : sequence of str or None
        Clause kinds clustered by :meth:`fit` (None: all).
    min_words : int
        Clauses with fewer words are left out by :meth:`fit`.
    agglomerative_max : int
        Largest n clustered agglomeratively.
    layout : {"pca", "tsne"}
        Map coordinates.
    progress : bool or None
        Progress bars on stderr; None shows them above 5,000 clauses.

    Attributes
    ----------
    clusters_ : DataFrame
        ``clause_id, doc_id, cluster, cluster_label, x, y`` of the fitted clauses.
    labels_ : ndarray of int
        Cluster of each fitted clause (``-1`` = singleton).
    embedding_ : ndarray of shape (n, n_components_)
    cluster_labels_ : dict of int to str
    n_clusters_ : int
        Clusters found, noise not counted.
    method_ : str
        ``"agglomerative"``, ``"kmeans"`` or ``"none"`` (fewer than two clauses).
    silhouette_ : dict of int to float
        Silhouette of each k tried, when k-means chose k itself.

    Examples
    --------
    >>> texts = ["Vi lagrer opplysningene i to år.", "Vi lagrer opplysningene i tre år.",
    ...          "Du kan klage til Datatilsynet.", "Du kan også klage til Datatilsynet."]
    >>> model = ClauseClusterer(min_words=1).fit(texts)
    >>> model.labels_.tolist(), model.transform(texts[:1]).shape == (1, model.n_components_)
    ([0, 0, 1, 1], True)
    """

    def __init__(
        self,
        *,
        random_state: int = 0,
        n_clusters: int | None = None,
        distance_threshold: float = 0.6,
        n_components: int = 100,
        word_weight: float = 0.5,
        include_kinds=DEFAULT_KINDS,
        min_words: int = 3,
        agglomerative_max: int = AGGLOMERATIVE_MAX,
        layout: str = "pca",
        progress: bool | None = None,
    ):
        self.random_state = random_state
        self.n_clusters = n_clusters
        self.distance_threshold = distance_threshold
        self.n_components = n_components
        self.word_weight = word_weight
        self.include_kinds = include_kinds
        self.min_words = min_words
        self.agglomerative_max = agglomerative_max
        self.layout = layout
        self.progress = progress

    def fit(self, X, y=None):
        """Learn the embedding and the clusters of the clauses in ``X``.

        ``X`` is a clauses table (or a sequence of texts). Returns ``self``.
        """
        if self.layout not in ("pca", "tsne"):
            raise ValueError(f"layout must be 'pca' or 'tsne', not {self.layout!r}")
        frame = _eligible(_as_clauses(X), self.include_kinds, self.min_words)
        n = len(frame)
        if n < 2:
            return self._fit_empty(frame)
        show = _show(self.progress, n)
        texts = frame["text"].tolist()
        # Rare char n-grams cannot link clauses; dropping them (and capping the
        # vocabulary) bounds the SVD's memory at 100k clauses.
        self.featurizer_ = _Featurizer(word_weight=self.word_weight, min_df=2 if n >= 1_000 else 1, max_features=2**16)
        features = self.featurizer_.fit_transform(texts)
        k = max(1, min(self.n_components, features.shape[1] - 1, n - 1))
        self.svd_ = TruncatedSVD(n_components=k, algorithm="randomized", n_iter=3, random_state=self.random_state)
        with np.errstate(invalid="ignore", divide="ignore"):  # identical rows: explained variance 0/0
            embedding = normalize(self.svd_.fit_transform(features))
        self.n_components_ = k
        self.embedding_ = embedding

        self.labels_ = _renumber(self._cluster(embedding, show=show))
        self.n_clusters_ = int(self.labels_.max() + 1) if (self.labels_ >= 0).any() else 0
        self.cluster_labels_ = self._name_clusters(texts, self.labels_)
        xy = self._layout(embedding)
        self.clusters_ = pd.DataFrame({
            "clause_id": frame["clause_id"].to_numpy(dtype=object),
            "doc_id": frame["doc_id"].to_numpy(dtype=object),
            "cluster": self.labels_.astype("int64"),
            "cluster_label": [self.cluster_labels_[c] for c in self.labels_],
            "x": xy[:, 0], "y": xy[:, 1],
        })
        return self

    def _fit_empty(self, frame: pd.DataFrame):
        self.featurizer_ = None
        self.svd_ = None
        self.n_components_ = 0
        self.embedding_ = np.zeros((len(frame), 0))
        self.labels_ = np.full(len(frame), -1, dtype=np.int64)
        self.n_clusters_ = 0
        self.cluster_labels_ = {}
        self.method_ = "none"
        self.clusters_ = _empty(CLUSTER_COLUMNS, {"cluster": "int64", "x": "float64", "y": "float64"})
        return self

    def transform(self, X) -> np.ndarray:
        """Embed clauses with the fitted vectorizers and SVD (no refitting).

        Every row of ``X`` is embedded, whatever its kind or length, so that
        rows stay aligned with the input.
        """
        if not hasattr(self, "svd_"):
            raise AttributeError("ClauseClusterer is not fitted yet; call fit first")
        texts = _as_clauses(X)["text"].fillna("").astype(str).tolist()
        if self.svd_ is None:
            return np.zeros((len(texts), 0))
        if not texts:
            return np.zeros((0, self.n_components_))
        return normalize(self.svd_.transform(self.featurizer_.transform(texts)))

    # -- clustering

    def _cluster(self, embedding: np.ndarray, *, show: bool) -> np.ndarray:
        # A clause of stop words and digits only embeds as the zero vector: it
        # has no direction, so it stays alone (cluster -1) and out of the fit.
        nonzero = np.linalg.norm(embedding, axis=1) > 1e-12
        raw = -1 - np.arange(embedding.shape[0])
        self.method_ = "none"
        if nonzero.sum() >= 2:
            raw[nonzero] = self._cluster_rows(embedding[nonzero], show=show)
        return raw

    def _cluster_rows(self, embedding: np.ndarray, *, show: bool) -> np.ndarray:
        n = embedding.shape[0]
        if n <= self.agglomerative_max:
            self.method_ = "agglomerative"
            if self.n_clusters is not None:
                model = AgglomerativeClustering(
                    n_clusters=min(self.n_clusters, n), metric="cosine", linkage="average"
                )
            else:
                model = AgglomerativeClustering(
                    n_clusters=None, distance_threshold=self.distance_threshold, metric="cosine", linkage="average"
                )
            return model.fit_predict(embedding)
        self.method_ = "kmeans"
        k = min(self.n_clusters, n) if self.n_clusters is not None else self._choose_k(embedding, show=show)
        # One k-means++ start on 3k points: its cost grows with k x init_size.
        model = MiniBatchKMeans(
            n_clusters=k, random_state=self.random_state, n_init=1, init_size=min(n, max(3 * k, 4096)),
            batch_size=4096, max_iter=100,
        )
        return model.fit_predict(embedding)

    def _choose_k(self, embedding: np.ndarray, *, show: bool) -> int:
        """k with the best silhouette on a seeded sample, over a geometric grid."""
        n = embedding.shape[0]
        rng = np.random.default_rng(self.random_state)
        sample = embedding[np.sort(rng.choice(n, size=min(n, 5_000), replace=False))]
        root = math.sqrt(n)
        grid = np.unique(np.geomspace(max(2, root / 4), min(4 * root, len(sample) / 5), 6).round().astype(int))
        scores = {}
        for k in _bar(grid, total=len(grid), desc="choosing k", show=show):
            labels = MiniBatchKMeans(
                n_clusters=int(k), random_state=self.random_state, n_init=1, batch_size=4096
            ).fit_predict(sample)
            if len(np.unique(labels)) > 1:
                scores[int(k)] = silhouette_score(sample, labels, metric="euclidean")
        self.silhouette_ = scores
        return max(scores, key=lambda k: (scores[k], -k)) if scores else int(grid[0])

    def _name_clusters(self, texts: list[str], labels: np.ndarray) -> dict[int, str]:
        names = {-1: NOISE_LABEL}
        word_vectorizer, word = self.featurizer_.word, self.featurizer_.word_matrix
        if self.n_clusters_ == 0 or word_vectorizer is None:
            return names | {c: "" for c in range(self.n_clusters_)}
        members = labels >= 0
        indicator = sp.csr_matrix(
            (np.ones(members.sum()), (labels[members], np.flatnonzero(members))),
            shape=(self.n_clusters_, len(texts)),
        )
        centroids = (indicator @ word).tocsr()  # sparse: k x vocabulary can be large
        vocabulary = np.array(word_vectorizer.get_feature_names_out(), dtype=object)
        surface = _surface_forms(word_vectorizer.analyzer, texts)
        for c in range(self.n_clusters_):
            cells = slice(centroids.indptr[c], centroids.indptr[c + 1])
            weight = dict(zip(centroids.indices[cells], centroids.data[cells]))
            # Heaviest first, ties by the stem itself so that names are stable.
            top = sorted(weight, key=lambda f: (-weight[f], vocabulary[f]))[:3]
            names[c] = ", ".join(surface.get(vocabulary[f], vocabulary[f]) for f in top)
        return names

    def _layout(self, embedding: np.ndarray) -> np.ndarray:
        n, d = embedding.shape
        xy = np.zeros((n, 2))
        if self.layout == "tsne":
            if n > self.agglomerative_max:
                raise ValueError(f"layout='tsne' is for up to {self.agglomerative_max} clauses; use 'pca'")
            from sklearn.manifold import TSNE

            if n > 3:
                xy[:] = TSNE(
                    n_components=2, random_state=self.random_state, init="pca", metric="cosine",
                    perplexity=min(30.0, (n - 1) / 3),
                ).fit_transform(embedding)
            return xy
        k = min(2, n, d)
        # Identical points have no principal axis (PCA would divide by zero).
        if k >= 1 and embedding.var(axis=0).sum() > 1e-12:
            xy[:, :k] = PCA(n_components=k, random_state=self.random_state).fit_transform(embedding)
        return xy


def _surface_forms(analyzer: _StemAnalyzer, texts: list[str]) -> dict[str, str]:
    """Most frequent surface form of each stem in ``texts`` (ties: alphabetical)."""
    counts: Counter = Counter()
    for text in texts:
        counts.update(analyzer.content_words(text))
    best: dict[str, tuple[int, str]] = {}
    for form, count in counts.items():
        root, key = stem(form), (-count, form)
        if root not in best or key < best[root]:
            best[root] = key
    return {root: key[1] for root, key in best.items()}


def _renumber(raw: np.ndarray) -> np.ndarray:
    """Singletons -> -1; other clusters 0.. by size (largest first), then first row."""
    values, first, sizes = np.unique(np.asarray(raw), return_index=True, return_inverse=False, return_counts=True)
    shared = [(-int(size), int(row), value) for value, row, size in zip(values, first, sizes) if size > 1]
    mapping = {value: k for k, (_, _, value) in enumerate(sorted(shared))}
    return np.array([mapping.get(v, -1) for v in np.asarray(raw)], dtype=np.int64)


def cluster_clauses(
    clauses: pd.DataFrame,
    *,
    random_state: int = 0,
    n_clusters: int | None = None,
    distance_threshold: float = 0.6,
    include_kinds=DEFAULT_KINDS,
    min_words: int = 3,
    labels: pd.DataFrame | None = None,
    layout: str = "pca",
    progress: bool | None = None,
) -> pd.DataFrame:
    """Group clauses that say the same kind of thing.

    A thin wrapper over :class:`ClauseClusterer` (see there for the embedding,
    the clustering, the singleton cluster ``-1``, the labels and the map).

    Parameters
    ----------
    clauses : DataFrame
        A clauses table (``clause_id, doc_id, text``; ``kind``, ``n_words`` used
        when present).
    random_state : int
        Seed; equal seeds give equal frames.
    n_clusters : int or None
        Number of clusters (None: cut at ``distance_threshold``, or the best
        silhouette above 5,000 clauses).
    distance_threshold : float
        Cosine distance (average linkage) at which merging stops. On the
        bundled corpus (611 clauses of 3+ words) the default 0.6 gives 145
        clusters (median size 3, largest 13: the complaint-to-Datatilsynet
        clauses of 12 notices) and 23 singletons; it joins every copied pair
        and keeps a controller's address apart from a cookie's lifetime. At 0.5
        92 clauses stay alone; at 0.7 and 0.8 topics merge into clusters of up
        to 18 and 31 clauses.
    include_kinds : sequence of str or None
        Kinds clustered (headings and boilerplate are left out by default).
    min_words : int
        Shorter clauses are left out.
    labels : DataFrame or None
        A labels table; when given, a column ``topic`` lists each clause's topic
        labels (``;``-joined, sorted), handy for colouring the map.
    layout : {"pca", "tsne"}
        How ``x, y`` are computed.
    progress : bool or None
        Progress bars on stderr; None shows them above 5,000 clauses.

    Returns
    -------
    DataFrame
        ``clause_id, doc_id, cluster, cluster_label, x, y`` (+ ``topic``), one
        row per clustered clause, in input order.

    Examples
    --------
    >>> clauses = pd.DataFrame({"clause_id": list("abcd"), "doc_id": ["d1", "d2", "d1", "d2"],
    ...     "text": ["Vi lagrer opplysningene i to år.", "Vi lagrer opplysningene i tre år.",
    ...              "Du kan klage til Datatilsynet.", "Du kan også klage til Datatilsynet."]})
    >>> cluster_clauses(clauses)[["clause_id", "cluster", "cluster_label"]].values.tolist()
    [['a', 0, 'lagrer, opplysningene, år'], ['b', 0, 'lagrer, opplysningene, år'], ['c', 1, 'datatilsynet, klage'], ['d', 1, 'datatilsynet, klage']]
    """
    model = ClauseClusterer(
        random_state=random_state, n_clusters=n_clusters, distance_threshold=distance_threshold,
        include_kinds=include_kinds, min_words=min_words, layout=layout, progress=progress,
    ).fit(clauses)
    out = model.clusters_.copy()
    if labels is not None:
        out["topic"] = _topics_of(out["clause_id"], labels)
    return out


def _topics_of(clause_ids: pd.Series, labels: pd.DataFrame) -> pd.Series:
    if labels is None or len(labels) == 0 or "dimension" not in labels.columns:
        return pd.Series("", index=clause_ids.index, dtype=object)
    topics = labels[labels["dimension"] == "topic"]
    joined = topics.groupby(topics["clause_id"].astype(str))["label"].agg(lambda s: ";".join(sorted(set(map(str, s)))))
    return clause_ids.map(joined).fillna("").astype(object)




# --------------------------------------------------------------------------- summaries


def cluster_summary(
    clusters: pd.DataFrame,
    clauses: pd.DataFrame,
    documents: pd.DataFrame,
    labels: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per cluster: size, spread over notices and sectors, main topic.

    Parameters
    ----------
    clusters : DataFrame
        Output of :func:`cluster_clauses`.
    clauses : DataFrame
        The clauses table (for ``doc_id`` of clauses missing it in ``clusters``).
    documents : DataFrame
        The documents table (``doc_id, company, sector``).
    labels : DataFrame or None
        The labels table; ``dominant_topic`` is the most frequent ``topic``
        label of the cluster's clauses (ties alphabetical), "" without labels.

    Returns
    -------
    DataFrame
        ``cluster, cluster_label, n_clauses, n_documents, n_sectors, companies,
        dominant_topic`` (``companies`` ``; ``-joined, sorted), sorted by
        ``n_documents`` and ``n_clauses`` (largest first); cluster ``-1``
        (singletons) comes last.

    Examples
    --------
    >>> clusters = pd.DataFrame({"clause_id": ["a:1", "b:1"], "doc_id": ["a", "b"],
    ...     "cluster": [0, 0], "cluster_label": ["lagrer, år", "lagrer, år"], "x": 0.0, "y": 0.0})
    >>> documents = pd.DataFrame({"doc_id": ["a", "b"], "company": ["A AS", "B AS"], "sector": ["Retail", "Health"]})
    >>> cluster_summary(clusters, clusters, documents)[["cluster", "n_documents", "n_sectors", "companies"]].values.tolist()
    [[0, 2, 2, 'A AS; B AS']]
    """
    dtypes = {"cluster": "int64", "n_clauses": "int64", "n_documents": "int64", "n_sectors": "int64"}
    if clusters is None or len(clusters) == 0:
        return _empty(SUMMARY_COLUMNS, dtypes)
    frame = clusters[["clause_id", "cluster", "cluster_label"]].copy()
    frame["clause_id"] = frame["clause_id"].astype(str)
    doc_of = pd.Series(clauses["doc_id"].astype(str).to_numpy(), index=clauses["clause_id"].astype(str))
    doc_of = doc_of[~doc_of.index.duplicated()]
    if "doc_id" in clusters.columns:
        frame["doc_id"] = clusters["doc_id"].astype(str).to_numpy()
    else:
        frame["doc_id"] = frame["clause_id"].map(doc_of)
    meta = documents.drop_duplicates("doc_id")
    meta = meta.set_index(meta["doc_id"].astype(str))
    frame["company"] = frame["doc_id"].map(meta["company"]) if "company" in meta.columns else None
    frame["sector"] = frame["doc_id"].map(meta["sector"]) if "sector" in meta.columns else None
    frame["topic"] = _topics_of(frame["clause_id"], labels) if labels is not None else ""

    rows = []
    for cluster, group in frame.groupby("cluster", sort=True):
        topics = Counter(t for cell in group["topic"] for t in str(cell).split(";") if t)
        dominant = min(topics, key=lambda t: (-topics[t], t)) if topics else ""
        companies = sorted({str(c) for c in group["company"].dropna()})
        rows.append({
            "cluster": int(cluster),
            "cluster_label": str(group["cluster_label"].iloc[0]),
            "n_clauses": len(group),
            "n_documents": group["doc_id"].nunique(),
            "n_sectors": group["sector"].dropna().nunique(),
            "companies": "; ".join(companies),
            "dominant_topic": dominant,
        })
    out = pd.DataFrame(rows, columns=SUMMARY_COLUMNS).astype(dtypes)
    out["_noise"] = out["cluster"] < 0
    out = out.sort_values(["_noise", "n_documents", "n_clauses", "cluster"], ascending=[True, False, False, True])
    return out.drop(columns="_noise").reset_index(drop=True)


