"""What the seeded contacts are made of, per country: company forms, people, cities, phones.

The English-speaking countries draw from :mod:`mockapis.pools` (made by Faker's en_US);
the others from the short lists here, in the manner of Faker's de_DE, fr_FR and nl_NL
(accented names included: they exercise XML and the ASCII-only email domains).
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["LOCAL", "Local"]


class Local(NamedTuple):
    """A country's own names: company name forms, people, cities and a phone pattern."""

    legal_forms: tuple[str, ...]
    """Suffixes of company names made from a surname (``"GmbH"``)."""
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    cities: tuple[str, ...]
    phone: str
    """A phone number pattern: each ``#`` is a digit."""


LOCAL: dict[str, Local] = {
    "DE": Local(
        ("GmbH", "AG", "GmbH & Co. KG", "KG", "OHG", "GbR", "e.G."),
        ("Jürgen", "Anna", "Lukas", "Sabine", "Matthias", "Ursula", "Björn", "Katrin", "Stefan",
         "Monika", "Jörg", "Heike", "Tobias", "Sören", "Claudia", "Günter"),
        ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
         "Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder",
         "Neumann", "Schwarz", "Zimmermann", "Krüger", "Hartmann", "Lange", "Köhler"),
        ("Berlin", "Hamburg", "München", "Köln", "Frankfurt am Main", "Stuttgart", "Düsseldorf",
         "Leipzig", "Dortmund", "Essen", "Bremen", "Dresden", "Hannover", "Nürnberg"),
        "+49 (0)### ########",
    ),
    "FR": Local(
        ("SARL", "SA", "SAS", "S.A.R.L.", "et Fils"),
        ("Camille", "Hélène", "Luc", "Amélie", "François", "Élodie", "Nicolas", "Océane",
         "Jérôme", "Margaux", "Théo", "Inès", "Benoît", "Chloé", "Sébastien", "Noémie"),
        ("Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
         "Leroy", "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David",
         "Bertrand", "Roux", "Vincent", "Fournier", "Morel", "Girard", "André", "Lefebvre"),
        ("Paris", "Marseille", "Lyon", "Toulouse", "Nice", "Nantes", "Strasbourg", "Montpellier",
         "Bordeaux", "Lille", "Rennes", "Reims", "Le Havre", "Saint-Étienne", "Grenoble"),
        "+33 (0)# ## ## ## ##",
    ),
    "NL": Local(
        ("B.V.", "N.V.", "V.O.F.", "& Zonen"),
        ("Daan", "Sanne", "Bram", "Femke", "Joost", "Lotte", "Sem", "Anouk", "Thijs", "Maaike",
         "Ruben", "Eline", "Pieter", "Noor", "Wouter", "Iris"),
        ("de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen",
         "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters",
         "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits"),
        ("Amsterdam", "Rotterdam", "Den Haag", "Utrecht", "Eindhoven", "Groningen", "Tilburg",
         "Almere", "Breda", "Nijmegen", "Haarlem", "Arnhem", "Zaanstad", "Leiden"),
        "+31(0)## #######",
    ),
    "GB": Local(
        ("Ltd", "PLC", "and Sons", "LLP", "Group"),
        (),
        (),
        ("London", "Manchester", "Birmingham", "Leeds", "Glasgow", "Bristol", "Liverpool",
         "Edinburgh", "Sheffield", "Cardiff", "Nottingham", "Leicester", "Brighton", "York"),
        "+44(0)#### ######",
    ),
    "CA": Local(
        (),
        (),
        (),
        ("Toronto", "Montréal", "Vancouver", "Calgary", "Edmonton", "Ottawa", "Winnipeg",
         "Québec", "Hamilton", "Kitchener", "Halifax", "Victoria", "Saskatoon", "Regina"),
        "+1-###-###-####",
    ),
    "AU": Local(
        (),
        (),
        (),
        ("Sydney", "Melbourne", "Brisbane", "Perth", "Adelaide", "Gold Coast", "Canberra",
         "Newcastle", "Wollongong", "Geelong", "Hobart", "Townsville", "Cairns", "Darwin"),
        "+61 # #### ####",
    ),
}  # fmt: skip
"""Country code -> its names; empty fields fall back to the en_US pools."""
