"""The templates every seeded account starts with (scenarios render them for their truths)."""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["SEEDED", "SeededTemplate"]


class SeededTemplate(NamedTuple):
    """A stored template as seeded: name, output format, description (its data) and body."""

    name: str
    format: str
    description: str
    body: str


_CUSTOMER_REPORT = """\
# {{ segment|replace('_', ' ')|title }} customers

{{ customers|length }} customer{{ '' if customers|length == 1 else 's' }}, sorted by name.

| Name | Email | Customer |
|------|-------|----------|
{% for c in customers|sort(attribute='name,id') %}
| {{ c.name|escape_md }} | {{ c.email|escape_md }} | `{{ c.id }}` |
{% endfor %}
"""

_PULL_DIGEST = """\
*Open pull requests in {{ repo }}* ({{ pulls|length }})
{% for p in pulls|sort(attribute='number') %}
• #{{ p.number }} {{ p.title }} by @{{ p.author }}{{ ' (draft)' if p.draft }}
{% endfor %}
_Oldest first. Review what you can._"""

_CONTACT_SHEET = """\
CONTACT SHEET: {{ company }}
{{ '=' * 40 }}
{% for c in contacts|sort(attribute='lastname,firstname,email') %}
{{ loop.index }}. {{ c.lastname|upper }}, {{ c.firstname }} <{{ c.email }}>
{%- if c.jobtitle %} - {{ c.jobtitle }}{% endif %}

{% else %}
(no contacts)
{% endfor %}
{{ '=' * 40 }}
{{ contacts|length }} contact{{ '' if contacts|length == 1 else 's' }}
"""

_RECEIPT = """\
<h1>Receipt {{ number }}</h1>
<p>Thank you, {{ customer }}.</p>
<table>
{% for line in lines %}
  <tr><td>{{ line.description }}</td><td>{{ line.amount|money(currency) }}</td></tr>
{% endfor %}
</table>
<p>Total: <strong>{{ lines|sum(attribute='amount')|money(currency) }}</strong></p>
"""

_WELCOME = """\
Hi {{ first_name }},

Welcome to {{ product }}! Your workspace "{{ workspace }}" is ready.
{% if trial_days %}
Your trial ends in {{ trial_days }} day{{ '' if trial_days == 1 else 's' }}.
{% endif %}

- The {{ product }} team
"""

_RELEASE_NOTES = """\
## {{ version }} ({{ date|datetime('%Y-%m-%d') }})
{% for kind, items in changes|groupby('kind') %}

### {{ kind|title }}
{% for item in items %}
- {{ item.summary }}
{% endfor %}
{% endfor %}
"""

SEEDED: tuple[SeededTemplate, ...] = (
    SeededTemplate(
        "customer-segment-report",
        "markdown",
        "Markdown table of the customers of one segment. Data: `segment` (string) and "
        "`customers` (array of objects with `id`, `name` and `email`), in any order.",
        _CUSTOMER_REPORT,
    ),
    SeededTemplate(
        "pull-request-digest",
        "markdown",
        "Slack-style digest of a repository's open pull requests. Data: `repo` (owner/name) "
        "and `pulls` (array of objects with `number`, `title`, `author` (login) and `draft` "
        "(boolean)), in any order.",
        _PULL_DIGEST,
    ),
    SeededTemplate(
        "contact-sheet",
        "text",
        "Plain-text contact sheet of one company. Data: `company` (name) and `contacts` "
        "(array of objects with `firstname`, `lastname`, `email` and `jobtitle` (string or "
        "null)), in any order.",
        _CONTACT_SHEET,
    ),
    SeededTemplate(
        "receipt",
        "html",
        "HTML receipt. Data: `number`, `customer`, `currency` and `lines` (array of objects "
        "with `description` and `amount` in minor units).",
        _RECEIPT,
    ),
    SeededTemplate(
        "welcome-email",
        "text",
        "Welcome e-mail. Data: `first_name`, `product`, `workspace`, `trial_days` (optional).",
        _WELCOME,
    ),
    SeededTemplate(
        "release-notes",
        "markdown",
        "Release notes. Data: `version`, `date` (ISO 8601 or Unix seconds) and `changes` "
        "(array of objects with `kind` and `summary`).",
        _RELEASE_NOTES,
    ),
)
"""Always seeded, in this order (before any generated extras)."""
