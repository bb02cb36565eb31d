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
