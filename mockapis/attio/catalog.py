"""Vocabularies the seeded workspace draws from: names, titles, places, company words."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from faker.providers.person.en_US import Provider as _Person

__all__ = [
    "CITIES",
    "COMPANY_STEMS",
    "COMPANY_TAILS",
    "DEAL_KINDS",
    "FIRST_NAMES",
    "FIRST_WEIGHTS",
    "FREE_MAIL",
    "JOB_TITLES",
    "LAST_NAMES",
    "LAST_WEIGHTS",
    "NEXT_STEPS",
    "NOTE_POINTS",
    "NOTE_TITLES",
]


def _cumulative(weights: Sequence[float]) -> tuple[float, ...]:
    return tuple(itertools.accumulate(weights))


_FIRST = {**_Person.first_names_female, **_Person.first_names_male}
FIRST_NAMES: tuple[str, ...] = tuple(_FIRST)
FIRST_WEIGHTS = _cumulative(tuple(_FIRST.values()))
LAST_NAMES: tuple[str, ...] = tuple(_Person.last_names)
LAST_WEIGHTS = _cumulative(tuple(_Person.last_names.values()))
"""Faker's en_US name frequencies (drawn with ``rng.choices(cum_weights=...)``: far faster)."""

JOB_TITLES = (
    "CEO",
    "CTO",
    "CFO",
    "COO",
    "Founder",
    "Co-founder",
    "VP of Sales",
    "VP of Engineering",
    "VP of Marketing",
    "Head of Growth",
    "Head of Operations",
    "Head of Product",
    "Director of Sales",
    "Director of Engineering",
    "Director of Finance",
    "Sales Manager",
    "Account Executive",
    "Senior Account Executive",
    "Account Manager",
    "Customer Success Manager",
    "Marketing Manager",
    "Product Manager",
    "Senior Product Manager",
    "Software Engineer",
    "Senior Software Engineer",
    "Engineering Manager",
    "Data Scientist",
    "Data Analyst",
    "Operations Manager",
    "Procurement Manager",
    "IT Manager",
    "Recruiter",
    "HR Business Partner",
    "Solutions Architect",
    "Business Development Representative",
    "Chief Revenue Officer",
    "General Counsel",
    "Office Manager",
    "Designer",
    "Partnerships Manager",
)
CITIES = (
    ("San Francisco", "CA", "US", "37.7749", "-122.4194"),
    ("New York", "NY", "US", "40.7128", "-74.0060"),
    ("Austin", "TX", "US", "30.2672", "-97.7431"),
    ("Seattle", "WA", "US", "47.6062", "-122.3321"),
    ("Boston", "MA", "US", "42.3601", "-71.0589"),
    ("Chicago", "IL", "US", "41.8781", "-87.6298"),
    ("Denver", "CO", "US", "39.7392", "-104.9903"),
    ("Atlanta", "GA", "US", "33.7490", "-84.3880"),
    ("Los Angeles", "CA", "US", "34.0522", "-118.2437"),
    ("Miami", "FL", "US", "25.7617", "-80.1918"),
    ("Portland", "OR", "US", "45.5152", "-122.6784"),
    ("Raleigh", "NC", "US", "35.7796", "-78.6382"),
    ("Salt Lake City", "UT", "US", "40.7608", "-111.8910"),
    ("Minneapolis", "MN", "US", "44.9778", "-93.2650"),
    ("Nashville", "TN", "US", "36.1627", "-86.7816"),
    ("London", "England", "GB", "51.5074", "-0.1278"),
    ("Manchester", "England", "GB", "53.4808", "-2.2426"),
    ("Berlin", "Berlin", "DE", "52.5200", "13.4050"),
    ("Munich", "Bavaria", "DE", "48.1351", "11.5820"),
    ("Paris", "Ile-de-France", "FR", "48.8566", "2.3522"),
    ("Amsterdam", "North Holland", "NL", "52.3676", "4.9041"),
    ("Dublin", "Leinster", "IE", "53.3498", "-6.2603"),
    ("Toronto", "ON", "CA", "43.6532", "-79.3832"),
    ("Vancouver", "BC", "CA", "49.2827", "-123.1207"),
    ("Sydney", "NSW", "AU", "-33.8688", "151.2093"),
    ("Stockholm", "Stockholm", "SE", "59.3293", "18.0686"),
)
"""(locality, region, country_code, latitude, longitude) of real cities."""
COMPANY_STEMS = (
    "Blue",
    "North",
    "Bright",
    "Cloud",
    "Data",
    "Signal",
    "Peak",
    "Iron",
    "Silver",
    "Lumen",
    "Nova",
    "Vertex",
    "Harbor",
    "Quantum",
    "Summit",
    "Atlas",
    "Pixel",
    "Orbit",
    "Cedar",
    "Granite",
    "Beacon",
    "Canopy",
    "Falcon",
    "Meridian",
    "Pioneer",
    "Horizon",
    "Keystone",
    "Redwood",
)
COMPANY_TAILS = (
    "Labs",
    "Systems",
    "Analytics",
    "Works",
    "Health",
    "Logistics",
    "Software",
    "Networks",
    "Capital",
    "Robotics",
    "AI",
    "Bio",
    "Payments",
    "Security",
    "Media",
    "Energy",
    "Cloud",
)
FREE_MAIL = ("gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com", "proton.me")
DEAL_KINDS = (
    "Enterprise plan",
    "Annual renewal",
    "Pilot",
    "Expansion",
    "Platform license",
    "Team plan",
    "Onboarding package",
    "Multi-year agreement",
)
NOTE_TITLES = (
    "Intro call",
    "Discovery call",
    "Quarterly business review",
    "Pricing discussion",
    "Follow-up",
    "Demo feedback",
    "Contract negotiation",
    "Onsite visit",
    "Support escalation",
    "Renewal planning",
)
NOTE_POINTS = (
    "Budget is approved for this quarter.",
    "They are evaluating two other vendors.",
    "Security review is the main blocker.",
    "The champion is moving to a new team next month.",
    "Usage grew 40% since the last review.",
    "They asked for a discount on a multi-year term.",
    "Integration with their data warehouse is a must-have.",
    "Legal wants changes to the data processing agreement.",
    "The pilot team is happy with onboarding so far.",
    "Procurement needs a vendor form before signing.",
    "They want SSO and audit logs in the first phase.",
    "Decision expected by the end of the month.",
)
NEXT_STEPS = (
    "send the revised proposal",
    "schedule a technical deep-dive",
    "share the security questionnaire",
    "book a call with the CFO",
    "follow up in two weeks",
    "send a contract draft",
)
