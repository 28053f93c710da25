// After a refused submit, take keyboard and screen-reader users straight to the list of
// what to correct (its links lead to each field).
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector(".error-summary");
  if (summary) summary.focus();
});
