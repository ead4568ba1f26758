"""Tests for decoding uploaded bytes and repairing double-encoded French text."""

from __future__ import annotations

import codecs
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clusterkpi.imports.encoding import (
    MOJIBAKE,
    ImportFileError,
    decode,
    repair_mojibake,
)

# A copy of the product's seed document (shared/seed): real double-encoded French.
SEED = (
    Path(__file__).resolve().parent
    / "data"
    / "reading"
    / "seed_cluster_communication_strategy.txt"
)
FRENCH = "Le réseau « Innov’Est » fête ses 10 ans : coopération, intérêts communs, 150 € – à Mâcon."


def misread(text: str, encoding: str) -> str:
    """What a tool shows when it reads UTF-8 bytes as ``encoding`` (undefined bytes kept)."""
    out = []
    for byte in text.encode("utf-8"):
        try:
            out.append(bytes([byte]).decode(encoding))
        except UnicodeDecodeError:
            out.append(chr(byte))
    return "".join(out)


# --- decode ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (FRENCH.encode("utf-8"), (FRENCH, "utf-8")),
        (codecs.BOM_UTF8 + FRENCH.encode("utf-8"), (FRENCH, "utf-8-sig")),
        (codecs.BOM_UTF16_LE + FRENCH.encode("utf-16-le"), (FRENCH, "utf-16-le")),
        (codecs.BOM_UTF16_BE + FRENCH.encode("utf-16-be"), (FRENCH, "utf-16-be")),
        (FRENCH.encode("utf-16-le"), (FRENCH, "utf-16-le")),
        (FRENCH.encode("utf-16-be"), (FRENCH, "utf-16-be")),
        (FRENCH.encode("cp1252"), (FRENCH, "cp1252")),
        (b"Nom;Ville\n", ("Nom;Ville\n", "utf-8")),
    ],
    ids=[
        "utf8",
        "utf8-bom",
        "utf16le-bom",
        "utf16be-bom",
        "utf16le",
        "utf16be",
        "cp1252",
        "ascii",
    ],
)
def test_decode_recognises_the_encodings_exports_use(
    raw: bytes, expected: tuple[str, str]
) -> None:
    assert decode(raw) == expected


def test_decode_maps_the_bytes_cp1252_leaves_undefined_to_latin1_code_points() -> None:
    raw = b"caf\xe9 \x80 \x81\x8d\x8f\x90\x9d"
    assert decode(raw) == ("café € \x81\x8d\x8f\x90\x9d", "cp1252")


def test_decode_drops_a_utf8_bom_even_when_the_rest_is_cp1252() -> None:
    raw = codecs.BOM_UTF8 + "Société;Montant\n".encode("cp1252")
    assert decode(raw) == ("Société;Montant\n", "cp1252")


def test_decode_repairs_double_encoded_text() -> None:
    raw = "CoopĂ©rative du rĂ©seau".encode()
    assert decode(raw) == ("Coopérative du réseau", "utf-8")


def test_decode_refuses_binary_content_with_nul_bytes() -> None:
    with pytest.raises(ImportFileError) as caught:
        decode(b"%PDF-1.7\n\x00\x01\x02binary stream\xff\x00")
    assert (caught.value.code, caught.value.params) == ("binary_file", {})


def test_decode_refuses_utf16_cut_in_the_middle_of_a_character() -> None:
    with pytest.raises(ImportFileError) as caught:
        decode(codecs.BOM_UTF16_LE + "Date\tReach\r\n".encode("utf-16-le") + b"2")
    assert (caught.value.code, caught.value.params) == (
        "bad_encoding",
        {"encoding": "UTF-16-LE"},
    )


def test_decode_refuses_utf32_which_looks_like_utf16_with_nul_characters() -> None:
    with pytest.raises(ImportFileError) as caught:
        decode("Date,Reach\n".encode("utf-32"))
    assert caught.value.code == "binary_file"


# --- repair_mojibake --------------------------------------------------------


@pytest.mark.parametrize(
    ("broken", "repaired"),
    [
        ("rĂ©seau", "réseau"),  # UTF-8 read as cp1250 (the seed)
        ("rÃ©seau", "réseau"),  # UTF-8 read as cp1252
        ("Ă‰cole, Ă‰tablissement", "École, Établissement"),
        ("intĂ©rĂŞts", "intérêts"),
        ("lâ€™innovation â€“ Â« clusters Â»", "l’innovation – « clusters »"),
        ("â€œcitationâ€\x9d", "“citation”"),  # 0x9D undefined in cp1252, kept as U+009D
        ("150 â‚¬", "150 €"),
        ("DubÅ“uf, Ĺ“nologie", "Dubœuf, œnologie"),
        ("ï»¿Nom", "\ufeffNom"),
        ("rÃƒÂ©seau", "réseau"),  # encoded twice over
        ("consiste Ă faire", "consiste à faire"),  # the seed: NBSP lost, space kept
        ("consiste Ă\xa0 faire", "consiste à faire"),  # NBSP kept
        ("voilÃ\xa0 tout", "voilà tout"),
        ("Société rĂ©seau, Mâcon", "Société réseau, Mâcon"),  # mixed in one line
    ],
)
def test_repair_mojibake_restores_the_original_characters(
    broken: str, repaired: str
) -> None:
    assert repair_mojibake(broken) == repaired


