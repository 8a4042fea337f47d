"""The Freedom of Information Act 2000's exemptions an officer can cite (Part II), and which are qualified:
a qualified exemption withholds only when the public interest in withholding outweighs that in
disclosure (s.2), and considering it can extend the deadline (s.10(3)); an absolute one does not."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Exemption:
    section: str
    label: str
    qualified: bool

    @property
    def words(self) -> str:
        return f"Section {self.section}: {self.label}"


EXEMPTIONS = {
    e.section: e
    for e in (
        Exemption("21", "information reasonably accessible by other means", qualified=False),
        Exemption("22", "information intended for future publication", qualified=True),
        Exemption("30", "investigations and proceedings", qualified=True),
        Exemption("31", "law enforcement (including the regulator's functions)", qualified=True),
        Exemption("36", "prejudice to the effective conduct of public affairs", qualified=True),
        Exemption("40", "personal information", qualified=False),
        Exemption("41", "information provided in confidence", qualified=False),
        Exemption("42", "legal professional privilege", qualified=True),
        Exemption("43", "commercial interests", qualified=True),
        Exemption("44", "prohibitions on disclosure", qualified=False),
    )
}
EXEMPTION_CHOICES = [(e.section, e.words) for e in EXEMPTIONS.values()]
QUALIFIED_CHOICES = [(e.section, e.words) for e in EXEMPTIONS.values() if e.qualified]


def describe(codes: str) -> str:
    """ "s.40,s.43" -> "Section 40: personal information; Section 43: commercial interests"."""
    parts = [c.strip().removeprefix("s.") for c in codes.split(",") if c.strip()]
    return "; ".join(EXEMPTIONS[p].words if p in EXEMPTIONS else p for p in parts)
