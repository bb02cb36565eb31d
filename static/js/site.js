/* Progressive enhancement only: every page works without this file.
   After htmx swaps new content in, move focus to its heading, so keyboard and screen
   reader users land on the new question rather than at the top of the page. */
document.addEventListener("htmx:afterSettle", function (event) {
  var target = event.detail && event.detail.target;
  if (!target) return;
  var heading = target.querySelector("[data-focus-heading]") || target.querySelector("h1");
  if (heading) {
    if (!heading.hasAttribute("tabindex")) heading.setAttribute("tabindex", "-1");
    heading.focus();
  }
  var title = target.querySelector("[data-page-title]");
  if (title) document.title = title.getAttribute("data-page-title");
});

/* Symptom checker: "None of these" and the other boxes of a question exclude each other
   (the server checks this too), and the summary page's print button. */
document.addEventListener("change", function (event) {
  var box = event.target;
  if (!box || box.type !== "checkbox" || !box.checked || !box.form) return;
  var group = box.getAttribute("data-exclusive");
  var selector = group
    ? '[data-exclusive-group="' + group + '"]'
    : '[data-exclusive="' + box.getAttribute("data-exclusive-group") + '"]';
  if (!group && !box.hasAttribute("data-exclusive-group")) return;
  box.form.querySelectorAll(selector).forEach(function (other) { other.checked = false; });
});
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
});
