// Draws the dashboard's charts with Chart.js from the figures embedded in the page. Each
// chart has a table beside it with the same figures, so nothing depends on this script.
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("chart-data");
    if (!source || typeof Chart === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var reduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var series = data[canvas.dataset.chart];
      if (!series || !series.labels.length) { canvas.hidden = true; return; }
      new Chart(canvas, {
        type: "bar",
        data: { labels: series.labels, datasets: [{ data: series.values, backgroundColor: "#1f5b87" }] },
        options: {
          indexAxis: canvas.dataset.horizontal ? "y" : "x",
          animation: reduced ? false : undefined,
          plugins: { legend: { display: false } },
          scales: { x: { ticks: { color: "#10212e" } }, y: { ticks: { color: "#10212e" } } }
        }
      });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
