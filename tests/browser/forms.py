"""Forms found on a page, and putting them in their error state.

A form counts when it is <form method="post"> with at least one field a person fills in
(forms of only hidden inputs and buttons, such as "Sign out" or "Stay signed in", are actions).
Its error state: submitted empty, and submitted with invalid values (INVALID by input type),
with the browser's own validation off so the server answers (as the portal's forms use
`novalidate`). Fields a person cannot see (a honeypot) are left empty.
"""

from __future__ import annotations

from dataclasses import dataclass

from playwright.sync_api import TimeoutError as PlaywrightTimeout

# What to type into a field, by input type, to make it invalid (too short / wrong format).
INVALID = {
    "email": "not-an-email",
    "password": "x",
    "text": "x",
    "search": "x",
    "textarea": "x",
    "tel": "abc",
    "url": "not a url",
    "number": "-1",
}
MODES = ("empty", "invalid")

_FIND = """() => Array.from(document.forms).map((form, index) => {
  const skip = ["hidden", "submit", "button", "reset", "image"];
  const fields = Array.from(form.elements).filter(
    (el) => !["BUTTON", "FIELDSET", "OUTPUT", "OBJECT"].includes(el.tagName) && !skip.includes(el.type)
  );
  return {
    index,
    method: (form.getAttribute("method") || "get").toLowerCase(),
    action: form.getAttribute("action") || "",
    fields: fields.map((el) => el.name || el.id),
  };
}).filter((f) => f.method === "post" && f.fields.length > 0)"""

_SUBMIT = """([index, mode, invalid]) => {
  const form = document.forms[index];
  for (const el of Array.from(form.elements)) {
    const type = (el.type || "").toLowerCase();
    if (["BUTTON", "FIELDSET", "OUTPUT", "OBJECT"].includes(el.tagName)) continue;
    if (["hidden", "submit", "button", "reset", "image", "file", "color", "range"].includes(type)) continue;
    if (type === "checkbox" || type === "radio") { el.checked = false; continue; }
    el.value = "";
    const visible = el.checkVisibility ? el.checkVisibility() : true;
    if (mode === "invalid" && visible && el.tagName !== "SELECT") {
      const value = invalid[el.tagName === "TEXTAREA" ? "textarea" : type];
      if (value !== undefined) el.value = value;
    }
  }
  form.noValidate = true;
  HTMLFormElement.prototype.requestSubmit.call(form);
}"""

_ERROR_SHOWN = """() => Boolean(document.querySelector(
  "#error-summary, .error-summary, .is-invalid, .invalid-feedback, [aria-invalid='true'], .alert-danger, .errorlist"
))"""


@dataclass(frozen=True)
class FoundForm:
    page: str  # path of the page it is on
    index: int  # position among document.forms
    action: str
    fields: tuple[str, ...]

    def __str__(self) -> str:
        return f"form #{self.index} ({', '.join(self.fields)}) on {self.page}"


def forms_on(page, path: str) -> list[FoundForm]:
    return [FoundForm(path, f["index"], f["action"], tuple(f["fields"])) for f in page.evaluate(_FIND)]


@dataclass
class Submitted:
    status: int
    navigated: bool
    error_shown: bool


def submit(page, form: FoundForm, mode: str) -> Submitted:
    """Open the form's page, fill the form for `mode` ("empty" or "invalid") and submit it."""
    page.goto(form.page, wait_until="load")
    statuses = []

    def record(response):
        if response.request.is_navigation_request() and response.frame == page.main_frame:
            statuses.append(response.status)

    page.on("response", record)
    navigated = True
    try:
        with page.expect_navigation(wait_until="load", timeout=10_000):
            page.evaluate(_SUBMIT, [form.index, mode, INVALID])
    except PlaywrightTimeout:
        navigated = False  # handled in the page by script: check the page as it is
    page.remove_listener("response", record)
    return Submitted(statuses[-1] if statuses else 0, navigated, page.evaluate(_ERROR_SHOWN))
