"""The readers' thresholds, named in one place.

How far a label may stand from the number it names, how many words may sit between a
number and the words after it that say what it counts, how long a clause a rate looks into:
each is a named field here, not a literal in a reader. `read(text, settings=...)` runs the
pipeline with other values (a test can tighten one and see what changes); every component
reads them from `doc._.settings`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ReaderSettings:
    # ---- a count and the labels that name it (statements.py)
    label_gap_chars: int = 45  # a label before a number, the number without "hồ sơ"
    unit_label_gap_chars: int = 110  # … a number followed by its counting noun
    right_gap_words: int = 3  # words between "N hồ sơ" and the label after it
    right_look_chars: int = 80  # how far after "N hồ sơ" that label is looked for
    far_right_words: int = 14  # words to a label further on in the sentence
    after_count_words: int = 6  # words between "có N hồ sơ (…)" and the label it takes
    field_name_words: int = 6  # words a field's name may have ("lĩnh vực đất đai")
    bracket_field_chars: int = 50  # how far before "(05 hồ sơ)" a field's name is looked for
    quote_chars: int = 80  # how far back a quote may start
    index_look_chars: int = 25  # "mức độ 3": words before a number that make it an index
    change_look_chars: int = 30  # "tăng 120 hồ sơ": a change word before the count
    remaining_look_chars: int = 12  # "còn 03 hồ sơ đang giải quyết"
    unit_look_chars: int = 40  # the counting noun after a number
    fraction_clause_chars: int = 120  # "1.530/1.602 hồ sơ đã tiếp nhận": the words after it
    # ---- periods (periods.py)
    same_period_days: int = 20  # a period named otherwise within this many days is the report's
    same_period_shift_days: int = 5  # … when both its ends move by about the same days
    # ---- parts and other units (scopes.py)
    subject_chars: int = 90  # a sentence's subject: at most this many characters
    # ---- rates (rates.py, rate_links.py)
    rate_clause_chars: int = 120  # a count and its rate in one clause
    ratio_rate_chars: int = 160  # "a/b …, đạt x%": the rate after a ratio (one clause)
    ratio_noun_words: int = 20  # words of what a ratio counts before its rate ("hồ sơ có …")
    measure_after_chars: int = 80  # "98,96% hồ sơ giải quyết đúng hạn": words after a rate
    # ---- unread numbers (unread.py)
    unread_label_chars: int = 60  # a dossier word this close before a bare table number
    unread_label_gap_chars: int = 45  # a figure word this close before a bare number in prose


DEFAULT = ReaderSettings()
