// The dashboard's charts: Chart.js, fed by the json_script next to each canvas. Every series
// has its own fill pattern and its name in the legend, so no chart needs colour to be read;
// the same figures are in the tables under the charts.
(function () {
  "use strict";

  const COLOURS = ["#2563eb", "#0f766e", "#b45309"];

  function pattern(index, colour) {
    if (index === 0) return colour;
    const tile = document.createElement("canvas");
    tile.width = tile.height = 8;
    const ctx = tile.getContext("2d");
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, 8, 8);
    ctx.strokeStyle = colour;
    ctx.fillStyle = colour;
    ctx.lineWidth = 2;
    if (index === 1) {
      // Diagonal stripes.
      ctx.beginPath();
      ctx.moveTo(0, 8);
      ctx.lineTo(8, 0);
      ctx.stroke();
    } else {
      // Dots.
      ctx.beginPath();
      ctx.arc(4, 4, 1.6, 0, 2 * Math.PI);
      ctx.fill();
    }
    return ctx.createPattern(tile, "repeat");
  }

  function draw(canvas) {
    if (canvas.dataset.drawn || typeof Chart === "undefined") return;
    const source = document.getElementById(canvas.dataset.chart);
    if (!source) return;
    const data = JSON.parse(source.textContent);
    data.datasets.forEach(function (dataset, index) {
      const colour = COLOURS[index % COLOURS.length];
      dataset.backgroundColor = pattern(index, colour);
      dataset.borderColor = colour;
      dataset.borderWidth = 1.5;
    });
    canvas.dataset.drawn = "1";
    new Chart(canvas, {
      type: canvas.dataset.kind || "bar",
      data: data,
      options: {
        animation: false,
        maintainAspectRatio: false,
        plugins: { legend: { labels: { boxWidth: 18, boxHeight: 12 } } },
        scales: { y: { beginAtZero: true } },
      },
    });
  }

  function drawAll(root) {
    (root || document).querySelectorAll("canvas[data-chart]").forEach(draw);
  }

  if (window.htmx) {
    window.htmx.onLoad(drawAll);
  } else {
    document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  }
})();
