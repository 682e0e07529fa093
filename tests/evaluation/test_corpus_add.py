"""Adding real questions to the corpus: the README's split rule, the file layout, the refusals."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from bot.errors import CorpusError
from bot.evaluation import cli, corpus
from bot.evaluation.corpus import Item, Outcome, add_items, digest, fold, load_part, new_item, split
from bot.settings import CORPUS_DIR

SOURCE = "https://example.org/faq"


def raw(text: str, category: str = "practical", lang: str = "en", **more: object) -> dict:
    return {"text": text, "lang": lang, "category": category, "expect": ["dont_know"], "source": SOURCE, **more}


def existing(part: str, n: int, category: str = "practical", lang: str = "en") -> list[Item]:
    return [Item(f"{lang}-{part}{i}", f"{part} question {i}", lang, category, (Outcome("dont_know"),), SOURCE, part)
            for i in range(n)]


def in_digest_order(texts: list[str]) -> list[str]:
    return sorted(texts, key=digest)


def test_new_items_alternate_in_digest_order_starting_with_the_smaller_part() -> None:
    texts = in_digest_order([f"Where do I park, question {i}?" for i in range(5)])
    placed = split(existing("dev", 3) + existing("test", 2), [new_item(raw(t)) for t in reversed(texts)], set())
    part_of = {item.text: item.part for item in placed}
    assert [part_of[t] for t in texts] == ["test", "dev", "test", "dev", "test"]


def test_on_a_tie_dev_comes_first_so_test_never_outgrows_dev() -> None:
    texts = in_digest_order(["How much does parking cost?", "When are visiting hours?", "Can I eat there?"])
    placed = split(existing("dev", 2) + existing("test", 2), [new_item(raw(t)) for t in texts], set())
    assert [i.part for i in placed] == ["dev", "test", "dev"]


def test_each_stratum_has_its_own_turns() -> None:
    placed = split(existing("dev", 1) + existing("test", 1) + existing("dev", 4, "immuno", "fr"),
                   [new_item(raw("Where is the car park?")), new_item(raw("C'est quoi l'immunothérapie ?", "immuno", "fr"))],
                   set())
    assert [i.part for i in placed] == ["dev", "test"]


def test_an_item_already_in_training_data_goes_to_dev_and_takes_no_turn() -> None:
    texts = in_digest_order(["What is a placebo?", "Is a trial free?", "Can I leave a trial?"])
    placed = split(existing("dev", 1) + existing("test", 1), [new_item(raw(t)) for t in texts], {fold(texts[0])})
    assert [i.part for i in placed] == ["dev", "dev", "test"]


def test_the_id_and_page_language_are_computed() -> None:
    item = new_item(raw("  Am I at   risk for infections? "))
    assert item.text == "Am I at risk for infections?"
    assert item.id == "en-1cbe5cc8"  # the id this question has in the corpus
    assert new_item(raw("Hola, ¿qué tal?", "other_language", "other")).page_lang == "fr"
    assert new_item(raw("Where is the car park?", page_lang="fr")).page_lang == "fr"
    # about one in eight is sent from the page of the other language, chosen by the digest
    pages = [new_item(raw(f"What are the opening hours, {i}?")).page_lang for i in range(400)]
    assert 25 <= pages.count("fr") <= 75, pages.count("fr")


@pytest.fixture
def parts(tmp_path: Path) -> Path:
    for part in corpus.PARTS:
        shutil.copy(CORPUS_DIR / f"{part}.yml", tmp_path / f"{part}.yml")
    return tmp_path


def test_added_items_are_appended_and_existing_ones_never_move(parts: Path) -> None:
    before = {part: (parts / f"{part}.yml").read_text(encoding="utf-8") for part in corpus.PARTS}
    old = {i.id: i.part for i in corpus.load_all(parts)}
    texts = ["Is the cafeteria open on Sundays, really?", "Combien coûte le parking de l'hôpital, vraiment ?"]
    added = add_items([raw(texts[0]), raw(texts[1], lang="fr")], set(), set(), parts)
    for part in corpus.PARTS:
        assert (parts / f"{part}.yml").read_text(encoding="utf-8").startswith(before[part])
    now = corpus.load_all(parts)
    assert {i.id: i.part for i in now if i.id in old} == old
    assert {(i.text, i.part) for i in now if i.id not in old} == {(i.text, i.part) for i in added}
    assert {i.text for i in added} == set(texts)


def test_nothing_is_written_when_an_item_has_a_problem(parts: Path) -> None:
    before = {part: (parts / f"{part}.yml").read_text(encoding="utf-8") for part in corpus.PARTS}
    known = load_part("dev", parts)[0]
    bad = [raw("A fine new question about parking?"), raw(known.text.upper()),
           raw("What is this?", expect=["faq:no_such_entry"]), raw("x?", source="somewhere")]
    with pytest.raises(CorpusError) as error:
        add_items(bad, {"immuno_what"}, set(), parts)
    message = str(error.value)
    assert "duplicate of dev:" in message and "unknown FAQ entry" in message and "not a URL" in message
    assert "A fine new question" not in message
    assert {part: (parts / f"{part}.yml").read_text(encoding="utf-8") for part in corpus.PARTS} == before


def test_the_same_new_question_twice_is_refused(parts: Path) -> None:
    with pytest.raises(CorpusError, match="duplicate"):
        add_items([raw("Is there wifi in the rooms?"), raw("is there WIFI in the rooms")], set(), set(), parts)


def test_the_cli_adds_a_file_of_items(parts: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    new = tmp_path / "new.yml"
    new.write_text(yaml.safe_dump({"items": [raw("Is there a chapel in the hospital, please?")]}), encoding="utf-8")
    assert cli.add(str(new), parts) == 0
    assert "Added 1 items" in capsys.readouterr().out
    assert "Is there a chapel in the hospital, please?" in {i.text for i in corpus.load_all(parts)}
    new.write_text("text: not a list", encoding="utf-8")
    with pytest.raises(cli.CliError):
        cli.add(str(new), parts)
