// An embedded chart tells its host page how tall it is (exports/embed-code.ts),
// so the iframe grows to fit it: after load, when the chart is drawn, and whenever
// the page's height changes (a narrower column, a font loaded).
(function () {
  if (window.parent === window) return;
  var last = 0;
  function post() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    window.parent.postMessage({ 'impactmonitor-height': height }, '*');
  }
  if (window.ResizeObserver) new ResizeObserver(post).observe(document.documentElement);
  window.addEventListener('load', post);
  window.addEventListener('resize', post);
  post();
})();
