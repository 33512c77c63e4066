"""The tasks residents come for, as large links at the top of public pages.

{% load resident_tasks %}
<nav class="task-nav" aria-labelledby="tasks-heading">
  <h2 class="task-nav__heading" id="tasks-heading">{% translate "How can we help?" %}</h2>
  <ul class="task-list">
    {% task_link "prosecution:report" _("Report a concern") _("Blight, dumping, a nuisance property") %}
  </ul>
</nav>
"""

from __future__ import annotations

from django import template
from django.urls import reverse

register = template.Library()


@register.inclusion_tag("includes/task_link.html")
def task_link(url_name: str, title: str, text: str = "", **kwargs) -> dict:
    """One task: its page (the URL name, with any URL arguments as keywords), what it is
    called and one line on what it is for."""
    return {"url": reverse(url_name, kwargs=kwargs or None), "title": title, "text": text}
