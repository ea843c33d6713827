"""The themes recommendations are grouped by: the Home Office 2013 "lessons learned" categories
and a local addition. Installed after every `migrate` when missing (and after a test flushes
the tables); partnerships may add their own in the admin."""

from recommendations.models import Theme

THEMES = [
    "Awareness raising and communication",
    "Awareness and training for healthcare professionals",
    "Complex needs (alcohol, drugs, mental health)",
    "Information sharing and multi-agency working",
    "Perpetrators and bail issues",
    "Risk assessment",
    "Safeguarding children",
    "Agency-specific policies or issues",
]


def themes_install(**kwargs) -> None:
    for order, name in enumerate(THEMES, start=1):
        Theme.objects.get_or_create(name=name, defaults={"order": order})
