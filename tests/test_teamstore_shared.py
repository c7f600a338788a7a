"""The shared suite on the team store: review, CLI, search and housekeeping tests written
for the folder store, collected here a second time with their `store` (and `demo`)
fixtures giving a PostgreSQL team store instead. Each test keeps its own assertions;
only the store under it changes. The tests left out look at files, folders or the
SQLite index themselves."""

from __future__ import annotations

import shutil

import pytest
import test_dataprotection as dataprotection
import test_edges as edges
import test_review as review
import test_search_sv as search_sv
from helpers import ROOT
from pgtest import pg_db, push_folder

from sfcoach.pgstore import PgStore

__all__ = ["pg_db"]


@pytest.fixture
def store(pg_db, monkeypatch):
    """A caseworker's team store (anna, team A), also what the commands open."""
    monkeypatch.setenv("SFCOACH_STORE", pg_db.uri("anna"))
    team = PgStore(pg_db.uri("anna"))
    yield team
    team.close()


@pytest.fixture
def demo(pg_db, tmp_path):
    """The demo sessions, pushed into the team store."""
    copy = tmp_path / "demo"
    shutil.copytree(ROOT / "sessions", copy)
    push_folder(pg_db, copy)
    return pg_db.uri("anna")


searchable = review.searchable
k1 = edges.k1
paused = edges.paused

# --- review -------------------------------------------------------------------------------
test_sessions_list_filters_and_orders_newest_first = (
    review.test_sessions_list_filters_and_orders_newest_first
)
test_bad_review_input_gives_one_line_and_exit_1 = (
    review.test_bad_review_input_gives_one_line_and_exit_1
)
test_a_unique_start_of_an_id_is_enough = review.test_a_unique_start_of_an_id_is_enough
test_history_gives_trends_steps_and_resources = review.test_history_gives_trends_steps_and_resources
test_search_finds_words_as_typed = review.test_search_finds_words_as_typed
test_search_hits_have_a_highlighted_snippet_and_can_be_limited_to_a_client = (
    review.test_search_hits_have_a_highlighted_snippet_and_can_be_limited_to_a_client
)
test_stats_compare_first_and_latest_progress_and_ignore_practice = (
    review.test_stats_compare_first_and_latest_progress_and_ignore_practice
)
test_export_to_a_file_refuses_to_overwrite_without_force = (
    review.test_export_to_a_file_refuses_to_overwrite_without_force
)
test_export_client_csv_opens_in_a_spreadsheet = review.test_export_client_csv_opens_in_a_spreadsheet
test_bad_export_requests = review.test_bad_export_requests
test_html_export_escapes_answers = review.test_html_export_escapes_answers
test_the_stats_table_lists_followed_clients_after_fifty_rated_once = (
    review.test_the_stats_table_lists_followed_clients_after_fifty_rated_once
)

# --- export, start beside a paused meeting ----------------------------------------------------
test_export_takes_the_format_from_the_file_name = (
    edges.test_export_takes_the_format_from_the_file_name
)
test_a_swedish_export_uses_semicolons = edges.test_a_swedish_export_uses_semicolons
test_an_english_export_uses_commas = edges.test_an_english_export_uses_commas
test_an_export_speaks_the_sessions_language_not_the_locale = (
    edges.test_an_export_speaks_the_sessions_language_not_the_locale
)
test_plain_start_with_every_option_refuses_beside_a_paused_meeting = (
    edges.test_plain_start_with_every_option_refuses_beside_a_paused_meeting
)
test_start_new_opens_a_second_meeting_anyway = edges.test_start_new_opens_a_second_meeting_anyway
test_after_a_question_no_starts_a_new_meeting = edges.test_after_a_question_no_starts_a_new_meeting
test_a_meeting_paused_before_a_completed_one_is_not_offered = (
    edges.test_a_meeting_paused_before_a_completed_one_is_not_offered
)
test_another_clients_paused_meeting_is_no_reason_to_ask = (
    edges.test_another_clients_paused_meeting_is_no_reason_to_ask
)
test_a_bad_alias_typed_at_the_prompt_is_asked_again = (
    edges.test_a_bad_alias_typed_at_the_prompt_is_asked_again
)

# --- scan ----------------------------------------------------------------------------------
test_scan_finds_numbers_saved_unmasked_and_fix_masks_them = (
    dataprotection.test_scan_finds_numbers_saved_unmasked_and_fix_masks_them
)

# --- Swedish search --------------------------------------------------------------------------
test_a_word_finds_its_inflected_and_compound_forms = (
    search_sv.test_a_word_finds_its_inflected_and_compound_forms
)
test_the_match_inside_a_word_is_highlighted = search_sv.test_the_match_inside_a_word_is_highlighted
test_swedish_letters_stay_distinct = search_sv.test_swedish_letters_stay_distinct
test_short_words_are_whole_words = search_sv.test_short_words_are_whole_words
test_short_and_long_terms_together_must_both_match = (
    search_sv.test_short_and_long_terms_together_must_both_match
)
test_query_syntax_is_still_taken_as_text = search_sv.test_query_syntax_is_still_taken_as_text
test_a_step_reviewed_in_later_meetings_is_one_hit = (
    search_sv.test_a_step_reviewed_in_later_meetings_is_one_hit
)
test_an_unknown_client_is_said_so = search_sv.test_an_unknown_client_is_said_so
test_the_readme_search_examples_find_something = (
    search_sv.test_the_readme_search_examples_find_something
)


def test_a_practice_on_the_team_store_lists_its_rounds_and_shows_the_coaches(store):
    from helpers import lines, sf, sf_json
    from test_practice_keep import CARD, round_lines

    script = [*round_lines("8", followups=2), *round_lines("5", followups=0)]
    proc = sf("practice", "--pair", "Anna,Bo", "--scenario", CARD, "--lang", "en",
              input=lines(*script))  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-800:] + proc.stderr
    rows = sf_json("sessions", "list", "--practice")
    assert sorted((r["round"], r["coach"], r["card"]) for r in rows) == [
        (1, "Anna", CARD),
        (2, "Bo", CARD),
    ]
    assert sf_json("sessions", "list") == []  # practice is left out by default
    shown = sf_json("practice", "--show", rows[0]["group"][:15])
    assert [c["coach"] for c in shown["coaches"]] == ["Anna", "Bo"]
