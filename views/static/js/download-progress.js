// Progressive enhancement: a PDF or workbook takes a few seconds to make. With
// JavaScript the link fetches the file while a status line says it is being made
// (and for how long), then saves it; without JavaScript the link downloads as is.
(function () {
  'use strict';
  var links = document.querySelectorAll('a[data-download-progress]');
  Array.prototype.forEach.call(links, function (link) {
    link.addEventListener('click', function (event) {
      if (!window.fetch || !window.URL || !URL.createObjectURL) return;
      event.preventDefault();
      if (link.getAttribute('aria-busy') === 'true') return;
      var status = document.getElementById(link.getAttribute('data-download-progress'));
      var making = link.getAttribute('data-msg-making') || '';
      var started = Date.now();
      link.setAttribute('aria-busy', 'true');
      var tick = function () {
        if (status) status.textContent = making.replace('{seconds}', String(Math.round((Date.now() - started) / 1000)));
      };
      tick();
      var timer = setInterval(tick, 1000);
      fetch(link.href, { credentials: 'same-origin' })
        .then(function (res) {
          if (!res.ok) throw new Error(String(res.status));
          var disposition = res.headers.get('content-disposition') || '';
          var match = /filename="?([^";]+)"?/.exec(disposition);
          return res.blob().then(function (blob) {
            return { blob: blob, name: match ? match[1] : 'impactmonitor' };
          });
        })
        .then(function (file) {
          var url = URL.createObjectURL(file.blob);
          var save = document.createElement('a');
          save.href = url;
          save.download = file.name;
          document.body.appendChild(save);
          save.click();
          save.remove();
          setTimeout(function () {
            URL.revokeObjectURL(url);
          }, 10000);
          if (status) status.textContent = link.getAttribute('data-msg-done') || '';
        })
        .catch(function () {
          // Let the browser try the plain download (and show any error page).
          window.location.href = link.href;
        })
        .then(function () {
          clearInterval(timer);
          link.removeAttribute('aria-busy');
        });
    });
  });
})();
