// Draws the progress page's charts with Chart.js from the figures embedded in the page.
// Each chart has a table beside it with the same figures, so nothing depends on this script.
(function () {
  "use strict";
  // Colours tell datasets apart for sighted readers; the legend names them and the tables
  // carry the figures, so no information depends on colour alone.
  var COLOURS = ["#1f5b87", "#7a4a00", "#8a1c2b", "#5c5c5c"];
  var STATUS_COLOURS = { accessible: "#1d6b38", partial: "#7a4a00", not_accessible: "#8a1c2b", unknown: "#6b6b6b" };
  function draw() {
    var source = document.getElementById("chart-data");
    if (!source || typeof Chart === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var reduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var series = data[canvas.dataset.chart];
      if (!series || !series.labels.length) { canvas.hidden = true; return; }
      var horizontal = !!canvas.dataset.horizontal;
      // Room for every bar's label: a long list of districts or regions gets a tall chart.
      if (horizontal) {
        canvas.parentElement.style.position = "relative";
        canvas.parentElement.style.height = Math.max(180, 30 * series.labels.length * (series.stacked ? 1 : 1.6)) + "px";
      }
      new Chart(canvas, {
        type: "bar",
        data: {
          labels: series.labels,
          datasets: series.datasets.map(function (set, index) {
            return {
              label: set.label,
              data: set.values,
              backgroundColor: set.status ? STATUS_COLOURS[set.status] : COLOURS[index % COLOURS.length]
            };
          })
        },
        options: {
          indexAxis: horizontal ? "y" : "x",
          maintainAspectRatio: !horizontal,
          animation: reduced ? false : undefined,
          plugins: { legend: { display: true, labels: { color: "#10212e" } } },
          scales: {
            x: { stacked: !!series.stacked, ticks: { color: "#10212e" } },
            y: { stacked: !!series.stacked, ticks: { color: "#10212e" } }
          }
        }
      });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
