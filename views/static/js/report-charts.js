// Progressive enhancement: draw each chart from the spec the server put in the
// page (the same spec the PDF and PNG use). Without JavaScript the table and a
// PNG of the chart remain.
import { impactPlugin, prepareSpec } from './impact-charts.js';

var Chart = window.Chart;
if (Chart) {
  Chart.register(impactPlugin);
  document.querySelectorAll('script[type="application/json"][data-chart-for]').forEach(function (node) {
    var canvas = document.getElementById(node.getAttribute('data-chart-for'));
    if (!canvas) return;
    var spec = JSON.parse(node.textContent);
    spec.options.animation = false;
    new Chart(canvas, prepareSpec(spec));
    var fallback = document.querySelector('[data-chart-fallback="' + canvas.id + '"]');
    if (fallback) fallback.hidden = true;
    canvas.hidden = false;
  });
}
