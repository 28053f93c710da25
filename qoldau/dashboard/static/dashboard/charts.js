// Draws the dashboard's charts with Chart.js from the figures embedded in the page. Each
// chart has a table beside it with the same figures, so nothing depends on this script.
//
// Labels fit: a horizontal chart's labels (categories, regions, purposes: long Kazakh and
// Russian names) are wrapped at word boundaries into lines short enough for the window, and
// the chart grows with its bars instead of squeezing them, so no name is cut off.
(function () {
  "use strict";
  var LINE_HEIGHT = 18;

  // Words into lines of at most `width` characters (a longer word keeps its own line).
  function wrap(label, width) {
    var lines = [];
    var line = "";
    String(label).split(/\s+/).forEach(function (word) {
      if (!word) { return; }
      if (line && (line + " " + word).length > width) {
        lines.push(line);
        line = word;
      } else {
        line = line ? line + " " + word : word;
      }
    });
    if (line) { lines.push(line); }
    return lines.length ? lines : [""];
  }

  function labelWidth(canvas) {
    // About a third of the chart's width for the labels, at 7 px a character.
    var width = canvas.parentElement ? canvas.parentElement.clientWidth : 600;
    return Math.max(12, Math.min(32, Math.floor(width / 3 / 7)));
  }

  function draw() {
    var source = document.getElementById("chart-data");
    if (!source || typeof Chart === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var reduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var series = data[canvas.dataset.chart];
      if (!series || !series.labels.length) { canvas.hidden = true; return; }
      var horizontal = Boolean(canvas.dataset.horizontal);
      var labels = series.labels;
      var options = {
        indexAxis: horizontal ? "y" : "x",
        animation: reduced ? false : undefined,
        plugins: { legend: { display: false } },
        scales: {
          x: { ticks: { color: "#10212e" } },
          y: { ticks: { color: "#10212e", autoSkip: !horizontal } }
        }
      };
      if (horizontal) {
        var width = labelWidth(canvas);
        labels = series.labels.map(function (label) { return wrap(label, width); });
        var lines = labels.reduce(function (sum, label) { return sum + Math.max(1, label.length); }, 0);
        // A box of the bars' height holds the canvas; Chart.js fills it.
        var box = document.createElement("div");
        box.className = "chart-box";
        box.style.height = Math.max(160, lines * LINE_HEIGHT + labels.length * 10 + 40) + "px";
        canvas.parentNode.insertBefore(box, canvas);
        box.appendChild(canvas);
        options.maintainAspectRatio = false;
      }
      new Chart(canvas, {
        type: "bar",
        data: { labels: labels, datasets: [{ data: series.values, backgroundColor: "#1f5b87" }] },
        options: options
      });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
