// Draws every <canvas data-chart="ID"> with the Chart.js configuration held in the JSON
// script element #ID (written by the template include web/includes/chart.html from a
// web.charts description). Pages arrive through Turbo, so drawing runs on every visit.
(function () {
  "use strict";
  function draw() {
    if (!window.Chart) return;
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      if (canvas.dataset.drawn) return;
      var source = document.getElementById(canvas.dataset.chart);
      if (!source) return;
      canvas.dataset.drawn = "1";
      var config = JSON.parse(source.textContent);
      config.options = Object.assign(
        { responsive: true, maintainAspectRatio: false, animation: false },
        config.options || {}
      );
      new window.Chart(canvas, config);
    });
  }
  document.addEventListener("turbo:load", draw);
  document.addEventListener("DOMContentLoaded", draw);
  draw();
})();