@pytest.mark.parametrize(
    "text",
    [
        "L'âge d'or du château de Mâcon, Noël à Saint-Étienne, maïs et œufs.",
        "ROMÂNĂ ȘI FRANCEZĂ",  # a capital Ă before a space is real Romanian
        "IRMÃ DO CLUSTER",
        "",
    ],
)
def test_repair_mojibake_leaves_correct_text_alone(text: str) -> None:
    assert repair_mojibake(text) == text


def test_repair_mojibake_returns_clean_text_itself_without_copying() -> None:
    text = "Date,Sessions\n20240101,412\n" * 1000
    assert repair_mojibake(text) is text


def test_every_entry_of_the_table_maps_two_or_more_characters_to_one() -> None:
    assert [k for k, v in MOJIBAKE.items() if len(k) < 2 or len(v) != 1] == [
        "Ă ",
        "Ã ",
    ]
    assert (MOJIBAKE["Ă "], MOJIBAKE["Ã "]) == ("à ", "à ")


@pytest.mark.parametrize("encoding", ["cp1252", "cp1250", "latin-1"])
def test_every_latin1_and_cp1252_character_survives_a_wrong_decoding(
    encoding: str,
) -> None:
    chars = [chr(c) for c in range(0xA0, 0x100)] + list("ŒœŠšŽžŸƒ€‚„…†‡‰‹›‘’“”•–—™")
    broken = {c: repair_mojibake(f"x{misread(c, encoding)}y") for c in chars}
    assert {c: r for c, r in broken.items() if r != f"x{c}y"} == {}


# Lead characters of broken sequences (Ã, Â, â, ï...) never occur in the source text,
# so every difference after the round trip is a repair that failed.
_ALPHABET = st.sampled_from(
    list("abcdeéèêëàùûüôöîçœæÉÈÀÇŒ ,.;:'-0123456789\n\t")
    + ["’", "«", "»", "€", "–", "\xa0"]
)


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(_ALPHABET, max_size=80), encoding=st.sampled_from(["cp1252", "cp1250"])
)
def test_repair_mojibake_undoes_a_wrong_decoding_of_french_text(
    text: str, encoding: str
) -> None:
    assert repair_mojibake(misread(text, encoding)) == text


# --- the seed document -------------------------------------------------------


def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def test_the_seed_document_comes_out_without_any_broken_character() -> None:
    repaired = repair_mojibake(seed_text())
    assert (repaired.count("Ă"), repaired.count("Ã"), repaired.count("Ş")) == (0, 0, 0)


@pytest.mark.parametrize(
    "sentence",
    [
        "L’un des objectifs attendus des clusters, consiste à faire en sorte que l’ensemble de "
        "leurs membres participent à des projets pour stimuler l’innovation et favoriser la "
        "compétitivité et la croissance.",
        "Les clusters sont constitués de différentes parties prenantes dont les attentes, les "
        "valeurs et les intérêts peuvent être convergents, mais aussi contradictoires.",
        "Cela nécessite un partage des intérêts et des enjeux entre toutes les parties prenantes.",
        "– Partager une identité et une vision commune, appropriée perçue et diffusée.",
        "Découvrez Cocoom pour communiquer dans votre cluster !",
        "– Développer des partenariats avec les médias et autres institutions qui pourront "
        "participer à l’atteinte des objectifs stratégiques.",
    ],
)
def test_the_seed_document_reads_as_correct_french(sentence: str) -> None:
    assert sentence in repair_mojibake(seed_text())


def test_decode_of_the_seed_bytes_is_the_repaired_text() -> None:
    raw = seed_text().encode("utf-8")
    assert decode(raw) == (repair_mojibake(seed_text()), "utf-8")


# --- speed -------------------------------------------------------------------


def test_repair_mojibake_scans_20_mb_of_clean_french_text_quickly() -> None:
    clean = repair_mojibake(seed_text())
    text = (clean * (20_000_000 // len(clean) + 1))[:20_000_000]
    started = time.perf_counter()
    repaired = repair_mojibake(text)
    elapsed = time.perf_counter() - started
    # Measured ~0.14 s (140 MB/s); the bound leaves room for a loaded machine.
    assert (repaired == text, elapsed < 1.0) == (True, True)
