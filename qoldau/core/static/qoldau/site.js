// After a refused submit, take keyboard and screen-reader users straight to the list of
// what to correct (its links lead to each field).
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector(".error-summary");
  if (summary) summary.focus();
});

// A form marked data-reset-on-success empties itself once htmx has sent it successfully
// (the chat's question box). Handlers live here, never in attributes: the
// Content-Security-Policy refuses inline code.
// Inside an element marked data-swap-refusals, a refused answer (400: bad input, 429: too
// many messages) is shown in place like any other, so the person reads why.
document.addEventListener("htmx:beforeSwap", (event) => {
  const status = event.detail.xhr.status;
  const elt = event.detail.elt;
  if ((status === 400 || status === 429) && elt instanceof Element && elt.closest("[data-swap-refusals]")) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});

document.addEventListener("htmx:afterRequest", (event) => {
  const form = event.detail.elt;
  // The status, not `successful`: a refusal shown in place (data-swap-refusals) counts as
  // swapped, but the person's text must stay so they can send it again.
  const sent = event.detail.xhr && event.detail.xhr.status >= 200 && event.detail.xhr.status < 300;
  if (sent && form instanceof HTMLFormElement && form.hasAttribute("data-reset-on-success")) {
    form.reset();
  }
});
