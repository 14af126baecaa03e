// Client-side search of the catalogue: every word typed must appear in an entry's text.
// Plain JavaScript, no network: the text to search is in each entry's data-search attribute.
(function () {
  "use strict";
  var input = document.getElementById("search");
  var count = document.getElementById("count");
  var entries = Array.prototype.slice.call(document.querySelectorAll(".entry"));
  var sections = Array.prototype.slice.call(document.querySelectorAll("section.kind"));

  function filter() {
    var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    entries.forEach(function (entry) {
      var text = entry.getAttribute("data-search");
      var match = words.every(function (w) { return text.indexOf(w) !== -1; });
      entry.classList.toggle("hidden", !match);
      if (match) { shown += 1; }
    });
    sections.forEach(function (section) {
      section.classList.toggle("hidden", !section.querySelector(".entry:not(.hidden)"));
    });
    count.textContent = words.length ? shown + " of " + entries.length + " entries match" : "";
  }

  input.addEventListener("input", filter);
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) { input.value = query; }
  filter();
}());
