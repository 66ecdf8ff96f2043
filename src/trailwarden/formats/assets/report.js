// Status filters and the search box: show the findings (rows) that match both, hide the
// trails and accounts left empty. No network, no library: the report opens offline.
(function () {
  var search = document.getElementById("search");
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input[data-status]"));
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr.finding"));
  function apply() {
    var wanted = {};
    boxes.forEach(function (b) { wanted[b.getAttribute("data-status")] = b.checked; });
    var text = (search.value || "").toLowerCase();
    rows.forEach(function (r) {
      var show = wanted[r.getAttribute("data-status")] && r.textContent.toLowerCase().indexOf(text) >= 0;
      r.classList.toggle("hidden", !show);
    });
    document.querySelectorAll(".group").forEach(function (g) {
      g.classList.toggle("hidden", g.querySelectorAll("tr.finding:not(.hidden)").length === 0);
    });
    var shown = rows.filter(function (r) { return !r.classList.contains("hidden"); }).length;
    document.getElementById("shown").textContent = shown + " of " + rows.length + " findings shown";
  }
  search.addEventListener("input", apply);
  boxes.forEach(function (b) { b.addEventListener("change", apply); });
  apply();
})();
