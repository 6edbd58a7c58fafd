"""Typo-forgiving search over the public catalogue.

Diacritics are already forgiven by folding (`tinhso.core.text.fold`): the
`search_text` column holds the folded code, name and result name of each
procedure, and `filter_folded` keeps rows where every folded query token starts
a word. Typos are forgiven here: a query token that starts no word of the
catalogue vocabulary (the folded words of the active procedures' searchable
text) is replaced by the closest vocabulary word(s) by edit distance, and the
caller tells the user "Kết quả cho: …".

Plain Python and plain `LIKE` lookups: identical on SQLite and PostgreSQL, no
database extension. The vocabulary is cached per process and rebuilt when the
catalogue changes (keyed on the count of active procedures and the latest
`updated_at`, which every catalogue action touches)."""

from __future__ import annotations

import re
import threading
import unicodedata
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q, QuerySet

from tinhso.core.text import fold

MAX_ALTERNATIVES = 3
_PUNCT = re.compile(r"[^\w\s.]", re.UNICODE)


@dataclass(frozen=True)
class Vocabulary:
    words: tuple[str, ...]           # sorted folded words
    display: dict[str, str]          # folded word -> most common written form (with diacritics)
    counts: dict[str, int] = field(default_factory=dict)         # folded word -> occurrences
    pairs: frozenset = frozenset()   # (word, next word) seen in the catalogue: context for corrections

    def has_prefix(self, token: str) -> bool:
        """True when some word starts with `token` (what `filter_folded` matches)."""
        i = bisect_left(self.words, token)
        return i < len(self.words) and self.words[i].startswith(token)


@dataclass
class Correction:
    """The outcome of `correct()`: per query token the words to search for."""

    tokens: list[str]                                   # folded tokens as typed
    alternatives: list[list[str]]                       # per token: the words searched for (any of them)
    written: list[str] = field(default_factory=list)    # the tokens as typed (diacritics kept)
    shown: str = ""                                     # the corrected query for "Kết quả cho: …"
    corrected: bool = False
    unmatched: list[str] = field(default_factory=list)  # typed tokens with no close word at all


_lock = threading.Lock()
_cache: dict = {"key": None, "vocabulary": None}


def _written_words(text: str) -> list[str]:
    """Lower-cased words as written (diacritics kept), split like `fold` splits."""
    text = unicodedata.normalize("NFC", text or "").lower()
    return [w for w in _PUNCT.sub(" ", text).split() if w]


def _catalogue_key():
    from tinhso.catalogue.models import Procedure

    stats = Procedure.objects.aggregate(active=Count("pk", filter=Q(is_active=True)), last=Max("updated_at"))
    return stats["active"], stats["last"]


def _build_vocabulary() -> Vocabulary:
    from tinhso.catalogue.models import Procedure

    forms: dict[str, Counter] = {}
    pairs = set()
    for code, name, result_name in Procedure.objects.active().values_list("code", "name", "result_name"):
        for text in (code, name, result_name):
            previous = None
            for written in _written_words(text):
                folded = fold(written)
                for part in folded.split(" "):  # fold() may split a written word (rare punctuation)
                    if not part:
                        continue
                    forms.setdefault(part, Counter())[written if folded == part else part] += 1
                    if previous:
                        pairs.add((previous, part))
                    previous = part
    display = {word: counter.most_common(1)[0][0] for word, counter in forms.items()}
    counts = {word: sum(counter.values()) for word, counter in forms.items()}
    return Vocabulary(words=tuple(sorted(forms)), display=display, counts=counts, pairs=frozenset(pairs))


def vocabulary() -> Vocabulary:
    """The catalogue vocabulary, rebuilt only when the catalogue changed."""
    key = _catalogue_key()
    with _lock:
        if _cache["key"] == key and _cache["vocabulary"] is not None:
            return _cache["vocabulary"]
    built = _build_vocabulary()
    with _lock:
        _cache["key"], _cache["vocabulary"] = key, built
    return built


def clear_cache() -> None:
    with _lock:
        _cache["key"], _cache["vocabulary"] = None, None


def distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance (insert, delete, substitute, swap two
    neighbours), or `limit + 1` as soon as it is known to exceed `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def allowed_typos(token: str) -> int:
    """One typo from three to six letters, two from seven letters on. Two-letter
    tokens only get the i/y spelling variant (`ki` -> `ky`): any other edit of
    a two-letter syllable is a guess."""
    if len(token) < 3:
        return 0
    return 1 if len(token) < 7 else 2


def _iy_variants(token: str) -> list[str]:
    swapped = token.translate(str.maketrans("iy", "yi"))
    return [swapped] if swapped != token else []


def closest(token: str, vocab: Vocabulary, left: list[str] = (), right: list[str] = ()) -> list[str]:
    """The vocabulary words nearest to `token` within its typo allowance. From
    four letters on a word is also compared by its beginning, so a mistyped
    unfinished word is corrected too. Among equally near words, those that
    follow a `left` word or precede a `right` word somewhere in the catalogue
    win (`chung thc` -> `chung thuc`, not `chung thu`), then the more common
    ones; at most MAX_ALTERNATIVES are kept."""
    if len(token) < 3:
        return [w for w in _iy_variants(token) if w in vocab.display]
    limit = allowed_typos(token)
    best, found = limit + 1, []
    for word in vocab.words:
        if any(ch.isdecimal() for ch in word):
            continue  # never "correct" into a procedure code
        d = distance(token, word, limit)
        if len(token) >= 4 and len(word) > len(token):
            d = min(d, distance(token, word[:len(token)], limit))
        if d < best:
            best, found = d, [word]
        elif d == best and d <= limit:
            found.append(word)
    if best > limit:
        return []

    def in_context(word):
        return any((w, word) in vocab.pairs for w in left) or any((word, w) in vocab.pairs for w in right)

    supported = [w for w in found if in_context(w)]
    found = supported or found
    found.sort(key=lambda w: (-vocab.counts.get(w, 0), abs(len(w) - len(token)), w))
    return found[:MAX_ALTERNATIVES]


def _is_code(token: str) -> bool:
    return any(ch.isdecimal() for ch in token)


def correct(query: str | None, vocab: Vocabulary | None = None, *, harder: bool = False) -> Correction:
    """Folded tokens of `query`, each kept when it starts a vocabulary word,
    otherwise replaced by its closest words. Tokens with digits (codes) are
    never replaced.

    With `harder` (used when the first pass found nothing), a kept token that
    is only the beginning of a word also gets its close words as alternatives
    (`dang ki ket hon`: `ki` starts `kinh`, but `ky` was meant)."""
    folded_tokens = [t for t in fold(query).split(" ") if t]
    written = _written_words(query or "")
    if len(written) != len(folded_tokens):
        written = folded_tokens
    out = Correction(tokens=folded_tokens, alternatives=[], written=written)
    if not folded_tokens:
        return out
    vocab = vocab or vocabulary()
    for i, (token, as_written) in enumerate(zip(folded_tokens, written)):
        left = out.alternatives[-1] if out.alternatives else []
        right = folded_tokens[i + 1:i + 2]
        if _is_code(token):
            out.alternatives.append([token])
        elif vocab.has_prefix(token):
            extra = [] if not harder or token in vocab.display else [
                w for w in closest(token, vocab, left, right) if w != token]
            out.alternatives.append([token, *extra])
            out.corrected = out.corrected or bool(extra)
        else:
            words = closest(token, vocab, left, right)
            if words:
                out.corrected = True
                out.alternatives.append(words)
            else:
                out.alternatives.append([token])  # searched as typed: finds nothing, says so honestly
                out.unmatched.append(as_written)
    out.shown = describe(out, vocab=vocab)
    return out


def describe(correction: Correction, text: str = "", vocab: Vocabulary | None = None) -> str:
    """The corrected query as the catalogue writes it, for "Kết quả cho: …".
    Words are taken, in order, from `text` (the best result's code, name and
    result name) so that folded twins get the right diacritics (`hôn nhân`,
    not `hôn nhận`); failing that from the vocabulary; failing that as typed."""
    words = _written_words(text)
    folded = [fold(w) for w in words]
    shown, position = [], 0
    written = correction.written or correction.tokens
    for token, alternatives, as_written in zip(correction.tokens, correction.alternatives, written):
        pick = None
        for start in (position, 0):
            pick = next((j for j in range(start, len(words))
                         if any(folded[j].startswith(a) for a in alternatives)), None)
            if pick is not None:
                break
        replacements = [a for a in alternatives if a != token]
        if pick is not None:
            shown.append(words[pick])
            position = pick + 1
        elif vocab is not None and replacements:
            shown.append(vocab.display.get(replacements[0], replacements[0]))
        elif vocab is not None and token in vocab.display:
            shown.append(vocab.display[token])
        else:
            shown.append(as_written)
    return " ".join(shown)


def filter_alternatives(queryset: QuerySet, alternatives: list[list[str]], field_name: str = "search_text"):
    """Like `filter_folded`, but each token may be any of several words."""
    for words in alternatives:
        condition = Q()
        for word in words:
            condition |= Q(**{f"{field_name}__startswith": word}) | Q(**{f"{field_name}__contains": f" {word}"})
        queryset = queryset.filter(condition)
    return queryset


def fuzzy_search(queryset: QuerySet, query: str | None) -> tuple[QuerySet, Correction]:
    """Filter `queryset` (of procedures) by `query`, forgiving diacritics and
    typos: a first pass corrects unknown words; when it finds nothing, a second
    pass also tries close words for unfinished ones. Returns the filtered
    queryset and what was corrected (`shown` is refined by the caller with
    `describe(correction, text of the first result)`)."""
    correction = correct(query)
    filtered = filter_alternatives(queryset, correction.alternatives)
    if correction.tokens and not filtered.exists():
        harder = correct(query, harder=True)
        if harder.alternatives != correction.alternatives:
            retry = filter_alternatives(queryset, harder.alternatives)
            if retry.exists():
                return retry, harder
    return filtered, correction
