"""The two Home Office QA letters of ../shared/domain/samples/, kept here so that the tests run
on any clone, with every personal name and the partnership's place swapped for a fictional one
(SWAPS). Nothing else is changed: layout, numbering, dates and wording are the letters' own,
which `test_the_kept_samples_are_the_shared_ones_with_names_swapped` checks when the shared
folder is there."""

from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = Path(__file__).resolve().parents[4] / "shared" / "domain" / "samples"

# (real, fictional), applied in this order.
SWAPS = [
    ("Councillor Michael Hill OBE", "Councillor Morgan Hale"),
    ("Cllr Michael Hill OBE", "Cllr Morgan Hale"),
    ("Cllr Michael Hill", "Cllr Morgan Hale"),
    ("Mr Hill", "Mr Hale"),
    ("Kent and Medway", "Northvale and Eastfield"),
    ("Kent", "Northvale"),
    ("Room G.60 Sessions House County Hall Maidstone ME14 1XQ", "Room G.60 Shire Hall NV1 1AA"),
    ("Sessions House County Hall Maidstone ME14 1XQ", "Shire Hall NV1 1AA"),
    ("Christopher", "Colin"),
    ("Elizabeth", "Ellen"),
    ("Christian Papaleontiou", "Casey Example"),
    ("Dianna", "Dorra"),
    ("Diana", "Dora"),
    ("Nathan", "Neil"),
    ("Love de", "Le de"),
    ("Lynne Abrams", "Lesley Example"),
]


def swapped(text: str) -> str:
    for real, fictional in SWAPS:
        text = text.replace(real, fictional)
    return text


def sample(name: str) -> str:
    return (HERE / name).read_text(encoding="utf-8")
