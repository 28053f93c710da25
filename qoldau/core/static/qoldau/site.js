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

// The chat (consult/chat.html): after the person's own question the focus and the view move
// to the first new message (the answer), so a screen reader reads it and nothing else; a
// message that arrives by polling (a consultant's reply) is only announced, in #chat-news,
// so the focus never jumps away from what the person is typing.
let lastSeenMessage = 0;
function newestMessageId(log) {
  const ids = Array.from(log.querySelectorAll("[data-message-id]"), (item) => Number(item.dataset.messageId));
  return ids.length ? Math.max(...ids) : 0;
}
document.addEventListener("DOMContentLoaded", () => {
  const log = document.querySelector("[data-chat-log]");
  if (log) lastSeenMessage = newestMessageId(log);
});
document.addEventListener("htmx:afterSwap", (event) => {
  const log = event.detail.target;
  if (!(log instanceof Element) || !log.hasAttribute("data-chat-log")) return;
  const fresh = Array.from(log.querySelectorAll("[data-message-id]")).filter(
    (item) => Number(item.dataset.messageId) > lastSeenMessage && !item.classList.contains("message-person"),
  );
  lastSeenMessage = newestMessageId(log);
  if (!fresh.length || log.querySelector("[autofocus]")) return;
  const asked = event.detail.requestConfig && event.detail.requestConfig.elt instanceof HTMLFormElement;
  if (asked) {
    fresh[0].focus({ preventScroll: true });
    fresh[0].scrollIntoView({ block: "start" });
  } else {
    const news = document.getElementById("chat-news");
    if (news) news.textContent = fresh.map((item) => item.innerText).join("\n");
  }
});

// The main menu's disclosure (base.html): on a narrow screen the menu folds away behind the
// "Menu" button, which says whether it is open (aria-expanded). The stylesheet decides
// when the screen is narrow; without this script the button stays hidden and the menu open.
document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.getElementById("menu-toggle");
  const menu = toggle && document.getElementById(toggle.getAttribute("aria-controls") || "");
  if (!toggle || !menu) return;
  const show = (open) => {
    toggle.setAttribute("aria-expanded", String(open));
    menu.classList.toggle("is-collapsed", !open);
  };
  toggle.hidden = false;
  toggle.classList.add("is-ready");
  show(false);
  toggle.addEventListener("click", () => show(toggle.getAttribute("aria-expanded") !== "true"));
  // Escape closes the open menu and gives the focus back to its button.
  menu.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true" && getComputedStyle(toggle).display !== "none") {
      show(false);
      toggle.focus();
    }
  });
});
