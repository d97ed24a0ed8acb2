"""The words of the seeded Typeform account: workspace names, form titles and questions."""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["FORM_TITLES", "QUESTIONS", "WORKSPACE_NAMES", "Question"]


class Question(NamedTuple):
    """A question template: its title, Typeform field type and choices (if any)."""

    title: str
    type: str
    choices: tuple[str, ...] = ()
    multiple: bool = False


WORKSPACE_NAMES = (
    "Marketing",
    "Customer Success",
    "Product",
    "Research",
    "Sales",
    "People Ops",
    "Events",
    "Support",
    "Design",
    "Engineering",
    "Finance",
    "Partnerships",
    "Growth",
    "Community",
    "Operations",
    "Brand",
    "Onboarding",
    "Education",
)

FORM_TITLES = (
    "Customer satisfaction survey",
    "Product feedback",
    "Event registration",
    "Webinar sign-up",
    "Net Promoter Score",
    "Onboarding check-in",
    "Feature request",
    "Job application",
    "Newsletter preferences",
    "Beta tester application",
    "Support experience",
    "Churn survey",
    "Pricing research",
    "Conference feedback",
    "Partner intake",
    "Employee pulse",
    "Course evaluation",
    "Lead qualification",
    "Bug report",
    "Contact us",
    "Demo request",
    "Annual user survey",
    "Volunteer sign-up",
    "Workshop feedback",
    "Community poll",
)

QUESTIONS = (
    Question(
        "How did you hear about us?",
        "multiple_choice",
        ("Search engine", "Friend or colleague", "Social media", "Podcast", "Other"),
    ),
    Question(
        "Which plan are you on?",
        "multiple_choice",
        ("Free", "Basic", "Plus", "Business", "Enterprise"),
    ),
    Question(
        "Which features do you use most?",
        "multiple_choice",
        ("Logic jumps", "Integrations", "Templates", "Analytics", "Payments"),
        True,
    ),
    Question(
        "Which region are you based in?",
        "dropdown",
        ("North America", "South America", "Europe", "Africa", "Asia", "Oceania"),
    ),
    Question(
        "What is your role?",
        "multiple_choice",
        ("Founder", "Marketer", "Engineer", "Designer", "Researcher", "Student"),
    ),
    Question("How satisfied are you overall?", "opinion_scale"),
    Question("How would you rate our support?", "rating"),
    Question("Would you recommend us to a friend?", "yes_no"),
    Question("What is your email address?", "email"),
    Question("What is your name?", "short_text"),
    Question("What could we do better?", "long_text"),
    Question("How many people are on your team?", "number"),
    Question("When did you start using the product?", "date"),
)
"""The question pool; every form asks one choice question first, then a few others."""
